"""The error-reference page of an API, as a model: decided in Python, rendered by templates/docs/.

Tree::

    DocsPage                      one page per API (Markdown, HTML, and the package README)
      envelope: ExampleResponse   the base error as the API sends it
      statuses: StatusRow         one per documented status (the status table)
      groups: ErrorGroup          errors grouped by (status, category), statuses ascending
        entries: DocEntry         one per catalogue entry, with its example response
      snippets: str               the "Handling errors" Python examples (executed by the tests)

Example responses are built from the model's envelope writer steps exactly as the
generated ``to_response()`` builds them (tests compare the two for every error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from ..spec import taxonomy
from ..spec.layout import header_text, put, steps_text
from .data import ApiModel, ErrorClass

Selection = tuple[tuple[str, str | None], ...]  # (words, a value shown as code, or None)


@dataclass(frozen=True)
class ExampleResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: Any  # the JSON document (an XML one as dicts, see runtime/_xml.py), None for an empty body
    xml: bool = False  # the body is sent as XML (envelope.format: xml)

    @property
    def status_line(self) -> str:
        return f"HTTP/1.1 {self.status} {reason(self.status)}".rstrip()

    @property
    def body_text(self) -> str:
        """The body, pretty-printed (the package sends it compact)."""
        if self.body is None:
            return ""
        if self.xml:
            return xml_text(self.body)
        return json.dumps(self.body, indent=2, ensure_ascii=False)

    @property
    def http_text(self) -> str:
        lines = [self.status_line] + [f"{k}: {v}" for k, v in self.headers]
        text = "\n".join(lines)
        return f"{text}\n\n{self.body_text}" if self.body is not None else text


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XML_ATTRIBUTE_ESCAPES = str.maketrans({'"': "&quot;", "\t": "&#9;", "\n": "&#10;"})


def _xml_members(value: dict[Any, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """A dict's children as (element, value, attributes), as ``_xml._members`` reads
    ``name@attribute`` keys (an attribute of the element ``name``)."""
    attributes: dict[str, dict[str, Any]] = {}
    elements: list[tuple[str, Any]] = []
    for key, child in value.items():
        element, at, attribute = str(key).partition("@")
        if at and element and attribute:
            attributes.setdefault(element, {})[attribute] = child
        else:
            elements.append((str(key), child))
    found = [(key, child, attributes.pop(key, {})) for key, child in elements]
    return found + [(key, "", held) for key, held in attributes.items()]


def _xml_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def xml_text(doc: Any) -> str:
    """A document as the generated ``_xml.render_body`` writes it, indented two spaces a
    level (a dict of one element is the root element; a list, repeated elements; a key
    ``name@attribute``, an attribute of the element ``name``)."""
    lines: list[str] = []

    def write(name: str, value: Any, depth: int, attributes: dict[str, Any], index: int = 0) -> None:
        pad = "  " * depth
        if isinstance(value, list):
            for i, member in enumerate(value):
                write(name, member, depth, attributes, i)
            return
        tag = name
        for key, held in attributes.items():
            held = (
                (held[index] if index < len(held) else None) if isinstance(held, list) else held if not index else None
            )
            if held is not None:
                escaped = _xml_value(held).translate(_XML_ESCAPES).translate(_XML_ATTRIBUTE_ESCAPES)
                tag += f' {key}="{escaped}"'
        if isinstance(value, dict):
            lines.append(f"{pad}<{tag}>")
            for key, child, held in _xml_members(value):
                write(key, child, depth + 1, held)
            lines.append(f"{pad}</{name}>")
        elif value is None:
            lines.append(f"{pad}<{tag}/>")
        else:
            lines.append(f"{pad}<{tag}>{_xml_value(value).translate(_XML_ESCAPES)}</{name}>")

    members = _xml_members(doc) if isinstance(doc, dict) else []
    if len(members) == 1:
        name, value, attributes = members[0]
        write(name, value, 0, attributes)
    else:
        write("Error", doc, 0, {})
    return "\n".join(lines)


@dataclass(frozen=True)
class DocEntry:
    error: ErrorClass
    anchor: str
    response: ExampleResponse
    documented_example: str | None  # the spec's ``example`` as JSON, when it has one
    retry_advice: str
    selected_by: tuple[Selection, ...]  # the rules and fallbacks that yield it


@dataclass(frozen=True)
class ErrorGroup:
    status: int | None
    title: str  # "403 Forbidden", or "No documented status"
    category: str
    category_class: str
    anchor: str
    entries: tuple[DocEntry, ...]
    retryable: bool = (
        False  # the category class's default (not its first entry's parent's: a sub-code's is its main code's)
    )


@dataclass(frozen=True)
class StatusRow:
    status: int
    reason: str
    category_classes: tuple[str, ...]
    codes: tuple[str, ...]  # the machine codes documented with this status (code-less entries have none)
    retryable: str  # "yes", "no" or "some"


@dataclass(frozen=True)
class EnvelopeField:
    field: str
    where: tuple[str, ...]  # every path it is read from, in order, as the spec says it, or "header X"
    meaning: str


@dataclass(frozen=True)
class TypeRow:
    """One value of the type dimension (issue 18 section 3): the group class it is, where
    that sits, and the codes (and sub-codes) the catalogue lists under it."""

    type: str
    class_name: str
    parent: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class DocsPage:
    api: ApiModel
    envelope_fields: tuple[EnvelopeField, ...]
    envelope: ExampleResponse
    envelope_class: str
    statuses: tuple[StatusRow, ...]
    groups: tuple[ErrorGroup, ...]
    snippets: tuple[tuple[str, str], ...]  # (lead-in sentence, Python code)
    types: tuple[TypeRow, ...] = ()  # the values of envelope.type, by their groups
    # (what, class) of each fallback the spec points at a class rather than the category
    fallbacks: tuple[tuple[str, str], ...] = ()
    unknown_class: str = "UnknownError"  # the class of a status outside 4xx and 5xx


# Python 3.13 gave four statuses RFC 9110's names; the docs use those on every
# Python, so that a spec makes the same bytes wherever errorsdk runs.
RFC_9110_PHRASES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def reason(status: int) -> str:
    """The reason phrase of ``status`` (RFC 9110), or "" for a status without one."""
    if status in RFC_9110_PHRASES:
        return RFC_9110_PHRASES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


# --- example responses: the generated _envelope.render_response, on the model -----


def response_status(api: ApiModel, error: ErrorClass | None) -> int:
    """The status an error is sent with (its own, else its category's first)."""
    if error is not None and error.status is not None:
        return error.status
    category = error.category if error is not None else "unknown"
    statuses = taxonomy.BY_NAME[category].statuses
    return statuses[0] if statuses else (200 if api.envelope.errors_on_success else 500)


def _fields(api: ApiModel, error: ErrorClass | None, status: int) -> dict[str, Any]:
    code_value = error.code if error is not None else None
    message = error.message if error is not None else f"{api.title} error"
    separator = api.envelope.code_prefix
    if separator is not None and code_value is not None:  # the generated joined_message
        message = f"{code_value}{separator}{message}" if message else str(code_value)
    return {
        "status": status,
        "code": code_value,
        "message": message,
        "detail": None,
        "request_id": None,
        "retry_after": None,
        "sub_code": error.sub_code if error is not None else None,
        "type": api.type_of(error.class_name) if error is not None else None,
    }


def example_response(api: ApiModel, error: ErrorClass | None) -> ExampleResponse:
    """What ``Class().to_response()`` returns for ``error`` (None: the base class)."""
    env = api.envelope
    status = response_status(api, error)
    values = _fields(api, error, status)
    headers = {name: header_text(values[f]) for f, name in env.header_writers if values[f] is not None}
    doc: Any = None
    if env.items_steps is not None:
        item: Any = None
        for field, steps in env.item_writers:
            if values[field] is not None:
                item = put(item, steps, values[field])
        doc = put(doc, env.items_steps, [item if item is not None else {}])
    for field, steps in env.body_writers:
        if values[field] is not None:
            doc = put(doc, steps, values[field])
    if env.flag_steps is not None:
        doc = put(doc, env.flag_steps, env.flag_value)
    if env.require_steps is not None:
        doc = put(doc, env.require_steps, env.require_value)
    if doc is not None:
        headers["content-type"] = "application/xml" if api.xml_body else "application/json"
    return ExampleResponse(status, tuple(headers.items()), doc, xml=api.xml_body)


# --- the page ----------------------------------------------------------------------


_MEANINGS = {
    "code": "the machine code: what the package dispatches on",
    "message": "the human-readable message",
    "detail": "the detail: a typed model where the spec gives it a schema (`raw_detail` keeps the JSON)",
    "status": "the HTTP status, repeated in the body",
    "request_id": "the request id, for support",
    "retry_after": "seconds to wait before retrying, when no header says (a number, or a Duration such as `30s`)",
    "sub_code": "the finer code under the code (`sub_code`): a class of its own where the catalogue has one",
    "type": "the error type: a code no entry has becomes its type's group class",
}


def _envelope_fields(api: ApiModel) -> tuple[EnvelopeField, ...]:
    """One row a field, with every path it is read from, in the order tried."""
    env = api.envelope
    prefix = f"{steps_text(env.items_steps)}[] . " if env.items_steps is not None else ""
    rows = []
    for field, texts in env.read_paths:
        inside = prefix if field != "request_id" else ""
        shown = [t if t.startswith("header ") else inside + t for t in texts]
        rows.append(EnvelopeField(field, tuple(shown), _MEANINGS[field]))
    if api.retry.after_paths:  # retry.after_paths: read from the whole document
        rows.append(EnvelopeField("retry_after", api.retry.after_paths, _MEANINGS["retry_after"]))
    if env.code_prefix is not None:  # issue 18 section 5: the code opens the message
        message = next((row.where for row in rows if row.field == "message"), ())
        split = tuple(f"{path} (before {env.code_prefix!r}, else all of it)" for path in message)
        rows.append(EnvelopeField("code", split, _MEANINGS["code"]))
    order = list(_MEANINGS)
    return tuple(sorted(rows, key=lambda r: order.index(r.field)))


def heading(error: ErrorClass) -> str:
    """An entry's heading: its code (with its sub-code: ``card_declined / lost_card``), else its name."""
    if error.code is None:
        return error.name
    return f"{error.code} / {error.sub_code}" if error.sub_code is not None else str(error.code)


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to dashes."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in "-_ ")
    return kept.replace(" ", "-")


def _retry_advice(error: ErrorClass) -> str:
    if error.retryable:
        return "Retryable: the same request may succeed later; retry with exponential backoff and jitter."
    return "Not retryable: sending the same request again fails the same way; change the request first."


def _selected_by(api: ApiModel, error: ErrorClass) -> tuple[Selection, ...]:
    """How a response becomes this error besides its own status and code: rules, then fallbacks."""
    lines: list[Selection] = []
    for rule in api.rules:
        if rule.class_name != error.class_name:
            continue
        parts: list[tuple[str, str | None]] = [("a rule (checked first):", None)]
        statuses = [str(x) for x in rule.statuses] + [f"{x}xx" for x in rule.status_classes]
        if statuses:
            parts.append(("status " + " or ".join(statuses), None))
        if rule.code is not None:
            parts.append(("code", str(rule.code)))
        if rule.message is not None:
            parts.append(("message matching", rule.message))
        if rule.methods:
            parts.append(("method " + " or ".join(rule.methods), None))
        if rule.path is not None:
            parts.append(("URL path matching", rule.path))
        lines.append(tuple(parts))
    d = api.dispatch
    coded = {status for (status, _), _cls in d.by_status_code}
    for status, cls in d.by_status:
        if cls == error.class_name and status != error.status:
            lines.append(((f"any response with status {status} and no known code", None),))
        elif cls == error.class_name and error.code is None and status in coded:
            lines.append(((f"a response with status {status} and a code the catalogue does not list", None),))
    for label, target in (
        ("a response whose code the catalogue does not list (fallback)", d.unknown_code),
        ("an error response without a code (fallback)", d.no_code),
        ("a response whose status no error documents (fallback)", d.unknown_status),
    ):
        if target == error.class_name:
            lines.append(((label, None),))
    return tuple(lines)


def _groups(api: ApiModel) -> tuple[ErrorGroup, ...]:
    keyed: dict[tuple[int, str], list[ErrorClass]] = {}
    for err in api.errors:
        keyed.setdefault((err.status if err.status is not None else 10**6, err.category), []).append(err)
    groups = []
    for (status_key, category), errors in sorted(keyed.items()):
        status = None if status_key == 10**6 else status_key
        title = f"{status} {reason(status)}".rstrip() if status is not None else "No documented status"
        entries = tuple(
            DocEntry(
                error=e,
                anchor=anchor(heading(e)),
                response=example_response(api, e),
                documented_example=None
                if e.example is None
                else xml_text(e.example)
                if api.xml_body
                else json.dumps(e.example, indent=2, ensure_ascii=False),
                retry_advice=_retry_advice(e),
                selected_by=_selected_by(api, e),
            )
            for e in errors
        )
        info = taxonomy.BY_NAME[category]
        groups.append(
            ErrorGroup(
                status, title, category, info.class_name, anchor(f"{title}: {category}"), entries, info.retryable
            )
        )
    return tuple(groups)


def _statuses(api: ApiModel) -> tuple[StatusRow, ...]:
    by_status: dict[int, list[ErrorClass]] = {}
    for err in api.errors:
        if err.status is not None:
            by_status.setdefault(err.status, []).append(err)
    rows = []
    for status, errors in sorted(by_status.items()):
        flags = {e.retryable for e in errors}
        rows.append(
            StatusRow(
                status=status,
                reason=reason(status),
                category_classes=tuple(dict.fromkeys(taxonomy.BY_NAME[e.category].class_name for e in errors)),
                codes=tuple(dict.fromkeys(str(e.code) for e in errors if e.code is not None)),
                retryable="some" if len(flags) > 1 else ("yes" if flags == {True} else "no"),
            )
        )
    return tuple(rows)


def _snippets(api: ApiModel) -> tuple[tuple[str, str], ...]:
    """Python examples that run as they are against the generated package."""
    pkg, base = api.package, api.base_class
    example = _example_error(api)
    if example is None:
        leaf, parent = "InternalServerError", "InternalServerError"
    else:
        leaf, parent = example.class_name, taxonomy.BY_NAME[example.category].class_name
    group = api.group_class
    names = ", ".join(sorted({base, leaf, parent, "from_response"} | ({group} if group else set())))
    if group:
        inspect = f"""assert isinstance(error, {base})  # every error of the API
# Several errors in one response arrive as one {group}, an ExceptionGroup of
# typed errors (`except*` splits it by class); one error arrives as itself.
for each in error.errors if isinstance(error, {group}) else (error,):
    if isinstance(each, {parent}):  # a category
        print(type(each).__name__, each.status, each.code, each.message)
        print("retry?", each.retryable, "how to fix:", each.hint)
"""
    else:
        inspect = f"""assert isinstance(error, {base})  # every error of the API
if isinstance(error, {parent}):  # a category
    print(type(error).__name__, error.status, error.code, error.message)
    print("retry?", error.retryable, "how to fix:", error.hint)
"""
    first = f"""from {pkg} import {names}

# A response as the API sends it; here built by the package itself.
status, headers, body = {leaf}().to_response()

error = from_response(status, body, headers)  # never raises; None when not an error
{inspect}"""
    group_except = (
        f"""    except {group} as errors:  # several errors in one response (an ExceptionGroup)
        return ", ".join(type(each).__name__ for each in errors.errors)
"""
        if group
        else ""
    )
    leaf_except = (
        f"""    except {leaf} as error:  # exactly this error
        return f"{leaf}: {{error.hint}}"
"""
        if leaf != parent
        else ""
    )
    second = f"""from {pkg} import {", ".join(sorted({base, leaf, parent, "raise_for_response"} | ({group} if group else set())))}


def handle(status: int, headers: dict[str, str], body: bytes) -> str:
    try:
        raise_for_response(status, body, headers)
{group_except}{leaf_except}    except {parent} as error:  # every error of its category
        return f"{parent}: {{error.message}}"
    except {base} as error:  # any other error of this API
        if error.retryable:
            return "retry later"
        raise
    return "ok"


print(handle(*{leaf}().to_response()))
assert handle(200, {{}}, b"") == "ok"
"""
    third = f"""import time
from collections.abc import Callable

from {pkg} import from_response, should_retry, wait_for


def call_with_retries(
    send: Callable[[], tuple[int, dict[str, str], bytes]],
    attempts: int = 3,
    wait: Callable[[float], None] = time.sleep,
) -> bytes:
    \"\"\"Call ``send`` until it succeeds, retrying what the API (or the server) says to retry.\"\"\"
    for attempt in range(attempts):
        status, headers, body = send()
        error = from_response(status, body, headers)
        if error is None:
            return body
        if not should_retry(error) or attempt == attempts - 1:
            raise error  # not retryable, x-should-retry: false, or Retry-After beyond the cap
        wait(wait_for(error, attempt=attempt + 1))  # Retry-After, else backoff with jitter
    raise AssertionError("unreachable")


assert call_with_retries(lambda: (200, {{}}, b"{{}}"), wait=lambda s: None) == b"{{}}"
"""
    return (
        ("Turn a response into an error object, then inspect it:", first),
        (
            "Or raise it, and catch as narrowly as you need: one error, its category, or every error of the API:",
            second,
        ),
        ("Retry only what the API says is retryable (`error.retryable`):", third),
    )


def _ruled_away(api: ApiModel, error: ErrorClass) -> bool:
    """Whether a rule gives the response ``error`` renders (no request method or URL)
    another class: its default message can name what a rule looks for."""
    status = response_status(api, error)
    for rule in api.rules:
        if rule.methods or rule.path is not None:
            continue  # never holds without the request
        if rule.statuses or rule.status_classes:
            if status not in rule.statuses and status // 100 not in rule.status_classes:
                continue
        if rule.code is not None and rule.code != error.code:
            continue
        if rule.message is not None and not re.search(rule.message, error.message):
            continue
        return rule.class_name != error.class_name
    return False


def _example_error(api: ApiModel) -> ErrorClass | None:
    """The error the page's examples use: the first with a code, else the first; of those
    whose own response comes back as themselves, where there is one."""
    for candidates in ([e for e in api.errors if not _ruled_away(api, e)], list(api.errors)):
        found = next((e for e in candidates if e.code is not None), candidates[0] if candidates else None)
        if found is not None:
            return found
    return None


def build_page(api: ApiModel) -> DocsPage:
    example = _example_error(api)
    return DocsPage(
        api=api,
        envelope_fields=_envelope_fields(api),
        envelope=example_response(api, example),
        envelope_class=example.class_name if example else api.base_class,
        statuses=_statuses(api),
        groups=_groups(api),
        snippets=_snippets(api),
        types=_types(api),
        fallbacks=_fallbacks(api),
        unknown_class=next(c.class_name for c in api.categories if c.category == "unknown"),
    )


def _fallbacks(api: ApiModel) -> tuple[tuple[str, str], ...]:
    """The spec's fallbacks that name a class (an entry, or the base class), as (what, class)."""
    d = api.dispatch
    return tuple(
        (what, target)
        for what, target in (
            ("a response whose code the catalogue does not list", d.unknown_code),
            ("a response without a code, under a status the catalogue documents", d.no_code),
            ("a response without a code, under a status no error documents", d.unknown_status),
        )
        if target is not None
    )


def _types(api: ApiModel) -> tuple[TypeRow, ...]:
    """The type dimension's rows: each group with a type, and the entries under it."""
    if not api.dispatch.types:
        return ()
    return tuple(
        TypeRow(
            g.type,
            g.class_name,
            g.parent,
            tuple(heading(e) for e in api.errors if api.type_of(e.class_name) == g.type),
        )
        for g in api.groups
        if g.type is not None
    )
