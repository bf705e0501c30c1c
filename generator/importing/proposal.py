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
    name: str | None = None
    category: str | None = None
    description: str = ""
    example: Any = None
    detail_schema: Any = None  # JSON Schema of the detail, in the spec's form
    notes: list[str] = field(default_factory=list)  # comments above the entry
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
    errors: list[ProposedError] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    api_notes: list[str] = field(default_factory=list)
    envelope_todos: list[str] = field(default_factory=list)
    errors_todos: list[str] = field(default_factory=list)
    schemas: dict[str, Any] = field(default_factory=dict)  # shared JSON Schemas (``schemas:``)
    detail_schema: Any = None  # the detail of every error (top-level ``detail_schema:``)


def humanize(code: str | int) -> str:
    """A default message from a code: ``not_found_error`` -> ``Not found error``."""
    if isinstance(code, int):
        return f"Error {code}"
    words = naming.ascii_words(str(code))
    text = " ".join(w.lower() for w in words) or str(code)
    return text[:1].upper() + text[1:]


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


_CATEGORY_WORDS = (
    ("authentication", ("auth", "unauthenticated", "unauthorized", "token", "credential", "api_key")),
    ("permission", ("permission", "forbidden", "denied", "access")),
    ("not_found", ("not_found", "notfound", "missing", "unknown")),
    ("rate_limited", ("rate", "too_many", "quota", "throttl")),
    ("timeout", ("timeout", "timed_out", "deadline")),
    ("unavailable", ("overload", "unavailable", "maintenance")),
    ("conflict", ("conflict", "already_exists", "duplicate")),
    ("validation", ("validation", "unprocessable")),
    ("payload_too_large", ("too_large", "too_long")),
    ("server", ("internal", "api_error", "server")),
)


def guess_category(code: str | int, fallback_status: int | None) -> str:
    """A category for a code documented without a status: from its words, else the status class."""
    text = "_".join(w.lower() for w in naming.ascii_words(str(code)))
    for category, words in _CATEGORY_WORDS:
        if any(w in text for w in words):
            return category
    if fallback_status is not None:
        return taxonomy.category_for_status(fallback_status)
    return "bad_request"


def _class_of(source: str, prefix: str) -> str:
    """The class name the validator derives for an entry named ``source`` (see validation)."""
    name = naming.error_class_name(source)
    return prefix + name if name and (name[0].isdigit() or naming.taken_reason(name, prefix)) else name


def unique_names(errors: list[ProposedError], api_name: str) -> None:
    """Give code-less entries names whose classes no other entry uses."""
    prefix = naming.pascal(api_name)
    repeated = Counter(str(e.code) for e in errors if e.code is not None)
    for err in errors:  # one code under several statuses: one named entry per status
        if err.code is not None and repeated[str(err.code)] > 1 and err.name is None:
            err.name = f"{err.code}_{err.status}" if err.status is not None else f"{err.code}_any"
    taken = {str(e.code) for e in errors if e.code is not None}
    classes = {_class_of(e.name or str(e.code), prefix) for e in errors if e.code is not None}
    for err in errors:
        if err.code is None:
            base = err.name or (status_name(err.status) if err.status is not None else "unknown_error")
            name, n = base, 2
            while name in taken or _class_of(name, prefix) in classes:
                name = f"{base}_{err.status}" if n == 2 and err.status is not None else f"{base}_{n}"
                n += 1
            err.name = name
            taken.add(name)
            classes.add(_class_of(name, prefix))


def render(p: Proposal) -> str:
    """The proposal as a spec file that passes ``errorsdk validate``."""
    unique_names(p.errors, p.name)
    api: dict[str, Any] = {"name": p.name, "version": p.version, "title": p.title or p.name}
    if p.description:
        api["description"] = p.description
    if p.docs_url:
        api["docs_url"] = p.docs_url
    data: dict[str, Any] = {"errorsdk": 1, "api": api}
    if p.envelope:
        data["envelope"] = dict(p.envelope)
    if p.codes_type != "string":
        data["codes"] = {"type": p.codes_type}
    errors = []
    for err in p.errors:
        entry: dict[str, Any] = {}
        if err.code is not None:
            entry["code"] = err.code
        if err.code is None or err.name is not None:
            entry["name"] = err.name
        if err.status is not None:
            entry["status"] = err.status
        if err.category is not None:
            entry["category"] = err.category
        entry["message"] = err.message or (reason(err.status) if err.status else "Error")
        if err.description:
            entry["description"] = err.description
        if err.example is not None:
            entry["example"] = err.example
        if err.detail_schema is not None:
            entry["detail_schema"] = err.detail_schema
        errors.append(entry)
    if not errors:
        errors.append({"name": "unknown_error", "status": 500, "message": "Error"})
        p.errors_todos.append("TODO: the source documents no error: this entry only makes the spec valid.")
    data["errors"] = errors
    if p.schemas:
        data["schemas"] = p.schemas
    if p.detail_schema is not None:
        data["detail_schema"] = p.detail_schema
    doc = Commented(data, header=["yaml-language-server: $schema=../generator/spec.schema.json", ""] + p.header)
    doc.above[("errorsdk",)] = []
    for text in p.api_notes:
        doc.note(("api",), text)
    for text in p.envelope_todos:
        doc.note(("envelope",) if p.envelope else ("errors",), text)
    for key, text in p.envelope_notes.items():
        doc.trailing[("envelope", key)] = text
    for text in p.errors_todos:
        doc.note(("errors",), text)
    for i, err in enumerate(p.errors):
        for text in err.notes:
            doc.note(("errors", i), text)
        if err.message_note:
            doc.trailing[("errors", i, "message")] = err.message_note
    return dump(doc)
