"""Recorded error responses (JSON Lines) -> a proposed spec.

Each line is one response: ``{"status": 404, "headers": {...}, "body": <JSON or text>}``.
Where the code, message, detail, status and request id sit is detected per body
(flat keys, a nested ``error`` object, a GraphQL ``errors`` array, a top-level array)
and decided by vote over all bodies; paths seen in a minority become alternatives.
Codes and statuses are collected as catalogue entries, the most common message of
each as its default message.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from .proposal import (
    CODE_KEYS,
    DETAIL_KEYS,
    MESSAGE_KEYS,
    NEST_KEYS,
    REQUEST_ID_HEADER,
    REQUEST_ID_KEYS,
    STATUS_KEYS,
    Proposal,
    ProposedError,
    guess_category,
    humanize,
    render,
)
from .recordings import Record, load

_CODE_TEXT = re.compile(r"^[A-Za-z0-9_.:/#-]{1,80}$")


def load_records(path: Path) -> list[Record]:
    """Every response of a JSON Lines or HAR file (recordings.py); a SpecError for bad input."""
    return load(path)


def path_text(steps: tuple[str | int, ...]) -> str:
    """Steps in the spec's path language: ``error.code``, ``errors[0]``, ``["odd.key"]``."""
    out = ""
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step.isidentifier():
            out += f".{step}" if out else step
        else:
            out += "[" + json.dumps(step) + "]"
    return out or "$"


def _is_code(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and bool(_CODE_TEXT.match(value)))


def _first(obj: dict[str, Any], keys: tuple[str, ...], test: Any, exclude: tuple[str, ...] = ()) -> str | None:
    return next((k for k in keys if k in obj and k not in exclude and test(obj[k])), None)


def _fields(obj: Any, status: int, depth: int = 0) -> dict[str, tuple[str | int, ...]]:
    """Envelope field -> steps, for one error object."""
    found: dict[str, tuple[str | int, ...]] = {}
    if not isinstance(obj, dict):
        return found
    if depth < 3:
        for key in NEST_KEYS:
            if isinstance(obj.get(key), dict):
                inner = _fields(obj[key], status, depth + 1)
                if "code" in inner or "message" in inner:
                    outer = _fields({k: v for k, v in obj.items() if k not in NEST_KEYS}, status, depth + 1)
                    nested = {f: (key, *s) for f, s in inner.items()}
                    return {**{f: s for f, s in outer.items() if f == "request_id"}, **nested}
        ext = obj.get("extensions")
        if isinstance(ext, dict) and _is_code(ext.get("code")):
            found["code"] = ("extensions", "code")
    status_key = _first(obj, STATUS_KEYS, lambda v: v == status and not isinstance(v, bool))
    code_key = _first(obj, CODE_KEYS, _is_code, exclude=(status_key,) if status_key else ())
    if code_key is not None and "code" not in found:
        found["code"] = (code_key,)
    message_key = _first(obj, MESSAGE_KEYS, lambda v: isinstance(v, str) and bool(v.strip()), exclude=(code_key or "",))
    if message_key is not None:
        found["message"] = (message_key,)
    detail_key = _first(
        obj,
        DETAIL_KEYS,
        lambda v: isinstance(v, (dict, list)) or v is None,
        exclude=("extensions",) if "code" in found and found["code"][0] == "extensions" else (),
    )
    if detail_key is not None:
        found["detail"] = (detail_key,)
    if status_key is not None:
        found["status"] = (status_key,)
    rid = _first(obj, REQUEST_ID_KEYS, lambda v: isinstance(v, (str, int)) and not isinstance(v, bool))
    if rid is not None:
        found["request_id"] = (rid,)
    return found


def _items(body: Any) -> tuple[str | int, ...] | None:
    """Where a list of error objects sits: ``errors`` (GraphQL and others), or the whole body."""
    if isinstance(body, list) and body and all(isinstance(x, dict) for x in body):
        return ()
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        if all(isinstance(x, dict) for x in body["errors"]) and not ({"code", "message", "error"} & set(body)):
            return ("errors",)
    return None


def _get(obj: Any, steps: tuple[str | int, ...]) -> Any:
    for step in steps:
        if isinstance(step, int):
            obj = obj[step] if isinstance(obj, list) and -len(obj) <= step < len(obj) else None
        else:
            obj = obj.get(step) if isinstance(obj, dict) else None
    return obj


def _is_error(r: Record) -> bool:
    return r.status >= 400 or _items(r.body) is not None


