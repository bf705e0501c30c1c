"""Protobuf enums of error codes (a ``.proto`` file, or a descriptor set) -> an AIP-193 spec.

Two kinds of enum:

- canonical codes (``google.rpc.Code``, or any enum whose comments carry ``HTTP Mapping: 404
  Not Found``): each value is a code sent as ``error.status``, its HTTP status the mapping;
- error reasons (``google.api.ErrorReason``, or any enum of reasons): each value is the
  ``reason`` of the ``google.rpc.ErrorInfo`` in ``error.details``, the finer code; a status
  comes from an ``HTTP Mapping`` line when the comment has one, else the entry names its
  category (from the words of its name). A JSON ErrorInfo in the comment becomes the
  entry's example.

Descriptions are the values' comments. The envelope is AIP-193's (``error.code`` the HTTP
status, ``error.status`` the canonical code, ``error.message``, ``error.details[]`` the
typed details google defines, as detail schemas: ErrorInfo, BadRequest, QuotaFailure,
RetryInfo, Help, LocalizedMessage, in their JSON (lowerCamelCase) form).
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..spec import taxonomy
from .modelfile import fail
from .proposal import Proposal, ProposedError, first_sentence, humanize

TYPE_PREFIX = "type.googleapis.com/google.rpc."
# Where the reason is: in the first of error.details whose @type is ErrorInfo (a filter step).
REASON_PATH = f'error.details[?"@type"=="{TYPE_PREFIX}ErrorInfo"].reason'
RETRY_PATH = f'error.details[?"@type"=="{TYPE_PREFIX}RetryInfo"].retryDelay'
"""Where RetryInfo's delay sits: retry.after_paths of every spec this importer writes."""
# The canonical code each status is sent with (google.rpc.Code's HTTP mappings, reversed).
RPC_STATUS = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 501: "UNIMPLEMENTED",
    503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}  # fmt: skip

# google.rpc.Code (google/rpc/code.proto): name, HTTP mapping, first sentence. A spec of reasons
# ends with them: what error.status says when no ErrorInfo gives a reason (a test compares this
# table with the code.proto googleapis-common-protos ships).
CANONICAL = (
    ("CANCELLED", 499, "The operation was cancelled, typically by the caller."),
    ("UNKNOWN", 500, "Unknown error."),
    ("INVALID_ARGUMENT", 400, "The client specified an invalid argument."),
    ("DEADLINE_EXCEEDED", 504, "The deadline expired before the operation could complete."),
    ("NOT_FOUND", 404, "Some requested entity (e.g., file or directory) was not found."),
    ("ALREADY_EXISTS", 409, "The entity that a client attempted to create (e.g., file or directory) already exists."),
    ("PERMISSION_DENIED", 403, "The caller does not have permission to execute the specified operation."),
    ("RESOURCE_EXHAUSTED", 429, "Some resource has been exhausted, perhaps a per-user quota, or perhaps the entire file system is out of space."),
    ("FAILED_PRECONDITION", 400, "The operation was rejected because the system is not in a state required for the operation's execution."),
    ("ABORTED", 409, "The operation was aborted, typically due to a concurrency issue such as a sequencer check failure or transaction abort."),
    ("OUT_OF_RANGE", 400, "The operation was attempted past the valid range."),
    ("UNIMPLEMENTED", 501, "The operation is not implemented or is not supported/enabled in this service."),
    ("INTERNAL", 500, "Internal errors."),
    ("UNAVAILABLE", 503, "The service is currently unavailable."),
    ("DATA_LOSS", 500, "Unrecoverable data loss or corruption."),
    ("UNAUTHENTICATED", 401, "The request does not have valid authentication credentials for the operation."),
)  # fmt: skip

_S = {"type": "string"}


def _detail(name: str, props: dict[str, Any], doc: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": doc,
        "properties": {"@type": {"const": TYPE_PREFIX + name}, **props},
        "required": ["@type"],
    }


def _list_of(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "object", "properties": props}}


