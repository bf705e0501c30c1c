"""A proposed spec, what both importers produce, and its rendering as commented YAML."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from ..spec import naming, taxonomy
from .yamlwriter import Commented, dump

SEMVER = re.compile(r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
API_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# The JSON Schema an imported spec names for editors: a file beside the spec, which
# ``errorsdk import --out`` writes there (``errorsdk schema --out``), so the link resolves
# wherever the spec lives, not only inside the errorsdk repository.
SCHEMA_FILE = "spec.schema.json"

# Where error parts usually sit, most likely first: both importers look for these keys.
CODE_KEYS = ("code", "error_code", "errorCode", "error_type", "errorType", "type", "reason", "status", "key", "error")
MESSAGE_KEYS = (
    "message",
    "error_description",
    "errorMessage",
    "error_message",
    "detail",
    "title",
    "msg",
    "description",
    "error",
)
DETAIL_KEYS = (
    "details",
    "detail",
    "errors",
    "extensions",
    "inner_error",
    "innererror",
    "innerError",
    "data",
    "meta",
    "context",
    "params",
    "fields",
)
REQUEST_ID_KEYS = ("request_id", "requestId", "trace_id", "traceId", "correlation_id", "correlationId")
STATUS_KEYS = ("status", "status_code", "statusCode", "http_status", "httpStatus", "code")
NEST_KEYS = ("error", "err", "fault")
REQUEST_ID_HEADER = re.compile(r"^(x-)?(request|trace|correlation|amzn-request|apim-request)[-_]?id$", re.I)


@dataclass
class ProposedError:
    status: int | None
    message: str
    code: str | int | None = None
    sub_code: str | None = None  # the finer code under ``code``: this entry is the pair's class
    name: str | None = None
    category: str | None = None
    description: str = ""
    example: Any = None
    detail_schema: Any = None  # JSON Schema of the detail, in the spec's form
    notes: list[str] = field(default_factory=list)  # comments above the entry
    retryable: bool | None = None
    class_name: str | None = None
    message_note: str | None = None  # a comment after the message


@dataclass
class Proposal:
    name: str
    title: str
    version: str = "0.1.0"
    description: str = ""
    docs_url: str | None = None
    envelope: dict[str, Any] = field(default_factory=dict)
    envelope_notes: dict[str, str] = field(default_factory=dict)
    codes_type: str = "string"
    codes_normalize: str | None = None
    errors: list[ProposedError] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    api_notes: list[str] = field(default_factory=list)
    envelope_todos: list[str] = field(default_factory=list)
    errors_todos: list[str] = field(default_factory=list)
    schemas: dict[str, Any] = field(default_factory=dict)  # shared JSON Schemas (``schemas:``)
    detail_schema: Any = None  # the detail of every error (top-level ``detail_schema:``)
    retry: dict[str, Any] = field(default_factory=dict)  # ``retry:`` (e.g. its rate_limit headers)
    retry_notes: list[str] = field(default_factory=list)
    rules: list[Any] = field(default_factory=list)  # ``rules:``, as a spec writes them
    fallbacks: dict[str, Any] = field(default_factory=dict)  # ``fallbacks:``
    groups: dict[str, Any] = field(default_factory=dict)  # ``groups:``, as a spec writes them
    class_prefix: str | None = None  # ``api.class_prefix``


def humanize(code: str | int) -> str:
    """A default message from a code: ``not_found_error`` -> ``Not found error``."""
    if isinstance(code, int):
        return f"Error {code}"
    words = naming.ascii_words(str(code))
    text = " ".join(w.lower() for w in words) or str(code)
    return text[:1].upper() + text[1:]


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)")


def first_sentence(text: str) -> str:
    """A message from a description: its first sentence, at most 200 characters."""
    match = _SENTENCE.match(text)
    return (match.group(1) if match else text)[:200].rstrip()


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def status_name(status: int) -> str:
    """A name for a code-less error: ``not_found`` for 404, ``http_499`` when unnamed."""
    try:
        return "_".join(w.lower() for w in naming.ascii_words(HTTPStatus(status).phrase))
    except ValueError:
        return f"http_{status}"


# A code's words -> its category, first match wins: whole words (``_``-joined, lower case),
# a trailing ``*`` a stem. Specific phrases come before the single words they contain
# (INSUFFICIENT_SCOPES is a permission, not an authentication; VALUE_TOO_LONG a bad
# request, not a payload too large); tests/test_importing.py holds real codes to them.
_CATEGORY_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rate_limited", ("rate_limit*", "too_many_requests", "throttl*", "quota*", "slow_down", "request_limit*")),
    ("timeout", ("timeout*", "timed_out", "deadline*", "time_out")),
    ("unavailable", ("overload*", "unavailable", "maintenance", "bad_gateway", "temporarily")),
    ("not_implemented", ("not_implemented", "unimplemented", "not_supported_yet")),
    ("unsupported_media_type", ("unsupported_media_type", "unsupported_content_type", "invalid_content_type")),
    ("method_not_allowed", ("method_not_allowed", "unsupported_method", "invalid_method")),
    (
        "payload_too_large",
        (
            "payload_too_large",
            "request_too_large",
            "entity_too_large",
            "body_too_large",
            "file_too_large",
            "request_entity*",
        ),
    ),
    ("precondition_failed", ("precondition*", "etag_mismatch", "version_mismatch")),
    (
        "permission",
        (
            "insufficient_scope*",
            "insufficient_permission*",
            "permission*",
            "forbidden",
            "access_denied",
            "denied",
            "not_allowed",
            "not_authorized",
            "unauthorized_scope*",
            "scope*",
        ),
    ),
    (
        "authentication",
        (
            "unauthorized",
            "unauthenticated",
            "authentication*",
            "auth",
            "token*",
            "access_token*",
            "credential*",
            "api_key",
            "apikey",
            "signature*",
            "login",
            "expired_token",
            "invalid_key",
        ),
    ),
    (
        "not_found",
        ("not_found", "notfound", "no_such*", "does_not_exist", "unknown_resource", "resource_missing", "gone"),
    ),
    ("conflict", ("conflict*", "already_exists", "already_exist", "duplicate*", "idempotency*", "in_use", "exists")),
    ("validation", ("validation*", "unprocessable*")),
    ("server", ("internal*", "server_error", "api_error", "service_error", "unexpected_error", "unknown_error")),
    (
        "bad_request",
        (
            "bad_request",
            "missing*",
            "required",
            "invalid*",
            "too_long",
            "too_short",
            "too_large",
            "too_small",
            "malformed",
            "expected*",
            "unsupported*",
            "format",
            "value*",
        ),
    ),
)


def _phrase_pattern(phrase: str) -> str:
    stem = phrase.endswith("*")
    body = re.escape(phrase.rstrip("*"))
    return r"(?:^|_)" + body + (r"[a-z0-9]*(?:_|$)" if stem else r"(?:_|$)")


_CATEGORY_RULES = tuple(
    (category, re.compile("|".join(_phrase_pattern(p) for p in phrases))) for category, phrases in _CATEGORY_PHRASES
)


def words_category(code: str | int) -> str | None:
    """The category a code's words name, if they name one."""
    camel = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", str(code))
    text = "_".join(w.lower() for w in naming.ascii_words(camel))
    return next((category for category, rule in _CATEGORY_RULES if rule.search(text)), None)