def propose(records: list[Record], name: str, source: str) -> Proposal:
    errors_seen = [r for r in records if _is_error(r)]
    p = Proposal(name=name, title=f"{name} API")
    p.header = [
        f"Proposed by `errorsdk import examples` from {Path(source).name}: {len(errors_seen)} error "
        f"response(s) of {len(records)} recorded.",
        "Review every TODO, then run `errorsdk validate` and `errorsdk generate`.",
    ]
    p.api_notes.append("TODO: the API's real title, version and docs_url.")
    item_votes: Counter[tuple[str | int, ...]] = Counter(s for r in errors_seen if (s := _items(r.body)) is not None)
    items = item_votes.most_common(1)[0][0] if item_votes and 2 * sum(item_votes.values()) >= len(errors_seen) else None
    objects: list[tuple[Record, Any]] = []
    for r in errors_seen:
        if items is not None and _items(r.body) == items:
            objects += [(r, obj) for obj in _get(r.body, items)]
        else:
            objects.append((r, r.body))
    votes: dict[str, Counter[tuple[str | int, ...]]] = {}
    for r, obj in objects:
        for fld, steps in _fields(obj, r.status).items():
            votes.setdefault(fld, Counter())[steps] += 1
    if items is not None:
        p.envelope["items"] = path_text(items)
        if any(r.status < 400 for r in errors_seen):
            p.envelope["errors_on_success"] = True
        if any(isinstance(r.body, dict) and "data" in r.body for r in errors_seen):
            p.envelope["data"] = "data"
    chosen: dict[str, list[tuple[str | int, ...]]] = {}
    for fld in ("code", "message", "detail", "status", "request_id"):
        if fld in votes:
            ranked = sorted(votes[fld].items(), key=lambda kv: (-kv[1], path_text(kv[0])))
            chosen[fld] = [steps for steps, _ in ranked]
            texts = [path_text(s) for s in chosen[fld]]
            p.envelope[fld] = texts[0] if len(texts) == 1 else texts
            p.envelope_notes[fld] = f"seen in {sum(votes[fld].values())} of {len(objects)} error(s)"
    if "request_id" not in p.envelope:
        names = Counter(h for r in errors_seen for h in r.headers if _request_id_header(h))
        if names:
            # the API's own id (x-request-id) before a CDN's (cf-ray) when both are always there
            id_headers = sorted(names.items(), key=lambda kv: (-kv[1], kv[0] in _MORE_REQUEST_ID_HEADERS, kv[0]))
            header, count = id_headers[0]
            if count == len(errors_seen):  # a header only some errors carry is no request id to rely on
                p.envelope["request_id"] = f"header:{header}"
                p.envelope_notes["request_id"] = f"header seen on every one of {count} error response(s)"
            else:
                p.envelope_todos.append(
                    f"TODO: header {header} (a request id?) came with only {count} of {len(errors_seen)} error(s)."
                )
    rate_limit = _rate_limit_headers(records)
    if rate_limit:
        p.retry["rate_limit"] = rate_limit
        p.retry_notes.append("rate-limit headers seen in the recorded responses")
    if "code" not in p.envelope:
        p.envelope_todos.append("TODO: no body carried a recognisable code: errors are known by status alone.")

    def read(obj: Any, fld: str) -> Any:
        return next((v for s in chosen.get(fld, []) if (v := _get(obj, s)) is not None), None)

    seen: dict[tuple[Any, int | None], Counter[str]] = {}
    counts: Counter[tuple[Any, int | None]] = Counter()
    for r, obj in objects:
        code = read(obj, "code")
        code = code if _is_code(code) else None
        message = read(obj, "message")
        key = (code, r.status if r.status >= 400 else None)
        counts[key] += 1
        bucket = seen.setdefault(key, Counter())
        if isinstance(message, str) and message.strip():
            bucket[" ".join(message.split())] += 1
    codes = [c for c, _ in seen if c is not None]
    if codes and all(isinstance(c, int) for c in codes):
        p.codes_type = "integer"
    for key in sorted(seen, key=lambda k: (k[0] is None, k[1] if k[1] is not None else 999, str(k[0]))):
        code, status = key
        messages = seen[key]
        by_count = sorted(messages.items(), key=lambda kv: (-kv[1], kv[0]))
        message = by_count[0][0] if by_count else (humanize(code) if code is not None else "")
        if code is None and status is None:  # nothing would reach such an entry
            p.errors_todos.append(
                f"TODO: {counts[key]} error(s) in 2xx responses carried no code: add a rule if they matter."
            )
            continue
        err = ProposedError(status=status, code=code, message=message[:200])
        if status is None:
            err.category = guess_category(code if code is not None else "", None)
            err.notes.append("TODO: recorded in a 2xx response: the category is a guess from the code")
        if len(by_count) > 1:
            err.message_note = f"the most common of {len(by_count)} messages in {counts[key]} response(s)"
        elif not by_count:
            err.message_note = "TODO: no recorded message" + ("; derived from the code" if code is not None else "")
        p.errors.append(err)
    _infer_details(p, objects, read)
    return p