DETAIL_SCHEMAS: dict[str, Any] = {
    "ErrorInfo": _detail(
        "ErrorInfo",
        {"reason": _S, "domain": _S, "metadata": {"type": "object", "additionalProperties": _S}},
        "google.rpc.ErrorInfo: the reason (the finer code), its domain and metadata.",
    ),
    "BadRequest": _detail(
        "BadRequest",
        {"fieldViolations": _list_of({"field": _S, "description": _S, "reason": _S})},
        "google.rpc.BadRequest: field_violations, one per bad request field.",
    ),
    "QuotaFailure": _detail(
        "QuotaFailure",
        {
            "violations": _list_of(
                {"subject": _S, "description": _S, "apiService": _S, "quotaMetric": _S, "quotaId": _S}
            )
        },
        "google.rpc.QuotaFailure: the quota checks that failed.",
    ),  # fmt: skip
    "RetryInfo": _detail(
        "RetryInfo",
        {"retryDelay": {"type": "string", "description": "a google.protobuf.Duration, e.g. 30s"}},
        "google.rpc.RetryInfo: retry_delay, how long to wait before retrying.",
    ),
    "Help": _detail(
        "Help",
        {"links": _list_of({"description": _S, "url": _S})},
        "google.rpc.Help: links to documentation.",
    ),
    "LocalizedMessage": _detail(
        "LocalizedMessage",
        {"locale": _S, "message": _S},
        "google.rpc.LocalizedMessage: the message in the user's locale.",
    ),
}
DETAIL_SCHEMA = {
    "type": "array",
    "items": {"anyOf": [{"$ref": f"#/schemas/{name}"} for name in DETAIL_SCHEMAS] + [{"type": "object"}]},
}


@dataclass
class EnumValue:
    name: str
    number: int
    comment: str


@dataclass
class ProtoEnum:
    package: str
    name: str
    values: list[EnumValue]


_COMMENT_LINE = re.compile(r"^[ \t]*//[ \t]?(.*)$")
_VALUE = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(-?\d+)[^;]*;")
_ENUM = re.compile(r"^[ \t]*enum[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\{", re.M)
_PACKAGE = re.compile(r"^[ \t]*package[ \t]+([\w.]+)[ \t]*;", re.M)


def _block_line(line: str) -> str:
    """A line of a ``/* */`` comment as protoc's tokenizer keeps it: leading whitespace and
    one ``*`` stripped (`` * `` continuation lines), then the one space a ``//`` loses."""
    text = line.lstrip(" \t")
    text = text[1:] if text.startswith("*") else text
    return text[1:] if text.startswith(" ") else text


def line_comments(path: Path, text: str) -> tuple[str, list[int]]:
    """``text`` with each ``/* ... */`` comment written as ``//`` lines, and per line of the
    result the line of ``text`` it comes from (1-based).

    A block comment that opens a line is a leading comment (protoc's ``leading_comments``):
    its lines become ``//`` lines, code after its ``*/`` moves to a line of its own. One
    after code on its line (``A = 1; /* ... */``) is a trailing comment, dropped as ``//``
    trailing comments are. ``/*`` inside a string or a ``//`` comment opens nothing.
    """
    out: list[str] = []
    origin: list[int] = []
    current, line, i, n = "", 1, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            out.append(current)
            origin.append(line)
            current, line, i = "", line + 1, i + 1
        elif ch in "\"'":  # a string: to its closing quote (escapes skipped), or the line's end
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n) if j < n and text[j] == ch else j
            current += text[i:j]
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            current += text[i:j]
            i = j
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                column = i - (text.rfind("\n", 0, i) + 1) + 1
                fail(path, "a /* comment is never closed", "close it with */", line, column)
            body = text[i + 2 : end].split("\n")
            if current.strip():  # a trailing comment: dropped, its lines kept empty
                for _ in body[1:]:
                    out.append(current)
                    origin.append(line)
                    current, line = "", line + 1
            else:
                indent = current
                for k, part in enumerate(body):
                    if k:
                        out.append(current)
                        origin.append(line)
                        current, line = "", line + 1
                    lead = indent if k == 0 else ""
                    if not part.strip(" \t*") and k in (0, len(body) - 1):
                        current = lead  # "/**" or "*/" alone on its line
                    else:
                        current = lead + "// " + _block_line(part).rstrip()
                newline = text.find("\n", end)
                rest = text[end + 2 : newline if newline >= 0 else n]
                if rest.strip() and not rest.strip().startswith("//"):
                    out.append(current)  # code after the comment: on a line of its own
                    origin.append(line)
                    current = ""
            i = end + 2
        else:
            j = i + 1
            while j < n and text[j] not in "\n\"'/":
                j += 1
            current += text[i:j]
            i = j
    out.append(current)
    origin.append(line)
    return "\n".join(out), origin