def guess_category(code: str | int, fallback_status: int | None) -> str:
    """A category for a code documented without one status: its words, else the status class."""
    found = words_category(code)
    if found is not None:
        return found
    if fallback_status is not None:
        return taxonomy.category_for_status(fallback_status)
    return "bad_request"


def class_of(source: str, prefix: str) -> str:
    """The class name the validator derives for an entry named ``source`` (see validation)."""
    name = naming.error_class_name(source)
    return prefix + name if name and (name[0].isdigit() or naming.taken_reason(name, prefix)) else name


def unique_names(errors: list[ProposedError], api_name: str, class_prefix: str | None = None) -> None:
    """Give code-less entries names whose classes no other entry uses."""
    prefix = class_prefix or naming.pascal(api_name)
    repeated = Counter(str(e.code) for e in errors if e.code is not None and e.sub_code is None)
    for err in errors:  # one code under several statuses: one named entry per status
        if err.code is not None and err.sub_code is None and repeated[str(err.code)] > 1 and err.name is None:
            err.name = f"{err.code}_{err.status}" if err.status is not None else f"{err.code}_any"
    taken = {str(e.code) for e in errors if e.code is not None}
    classes = {class_of(e.name or str(e.sub_code or e.code), prefix) for e in errors if e.code is not None}
    for err in errors:
        if err.code is None:
            base = err.name or (status_name(err.status) if err.status is not None else "unknown_error")
            name, n = base, 2
            while name in taken or class_of(name, prefix) in classes:
                name = f"{base}_{err.status}" if n == 2 and err.status is not None else f"{base}_{n}"
                n += 1
            err.name = name
            taken.add(name)
            classes.add(class_of(name, prefix))