_MORE_REQUEST_ID_HEADERS = frozenset(
    {
        "cf-ray",
        "request-id",
        "x-amz-request-id",
        "x-amz-cf-id",
        "x-goog-request-id",
        "x-github-request-id",
        "x-ms-request-id",
        "fly-request-id",
        "x-vercel-id",
        "x-cloud-trace-context",
    }
)
_RATE_LIMIT = re.compile(r"^(?:x-)?rate-?limit-(limit|remaining|reset)(?:-[a-z]+)?$")


def _request_id_header(name: str) -> bool:
    return bool(REQUEST_ID_HEADER.match(name)) or name in _MORE_REQUEST_ID_HEADERS


def _rate_limit_headers(records: list[Record]) -> dict[str, str]:
    """``retry.rate_limit``: for limit, remaining and reset, the header most responses send."""
    votes: dict[str, Counter[str]] = {}
    for r in records:
        for name in r.headers:
            found = _RATE_LIMIT.match(name)
            if found:
                votes.setdefault(found.group(1), Counter())[name] += 1
    return {
        role: sorted(votes[role].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]
        for role in ("limit", "remaining", "reset")
        if role in votes
    }


def infer_schema(values: list[Any], depth: int = 0) -> dict[str, Any]:
    """A JSON Schema every one of ``values`` satisfies, genson-style: types merged, an
    object's properties merged (``required``: those present in every object), an array's
    items merged; no ``additionalProperties: false`` (a new key is not a drift)."""
    kinds: dict[str, list[Any]] = {}
    for v in values:
        kind = (
            "null"
            if v is None
            else "boolean"
            if isinstance(v, bool)
            else "integer"
            if isinstance(v, int)
            else "number"
            if isinstance(v, float)
            else "string"
            if isinstance(v, str)
            else "array"
            if isinstance(v, list)
            else "object"
        )
        kinds.setdefault(kind, []).append(v)
    if "integer" in kinds and "number" in kinds:
        kinds["number"] += kinds.pop("integer")
    parts: list[dict[str, Any]] = []
    for kind in sorted(kinds):
        if kind == "object" and depth < 20:
            objects = kinds[kind]
            keys = sorted({k for o in objects for k in o})
            part: dict[str, Any] = {"type": "object"}
            if keys:
                part["properties"] = {k: infer_schema([o[k] for o in objects if k in o], depth + 1) for k in keys}
                required = [k for k in keys if all(k in o for o in objects)]
                if required:
                    part["required"] = required
            parts.append(part)
        elif kind == "array" and depth < 20:
            items = [x for a in kinds[kind] for x in a]
            parts.append({"type": "array", "items": infer_schema(items, depth + 1)} if items else {"type": "array"})
        else:
            parts.append({"type": kind})
    if len(parts) == 1:
        return parts[0]
    if all(len(part) == 1 for part in parts):
        return {"type": [part["type"] for part in parts]}
    return {"anyOf": parts}


def _infer_details(p: Proposal, objects: list[tuple[Record, Any]], read: Any) -> None:
    """Detail schemas inferred from the recorded details: one for the API when every error's
    agrees, else one per error."""
    if "detail" not in p.envelope:
        return
    per_error: dict[tuple[Any, int | None], list[Any]] = {}
    for r, obj in objects:
        code = read(obj, "code")
        key = (code if _is_code(code) else None, r.status if r.status >= 400 else None)
        detail = read(obj, "detail")
        if detail is not None:
            per_error.setdefault(key, []).append(detail)
    if not per_error:
        return
    schemas = {key: infer_schema(values) for key, values in per_error.items()}
    texts = {json.dumps(s, sort_keys=True) for s in schemas.values()}
    if len(texts) == 1 and len(schemas) == len(p.errors):
        p.detail_schema = next(iter(schemas.values()))
        return
    for err in p.errors:
        schema = schemas.get((err.code, err.status))
        if schema is not None:
            err.detail_schema = schema
            err.notes.append(
                f"detail_schema: inferred from {len(per_error[(err.code, err.status)])} recorded detail(s)"
            )


def import_examples(path: Path, name: str) -> str:
    """The proposed spec for the recorded responses at ``path``, as YAML text."""
    return render(propose(load_records(path), name, str(path)))