def parse_proto(path: Path, text: str) -> list[ProtoEnum]:
    """The enums of a ``.proto`` file, each value with the comment right above it
    (``//`` lines, or a ``/* ... */`` block: see ``line_comments``)."""
    text, origin = line_comments(path, text)
    package = m.group(1) if (m := _PACKAGE.search(text)) else ""
    found = []
    for match in _ENUM.finditer(text):
        if _COMMENT_LINE.match(text[text.rfind("\n", 0, match.start()) + 1 : match.end()]):
            continue  # inside a comment
        values, comment, closed = [], [], False
        for line in text[match.end() :].splitlines():
            if c := _COMMENT_LINE.match(line):
                comment.append(c.group(1))
            elif v := _VALUE.match(line):
                values.append(EnumValue(v.group(1), int(v.group(2)), "\n".join(comment).strip()))
                comment = []
            elif "}" in line.split("//")[0]:
                closed = True
                break
            elif not line.strip():
                comment = comment + [""] if comment else []
            else:
                comment = []
        if not closed:
            line_no = origin[text.count("\n", 0, match.start())]
            fail(path, f"enum {match.group(1)} is never closed", "close it with }", line_no, 1)
        found.append(ProtoEnum(package, match.group(1), values))
    return found


def parse_descriptor_set(path: Path, raw: bytes) -> list[ProtoEnum]:
    """The enums of a FileDescriptorSet (``protoc --include_source_info -o``), comments included."""
    try:  # optional: only descriptor sets need it (typed Any: protobuf ships no stubs)
        descriptor_pb2: Any = importlib.import_module("google.protobuf.descriptor_pb2")
        DecodeError: Any = importlib.import_module("google.protobuf.message").DecodeError
    except ImportError:
        fail(path, "a descriptor set needs the protobuf package", "pip install protobuf, or give the .proto file")
    files = descriptor_pb2.FileDescriptorSet()
    try:
        files.ParseFromString(raw)
    except DecodeError as exc:
        fail(path, f"neither a .proto file nor a FileDescriptorSet: {exc}", "give a .proto file or `protoc -o` output")
    found = []
    for f in files.file:
        comments = {tuple(loc.path): loc.leading_comments for loc in f.source_code_info.location}

        def walk(enums: Any, messages: Any, where: tuple[int, ...], enum_field: int) -> None:
            for i, e in enumerate(enums):
                base = where + (enum_field, i)
                values = [
                    EnumValue(v.name, v.number, comments.get(base + (2, j), "").strip())  # noqa: B023 (walk runs in this iteration)
                    for j, v in enumerate(e.value)
                ]
                found.append(ProtoEnum(f.package, e.name, values))  # noqa: B023 (walk runs in this iteration)
            for i, msg in enumerate(messages):
                walk(msg.enum_type, msg.nested_type, where + ((4 if not where else 3), i), 4)

        walk(f.enum_type, f.message_type, (), 5)
    return found


def read(path: Path, enum: str | None) -> ProtoEnum:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(path, f"cannot read the proto file: {exc.strerror or exc}", "check the path")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    # A FileDescriptorSet may decode as UTF-8 too: text is .proto source when it declares an enum.
    if text is not None and (_ENUM.search(text) or "\x00" not in text and not raw.startswith(b"\n")):
        enums = parse_proto(path, text)
    else:
        enums = parse_descriptor_set(path, raw)
    if enum is not None:
        chosen = [e for e in enums if enum in (e.name, f"{e.package}.{e.name}")]
        if not chosen:
            fail(path, f"no enum {enum}", f"choose one of: {', '.join(e.name for e in enums) or 'none'}")
        return chosen[0]
    if len(enums) == 1:
        return enums[0]
    reasons = [e for e in enums if e.name.endswith(("Reason", "Code"))]
    if len(reasons) == 1:
        return reasons[0]
    if not enums:
        fail(path, "no enum found", "give a .proto file declaring an enum of error codes or reasons")
    fail(path, f"{len(enums)} enums and no --enum", f"choose one with --enum: {', '.join(e.name for e in enums)}")


_MAPPING = re.compile(r"^HTTP Mapping:\s*(\d{3})", re.M)


def prose(comment: str) -> str:
    """The comment's text without its code (indented lines) and HTTP mapping line."""
    keep = [line for line in comment.splitlines() if not line.startswith("    ") and not _MAPPING.match(line)]
    return re.sub(r"\s+", " ", " ".join(keep)).strip()


def lenient_json(text: str) -> Any:
    """Hand-written JSON in a comment, its stray and missing commas repaired; None if still not JSON."""
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    text = re.sub(r'(["\d}\]])(\s*\n\s*")', r"\1,\2", text)
    try:
        return json.loads(text)
    except ValueError:
        return None