def render(p: Proposal) -> str:
    """The proposal as a spec file that passes ``errorsdk validate``."""
    unique_names(p.errors, p.name, p.class_prefix)
    api: dict[str, Any] = {"name": p.name, "version": p.version, "title": p.title or p.name}
    if p.description:
        api["description"] = p.description
    if p.docs_url:
        api["docs_url"] = p.docs_url
    if p.class_prefix:
        api["class_prefix"] = p.class_prefix
    data: dict[str, Any] = {"errorsdk": 1, "api": api}
    if p.envelope:
        data["envelope"] = dict(p.envelope)
    if p.codes_type != "string" or p.codes_normalize:
        data["codes"] = {"type": p.codes_type} if p.codes_type != "string" else {}
        if p.codes_normalize:
            data["codes"]["normalize"] = p.codes_normalize
    errors = []
    for err in p.errors:
        entry: dict[str, Any] = {}
        if err.code is not None:
            entry["code"] = err.code
        if err.sub_code is not None:
            entry["sub_code"] = err.sub_code
        if err.code is None or err.name is not None:
            entry["name"] = err.name
        if err.status is not None:
            entry["status"] = err.status
        if err.category is not None:
            entry["category"] = err.category
        if err.class_name is not None:
            entry["class_name"] = err.class_name
        entry["message"] = err.message or (reason(err.status) if err.status else "Error")
        if err.description:
            entry["description"] = err.description
        if err.retryable is not None:
            entry["retryable"] = err.retryable
        if err.example is not None:
            entry["example"] = err.example
        if err.detail_schema is not None:
            entry["detail_schema"] = err.detail_schema
        errors.append(entry)
    if not errors:
        errors.append({"name": "unknown_error", "status": 500, "message": "Error"})
        p.errors_todos.append("TODO: the source documents no error: this entry only makes the spec valid.")
    data["errors"] = errors
    if p.rules:
        data["rules"] = p.rules
    if p.fallbacks:
        data["fallbacks"] = p.fallbacks
    if p.groups:
        data["groups"] = p.groups
    if p.schemas:
        data["schemas"] = p.schemas
    if p.detail_schema is not None:
        data["detail_schema"] = p.detail_schema
    if p.retry:
        data["retry"] = p.retry
    doc = Commented(data, header=[f"yaml-language-server: $schema={SCHEMA_FILE}", ""] + p.header)
    doc.above[("errorsdk",)] = []
    for text in p.api_notes:
        doc.note(("api",), text)
    for text in p.envelope_todos:
        doc.note(("envelope",) if p.envelope else ("errors",), text)
    for key, text in p.envelope_notes.items():
        doc.trailing[("envelope", key)] = text
    for text in p.errors_todos:
        doc.note(("errors",), text)
    for text in p.retry_notes if p.retry else ():
        doc.note(("retry",), text)
    for i, err in enumerate(p.errors):
        for text in err.notes:
            doc.note(("errors", i), text)
        if err.message_note:
            doc.trailing[("errors", i, "message")] = err.message_note
    return dump(doc)
