"""googleapis-common-protos -> two specs in the AIP-193 envelope.

- ``google.rpc.Code`` (``google/rpc/code.proto``): each canonical code, its HTTP status from
  the comment's ``HTTP Mapping: 404 Not Found`` line, the comment as description. On the
  wire (AIP-193) the code's name is ``error.status``, the HTTP status ``error.code``.
- ``google.api.ErrorReason`` (``google/api/error_reason.proto``): each reason, sent as the
  ``reason`` of the ``google.rpc.ErrorInfo`` in ``error.details``. The proto gives no HTTP
  status, so each reason names its category (from the words of its name); the proto's
  example ErrorInfo of each reason becomes the entry's ``example`` response body.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import google.api
import google.rpc

from errorsdk.spec import taxonomy

CODE_PROTO = Path(next(iter(google.rpc.__path__))) / "code.proto"
REASON_PROTO = Path(next(iter(google.api.__path__))) / "error_reason.proto"

_ENTRY = re.compile(r"((?:^[ \t]*//.*\n)+)[ \t]*([A-Z][A-Z0-9_]*) = (\d+);", re.M)
# The canonical code a category's status maps to (google.rpc.Code's HTTP mappings, reversed).
_RPC_STATUS = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 501: "UNIMPLEMENTED",
    503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}


def enum_entries(proto: Path, enum: str) -> list[tuple[str, int, str]]:
    """``(name, number, comment text)`` of each value of ``enum`` in ``proto``, in order."""
    text = proto.read_text("utf-8")
    start = text.index(f"enum {enum} {{")
    body = text[start : text.index("\n}", start)]
    found = []
    for comment, name, number in _ENTRY.findall(body):
        lines = [re.sub(r"^[ \t]*// ?", "", line) for line in comment.splitlines()]
        found.append((name, int(number), "\n".join(lines).strip()))
    return found


def prose(comment: str) -> str:
    """The comment's paragraphs that are not code (indented) or the HTTP mapping line."""
    keep = [
        line for line in comment.splitlines() if not line.startswith("    ") and not line.startswith("HTTP Mapping")
    ]
    return re.sub(r"\s+", " ", " ".join(keep)).strip()


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?\.)(?:\s|$)", text)
    return (match.group(1) if match else text)[:200]


AIP193_ENVELOPE = {"code": "error.status", "message": "error.message", "status": "error.code", "detail": "error.details"}


def rpc_code_spec() -> dict[str, Any]:
    errors = []
    for name, _, comment in enum_entries(CODE_PROTO, "Code"):
        mapping = re.search(r"HTTP Mapping: (\d{3})", comment)
        assert mapping, name
        status = int(mapping.group(1))
        if status < 400:
            continue  # OK
        text = prose(comment)
        errors.append({"code": name, "status": status, "message": first_sentence(text), "description": text})
    return {
        "errorsdk": 1,
        "api": {
            "name": "google_rpc",
            "version": "1.0.0",
            "title": "google.rpc.Code over HTTP (AIP-193)",
            "docs_url": "https://google.aip.dev/193",
            "license": "Apache-2.0",
        },
        "envelope": AIP193_ENVELOPE,
        "errors": errors,
    }


def lenient_json(text: str) -> Any:
    """The proto's hand-written JSON, its stray and missing commas repaired; None if still not JSON."""
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    text = re.sub(r'(["\d}\]])(\s*\n\s*")', r"\1,\2", text)
    try:
        return json.loads(text)
    except ValueError:
        return None


def reason_category(name: str) -> str:
    words = set(name.split("_"))
    if name.endswith("QUOTA_EXCEEDED") or "RATE" in words:
        return "rate_limited"
    if words & {"TOKEN", "CREDENTIALS", "CREDENTIAL", "COOKIE", "JWT"} and "SCOPE" not in words:
        return "authentication"
    if words & {"INVALID", "MISSING", "UNSUPPORTED"} and "API" not in words:
        return "bad_request"
    return "permission"


def error_reason_spec() -> dict[str, Any]:
    errors = []
    for name, _, comment in enum_entries(REASON_PROTO, "ErrorReason"):
        if name.endswith("_UNSPECIFIED"):
            continue
        text = prose(comment)
        category = reason_category(name)
        entry: dict[str, Any] = {"code": name, "category": category, "message": first_sentence(text), "description": text}
        examples = re.findall(r"^    (\{.*?^    \})", comment, re.S | re.M)
        info = lenient_json(examples[0]) if examples else None
        if info is not None:
            status = taxonomy.BY_NAME[category].statuses[0]
            entry["example"] = {
                "error": {
                    "code": status,
                    "status": _RPC_STATUS[status],
                    "message": entry["message"],
                    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", **info}],
                }
            }
        errors.append(entry)
    return {
        "errorsdk": 1,
        "api": {
            "name": "google_error_reason",
            "version": "1.0.0",
            "title": "google.api.ErrorReason in AIP-193 error responses",
            "docs_url": "https://google.aip.dev/193",
            "license": "Apache-2.0",
        },
        "envelope": {**AIP193_ENVELOPE, "code": "error.details[0].reason"},
        # error.details: google.protobuf.Any messages, here the ErrorInfo the reason sits in.
        "schemas": {
            "ErrorInfo": {
                "type": "object",
                "properties": {
                    "@type": {"type": "string"},
                    "reason": {"type": "string"},
                    "domain": {"type": "string"},
                    "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "required": ["@type"],
            }
        },
        "detail_schema": {"type": "array", "items": {"$ref": "#/schemas/ErrorInfo"}},
        "errors": errors,
    }