def reason_category(name: str) -> str:
    words = set(name.split("_"))
    if name.endswith("QUOTA_EXCEEDED") or "RATE" in words or "EXHAUSTED" in words:
        return "rate_limited"
    if words & {"TOKEN", "CREDENTIALS", "CREDENTIAL", "COOKIE", "JWT", "UNAUTHENTICATED"} and "SCOPE" not in words:
        return "authentication"
    if words & {"NOT", "FOUND"} == {"NOT", "FOUND"}:
        return "not_found"
    if words & {"INVALID", "MISSING", "UNSUPPORTED", "MALFORMED"} and "API" not in words:
        return "bad_request"
    if words & {"INTERNAL", "UNAVAILABLE", "BACKEND"}:
        return "server"
    return "permission"


def propose_proto(path: Path, name: str, enum: str | None = None) -> Proposal:
    found = read(path, enum)
    full = f"{found.package}.{found.name}" if found.package else found.name
    canonical = bool(found.values) and all(_MAPPING.search(v.comment) or v.number == 0 for v in found.values)
    source = f"the enum {full} in {path.name}"
    p = Proposal(
        name=name,
        title=f"{full} in AIP-193 error responses",
        description=f"Errors of {full} ({'canonical codes' if canonical else 'error reasons'}), from {path.name}.",
        docs_url="https://google.aip.dev/193",
        header=[f"Imported from {source} by errorsdk import."],
    )
    code: Any = "error.status"
    if not canonical:
        code = [REASON_PATH, "error.status"]
        p.envelope_todos.append(
            "The reason is the finer code: the `reason` of the first detail in error.details whose @type "
            "is ErrorInfo, wherever it sits in the list; without one, the canonical code in error.status."
        )
    p.envelope = {"code": code, "message": "error.message", "status": "error.code", "detail": "error.details"}
    p.retry = {"after_paths": [RETRY_PATH]}
    p.retry_notes.append(
        "RetryInfo.retryDelay (a protobuf Duration such as 30s) is retry_after when no Retry-After header "
        "is sent (gRPC clients wait on it; google-api-core unpacks it and never does)."
    )
    p.schemas = dict(DETAIL_SCHEMAS)
    p.detail_schema = DETAIL_SCHEMA
    for value in found.values:
        mapping = _MAPPING.search(value.comment)
        status = int(mapping.group(1)) if mapping else None
        if value.number == 0 and (status is None or status < 400):
            continue  # OK, or the UNSPECIFIED default: no error
        if status is not None and status < 400:
            continue
        text = prose(value.comment)
        entry = ProposedError(status=status, message=first_sentence(text) or humanize(value.name), code=value.name)
        entry.description = text if text != entry.message else ""
        if status is None:
            entry.category = reason_category(value.name)
        if not canonical:
            entry.example = _example(value, entry)
        p.errors.append(entry)
    if not canonical:
        _add_canonical(p)
    return p


def _add_canonical(p: Proposal) -> None:
    """google.rpc.Code's codes after the reasons: error.status when no ErrorInfo is sent."""
    taken = {e.code for e in p.errors}
    first = True
    for code, status, message in CANONICAL:
        if code in taken:
            continue
        entry = ProposedError(status=status, message=message, code=code)
        entry.description = f"google.rpc.Code {code}, sent in error.status; the code when no ErrorInfo gives a reason."
        if first:
            entry.notes.append("The canonical codes (google.rpc.Code): what error.status says when no ErrorInfo does.")
            first = False
        p.errors.append(entry)


def _example(value: EnumValue, entry: ProposedError) -> Any:
    """The comment's JSON ErrorInfo inside an AIP-193 body; None when it has none."""
    blocks = re.findall(r"^    (\{.*?^    \})", value.comment, re.S | re.M)
    info = lenient_json(blocks[0]) if blocks else None
    if not isinstance(info, dict) or info.get("reason") != value.name:
        return None
    status = entry.status or taxonomy.BY_NAME[entry.category or "bad_request"].statuses[0]
    return {
        "error": {
            "code": status,
            "status": RPC_STATUS.get(status, "UNKNOWN"),
            "message": entry.message,
            "details": [{"@type": TYPE_PREFIX + "ErrorInfo", **info}],
        }
    }


def import_proto(path: Path, name: str, enum: str | None = None) -> str:
    from .proposal import render

    return render(propose_proto(path, name, enum))
