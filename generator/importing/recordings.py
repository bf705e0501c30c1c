"""Recorded responses: JSON Lines or HAR 1.2, read into ``Record``s with secrets redacted.

JSON Lines: one response per line, ``{"status": 404, "headers": {...}, "body": ...}``
(optionally ``method`` and ``url``). HAR 1.2 (browser devtools, mitmproxy, Charles,
Postman, Playwright): ``log.entries[].response`` with ``status``, ``headers`` (a list
of ``{name, value}``), ``content.text`` and ``content.encoding: base64``; the entry's
``request.method`` and ``request.url`` are kept for reports.

Secrets never leave this module: a header whose name is secret (the generated
packages' own lists and markers, generator/redaction.py), a URL query parameter or a
body key with such a name, and ``Bearer``/``Basic`` credentials inside text become
``<redacted>``. A malformed file is a SpecError with ``file:line:column`` (JSON) or the
JSON pointer of the bad member (HAR); nothing is returned for it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model.redaction import DEFAULT_SECRET_HEADERS, SECRET_MARKERS, squash
from ..spec.diagnostics import Diagnostic, SpecError
from .proposal import CODE_KEYS, DETAIL_KEYS, MESSAGE_KEYS, REQUEST_ID_KEYS, STATUS_KEYS

MAX_RECORDS = 100_000
REDACTED = "<redacted>"
_SQUASHED_SECRETS = frozenset(squash(name) for name in DEFAULT_SECRET_HEADERS)
_CREDENTIAL_TEXT = re.compile(r"(?i)\b(bearer|basic|token)(\s+|[=:]\s*)([A-Za-z0-9._~+/=-]{8,})")
# Keys that carry the error itself, never redacted whatever their name says.
_ERROR_KEYS = frozenset(CODE_KEYS + MESSAGE_KEYS + DETAIL_KEYS + REQUEST_ID_KEYS + STATUS_KEYS + ("errors", "title"))

T = TypeVar("T")


@dataclass(frozen=True)
class Record:
    line: int  # the JSON Lines line, or the HAR entry's index + 1
    status: int
    headers: dict[str, str]  # lower-case names, secrets redacted
    body: Any  # parsed JSON; a str when the body is not JSON; None when empty
    method: str | None = None
    url: str | None = None  # secrets in the query redacted
    where: str = ""  # "file:line" or "file#/log/entries/3", for reports


def is_secret(name: str) -> bool:
    """Whether a header, query parameter or body key named ``name`` carries a credential."""
    squashed = squash(name)
    return squashed in _SQUASHED_SECRETS or any(marker in squashed for marker in SECRET_MARKERS)


def redact_text(text: str) -> str:
    """``text`` with ``Bearer <credential>``-like parts redacted: a word after bearer, basic
    or token that looks like a credential (a digit in it, or 16 characters or more), so
    "Invalid token provided" stays as it is."""

    def sub(m: re.Match[str]) -> str:
        secret = m.group(3)
        if len(secret) >= 16 or any(ch.isdigit() for ch in secret):
            return f"{m.group(1)}{m.group(2)}{REDACTED}"
        return m.group(0)

    return _CREDENTIAL_TEXT.sub(sub, text)


def redact_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return redact_text(url)
    cleaned = [(k, REDACTED if is_secret(k) else v) for k, v in query]
    netloc = parts.netloc.rsplit("@", 1)[-1]  # user:password@host
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(cleaned, safe="<>"), ""))


def redact_body(value: Any, depth: int = 0) -> Any:
    """``value`` with secret-named members and credentials in text redacted."""
    if depth > 64:
        return value
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and k not in _ERROR_KEYS and is_secret(k) else redact_body(v, depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_body(v, depth + 1) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: (REDACTED if is_secret(k) else redact_text(v)) for k, v in headers.items()}


def _problem(file: str, line: int, column: int, message: str, hint: str) -> SpecError:
    return SpecError([Diagnostic(file, line, column, message, hint)])


_JSONL_HINT = 'one JSON object per line: {"status": 404, "headers": {...}, "body": ...}, or a HAR 1.2 file'
_HAR_HINT = 'a HAR 1.2 file: {"log": {"entries": [{"request": {...}, "response": {"status": 404, ...}}]}}'


def _parse_body(body: Any) -> Any:
    if isinstance(body, str):
        try:
            return json.loads(body) if body.strip() else None
        except json.JSONDecodeError:
            return body
    return body


def _status_ok(status: Any) -> bool:
    return isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599


def load(path: Path, progress: bool | None = None) -> list[Record]:
    """Every response of a JSON Lines or HAR file, secrets redacted."""
    file = str(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(file, 0, 0, f"cannot read the file: {exc}", "pass a UTF-8 JSON Lines or HAR file") from None
    start = text.lstrip()[:200]
    if path.suffix.lower() == ".har" or (start.startswith("{") and re.match(r'\{\s*"log"\s*:', start)):
        return _load_har(file, text, progress)
    return _load_jsonl(file, text, progress)


def _load_jsonl(file: str, text: str, progress: bool | None) -> list[Record]:
    records = []
    lines = text.splitlines()[:MAX_RECORDS]
    for number, raw in with_progress(enumerate(lines, start=1), len(lines), "reading", progress):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _problem(file, number, exc.colno, f"not JSON: {exc.msg}", _JSONL_HINT) from None
        status = obj.get("status") if isinstance(obj, dict) else None
        if not isinstance(status, int) or not _status_ok(status):
            raise _problem(file, number, 1, "each line needs an integer HTTP 'status' (100-599)", _JSONL_HINT)
        headers = obj.get("headers") or {}
        if isinstance(headers, list):
            headers = {str(k): str(v) for k, v in headers if isinstance(k, str)}
        if not isinstance(headers, dict):
            raise _problem(file, number, 1, "'headers' must be an object or a list of [name, value] pairs", _JSONL_HINT)
        method, url = obj.get("method"), obj.get("url")
        records.append(
            Record(
                number,
                status,
                redact_headers({str(k).lower(): str(v) for k, v in headers.items()}),
                redact_body(_parse_body(obj.get("body"))),
                method if isinstance(method, str) else None,
                redact_url(url) if isinstance(url, str) else None,
                f"{file}:{number}",
            )
        )
    if not records:
        raise _problem(file, 1, 1, "the file holds no response", _JSONL_HINT)
    return records


def _load_har(file: str, text: str, progress: bool | None) -> list[Record]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _problem(file, exc.lineno, exc.colno, f"not JSON: {exc.msg}", _HAR_HINT) from None

    def bad(pointer: str, what: str) -> SpecError:
        return _problem(file, 1, 1, f"at {pointer}: {what}", _HAR_HINT)

    log = doc.get("log") if isinstance(doc, dict) else None
    if not isinstance(log, dict):
        raise bad("/log", "a HAR file holds a 'log' object")
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise bad("/log/entries", "'entries' must be a list")
    records = []
    for index, entry in with_progress(enumerate(entries[:MAX_RECORDS]), len(entries), "reading", progress):
        here = f"/log/entries/{index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("response"), dict):
            raise bad(here + "/response", "each entry needs a 'response' object")
        resp = entry["response"]
        status = resp.get("status")
        if status == 0:  # a request that got no response (blocked, aborted): nothing to learn
            continue
        if not _status_ok(status):
            raise bad(here + "/response/status", f"an integer HTTP status (100-599), not {status!r}")
        headers: dict[str, str] = {}
        raw_headers = resp.get("headers") or []
        if not isinstance(raw_headers, list):
            raise bad(here + "/response/headers", "a list of {name, value} objects")
        for h_index, h in enumerate(raw_headers):
            if not (isinstance(h, dict) and isinstance(h.get("name"), str) and isinstance(h.get("value"), str)):
                raise bad(f"{here}/response/headers/{h_index}", 'each header is {"name": str, "value": str}')
            name = h["name"].lower()
            headers[name] = f"{headers[name]}, {h['value']}" if name in headers else h["value"]
        content = resp.get("content") or {}
        if not isinstance(content, dict):
            raise bad(here + "/response/content", "an object with 'text' (and 'encoding')")
        body_text = content.get("text")
        if body_text is not None and not isinstance(body_text, str):
            raise bad(here + "/response/content/text", "a string")
        if body_text and content.get("encoding") == "base64":
            try:
                body_text = base64.b64decode(body_text, validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                raise bad(here + "/response/content/text", "not base64-encoded UTF-8 text") from None
        request = entry.get("request")
        request = request if isinstance(request, dict) else {}
        method, url = request.get("method"), request.get("url")
        records.append(
            Record(
                index + 1,
                status,
                redact_headers(headers),
                redact_body(_parse_body(body_text)),
                method if isinstance(method, str) else None,
                redact_url(url) if isinstance(url, str) else None,
                f"{file}#{here}",
            )
        )
    if not records:
        raise bad("/log/entries", "the file holds no response")
    return records


def with_progress(items: Iterable[T], total: int, what: str, enabled: bool | None = None) -> Iterator[T]:
    """``items``, with a progress line on stderr for long runs on a terminal (quiet otherwise).

    No dependency: a carriage-return line every 1% is all a reviewer needs to see it move."""
    show = (sys.stderr.isatty() if enabled is None else enabled) and total >= 1000
    step = max(1, total // 100)
    for done, item in enumerate(items, start=1):
        if show and (done % step == 0 or done == total):
            sys.stderr.write(f"\r{what} {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        yield item
