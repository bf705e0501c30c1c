# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""What every error of the package is and does, whatever the spec says.

The runtime types (``JSONValue``, ``HeadersLike``, ``UrlLike``, ``RateLimit``), header
cleaning (``clean_headers``: names lower-cased, secrets redacted), URL redaction
(``redact_url``), the coercions dispatch applies (``as_text``, ``as_status``), and
``ErrorCore``, the base of the API's base class (``_base``): its display, pickling,
checked detail and ``to_response()``, which writes an error in the API's envelope.

What the spec decides comes from ``_envelope`` (which imports nothing of the
package): the secret and read headers, and where ``to_response()`` writes each field.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol, TypeAlias

from ._envelope import (
    BODY_WRITERS,
    CATEGORY_STATUS,
    CODE_PREFIX,
    CONTENT_TYPE,
    DEFAULT_STATUS,
    HEADER_WRITERS,
    ITEM_WRITERS,
    ITEMS_AT,
    MARKS,
    READ_HEADERS,
    SECRET_MARKERS,
    SECRET_SQUASHED,
    render_body,
)
from ._observe import Observed

JSONValue: TypeAlias = (
    None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]
)
"""Any value a JSON document can hold."""

HeadersLike: TypeAlias = Mapping[Any, Any] | Iterable[Any] | None
"""Response headers: a mapping or multidict (httpx, requests, aiohttp, urllib3), an
``http.client.HTTPMessage`` / ``email.message.Message`` (urllib), (name, value) pairs
(str or bytes), or raw ``Name: value`` lines."""


class RateLimit(NamedTuple):
    """A rate-limit window, as the response reported it."""

    limit: int | None
    """Requests allowed in the window."""
    remaining: int | None
    """Requests left in the window."""
    reset: float | None
    """Seconds until the window resets."""


class DetailCheck(Protocol):
    """Checks a raw detail and returns it as its model; raises when it does not match."""

    def __call__(self, raw: JSONValue, /) -> object: ...


REDACTED = "[redacted]"
_REPR_BODY_LIMIT = 120
_DISPLAY_LIMIT = 2000  # characters of a message repr() and str() show
_DISPLAY_FIELD_LIMIT = 200  # characters of a code or request id they show
_MAX_HEADERS = 1000

UrlLike: TypeAlias = object
"""A request URL: a str, bytes, or any URL object whose str() is the URL (httpx.URL, yarl.URL)."""


def _header_text(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return str(value)


def _squash(name: str) -> str:
    return "".join(char for char in name.casefold() if char.isalnum())


def is_secret(name: str) -> bool:
    """Whether a (lower-case) header name holds a secret: listed, or named like one."""
    squashed = _squash(name)
    if squashed in SECRET_SQUASHED:
        return True
    if name in READ_HEADERS:
        return False
    return any(marker in squashed for marker in SECRET_MARKERS)


_KEYS: dict[str, tuple[str, bool]] = {}
"""Header name -> (lower-case key, holds a secret): names repeat, so they are memoised."""
_MAX_KEYS = 2048


def _header_key(name: str) -> tuple[str, bool]:
    """A header name's lower-case key, and whether it holds a secret."""
    found = _KEYS.get(name)
    if found is None:
        key = name.strip().lower()
        found = (key, is_secret(key))
        if len(_KEYS) < _MAX_KEYS:
            _KEYS[name] = found
    return found


class CleanHeaders(dict[str, str]):
    """Headers ``clean_headers`` already cleaned, so they are not cleaned twice."""


def _pairs(headers: object) -> Any:
    """(name, value) pairs of any header container: a mapping or multidict (``items()``,
    repeats included), ``http.client.HTTPMessage`` / ``email.message.Message``, pairs,
    or raw ``Name: value`` lines (a str or bytes block, or an iterable of lines)."""
    if isinstance(headers, (str, bytes, bytearray)):
        return _header_text(headers).splitlines()
    items = getattr(headers, "items", None)
    if callable(items):
        return items()
    return headers


def clean_headers(headers: object) -> dict[str, str]:
    """Header names lower-cased, secret values redacted, repeats combined; never raises."""
    if type(headers) is CleanHeaders:
        return headers  # cleaned already (dispatch passes them on to the error)
    result = CleanHeaders()
    repeats: dict[str, list[str]] | None = None  # made by the first repeated name
    if (type(headers) is dict or isinstance(headers, Mapping)) and len(
        headers
    ) <= _MAX_HEADERS:
        try:  # a mapping or multidict (dict, httpx, requests, aiohttp), without the per-pair checks below
            for name, value in headers.items():
                found = _KEYS.get(name)
                if found is None:
                    found = _header_key(
                        name if type(name) is str else _header_text(name)
                    )
                key, secret = found
                if secret:
                    text = REDACTED
                else:
                    text = value if type(value) is str else _header_text(value)
                    if key in result:  # a repeated name (a multidict's): see _combined
                        repeats = _repeated(repeats, result, key, text)
                result[key] = text
            return result if repeats is None else _combined(result, repeats)
        except Exception:  # noqa: BLE001 - an odd pair: take the careful path
            result.clear()
            repeats = None
    try:
        if not headers:
            return result
        for index, pair in enumerate(_pairs(headers)):
            if index >= _MAX_HEADERS:
                break
            try:
                if type(pair) is not tuple and isinstance(
                    pair, (str, bytes, bytearray)
                ):  # a raw line, never unpacked
                    name, colon, value = _header_text(pair).partition(":")
                    if not colon:
                        continue
                    value = value.strip()
                else:
                    name, value = pair
                key, secret = _header_key(
                    name if type(name) is str else _header_text(name)
                )
                if secret:
                    text = REDACTED
                else:
                    text = value if type(value) is str else _header_text(value)
                    if key in result:
                        repeats = _repeated(repeats, result, key, text)
                result[key] = text
            except (
                Exception
            ):  # noqa: BLE001 - skip a header that is not a (name, value) pair
                continue
    except Exception:  # noqa: BLE001 - odd headers must not break error handling
        pass
    return result if repeats is None else _combined(result, repeats)


def _repeated(
    repeats: dict[str, list[str]] | None, result: CleanHeaders, key: str, text: str
) -> dict[str, list[str]]:
    """``repeats`` (made on first use) with ``text`` added to the values of ``key``."""
    if repeats is None:
        repeats = {}
    repeats.setdefault(key, [result[key]]).append(text)
    return repeats


def _combined(result: CleanHeaders, repeats: dict[str, list[str]]) -> CleanHeaders:
    """A name sent several times holds its values joined by ", ", as RFC 9110 allows
    (joined once: a hostile server's repeats cost linear time)."""
    for key, values in repeats.items():
        result[key] = ", ".join(values)
    return result


def url_text(url: object) -> str | None:
    """A URL of any form as text (bytes are read as Latin-1); None when there is none."""
    if url is None or type(url) is str:
        return url
    try:
        geturl = getattr(
            url, "geturl", None
        )  # urllib.parse's SplitResult / ParseResult
        return _header_text(geturl() if callable(geturl) else url)
    except Exception:  # noqa: BLE001 - an object whose str() raises
        return None


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PARAMS = re.compile(r";|%3[Bb]")  # a path parameter starts at ";" (or an encoded one)


def _split(text: str) -> tuple[str, str, str, str]:
    """(scheme, netloc, path, query) by urllib.parse's rules; where urlsplit refuses
    the URL (an unclosed IPv6 bracket), the same split without its checks."""
    # Imported here, by the first error with a URL: urllib.parse (with ipaddress) costs
    # the package's import a fifth of what its 2,000 classes do.
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        return parts.scheme, parts.netloc, parts.path, parts.query
    except ValueError:
        pass
    rest = text.partition("#")[0]
    scheme = ""
    found = _SCHEME.match(rest)
    if found is not None:
        scheme, rest = found.group()[:-1].lower(), rest[found.end() :]
    netloc = ""
    if rest[:2] == "//":
        end = len(rest)
        for delimiter in "/?":
            at = rest.find(delimiter, 2)
            if at != -1:
                end = min(end, at)
        netloc, rest = rest[2:end], rest[end:]
    path, _, query = rest.partition("?")
    return scheme, netloc, path, query


def url_path(url: object) -> str | None:
    """The path of a request URL of any form (malformed ones too); never raises."""
    text = url_text(url)
    if text is None:
        return None
    try:
        return _split(text)[2]
    except Exception:  # noqa: BLE001
        return None


_FLAT_DEPTH = 64
_FLAT_STATE = "__flat_json__"


def _deeper_than(value: object, limit: int) -> bool:
    """Whether lists and dicts nest deeper than ``limit`` in ``value``; no recursion."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if type(item) is dict:
            children: Iterable[object] = item.values()
        elif type(item) is list:
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _flatten(value: Any) -> list[Any]:
    """A JSON value as a flat postfix list (a tuple ``(0, n)`` closes a list of n items,
    ``(1, n)`` an object of n key-value pairs, ``(2, t)`` is the tuple t), built without recursion.
    """
    out: list[Any] = []
    stack: list[tuple[bool, Any]] = [(False, value)]
    while stack:
        done, item = stack.pop()
        if done:
            out.append(item)
        elif type(item) is list:
            stack.append((True, (0, len(item))))
            stack.extend((False, v) for v in reversed(item))
        elif type(item) is dict:
            stack.append((True, (1, len(item))))
            for key, v in reversed(item.items()):
                stack.append((False, v))
                stack.append((True, key))
        else:
            out.append(
                (2, item) if type(item) is tuple else item
            )  # a tuple value, not a closer
    return out


def _unflatten(tokens: list[Any]) -> Any:
    """The JSON value ``_flatten`` flattened."""
    stack: list[Any] = []
    for token in tokens:
        if type(token) is tuple:
            kind, n = token
            if kind == 2:
                stack.append(n)
                continue
            items = stack[len(stack) - (2 * n if kind else n) :]
            del stack[len(stack) - len(items) :]
            stack.append(
                dict(zip(items[::2], items[1::2], strict=True)) if kind else items
            )
        else:
            stack.append(token)
    return stack[0]


def _redact_pairs(text: str, separator: str) -> str:
    """Each ``name=value`` as ``name=[redacted]``; a piece without ``=`` is a value."""
    return separator.join(
        f"{piece.partition('=')[0]}={REDACTED}" if "=" in piece else REDACTED
        for piece in text.split(separator)
        if piece
    )


def _redact_path(path: str) -> str:
    """Every path segment's parameters (``;jsessionid=...``) redacted."""
    if ";" not in path and "%3" not in path:
        return path
    segments = []
    for segment in path.split("/"):
        found = _PARAMS.search(segment)
        if found is not None:
            params = _PARAMS.sub(";", segment[found.start() :])
            segment = segment[: found.start()] + ";" + _redact_pairs(params, ";")
        segments.append(segment)
    return "/".join(segments)


def _port_ok(hostport: str) -> bool:
    host, colon, port = hostport.rpartition(":")
    return not colon or "]" in port or port == "" or (port.isascii() and port.isdigit())


def _redact(text: str) -> str:
    scheme, netloc, path, query = _split(text)
    prefix = ""
    if not netloc and not text.startswith("//"):
        # A scheme-less URL with userinfo (``user:secret@host/path``): urlsplit reads
        # ``user`` as a scheme; read it as an authority instead.
        lead = text.partition("#")[0].partition("?")[0].partition("/")[0]
        if "@" in lead:
            scheme, netloc, path, query = _split("//" + text)
            prefix = "//"
    hostport = netloc.rpartition("@")[2]
    if not _port_ok(hostport):
        # Not a port: a password with an unencoded delimiter (``user:p?ss@host``);
        # the host follows the URL's last "@", or, without one, the "port" is redacted.
        body = text.partition("#")[0]
        if "@" in body[body.find(netloc) + len(netloc) :]:
            _, hostport, path, query = _split("//" + body.rpartition("@")[2])
        else:
            hostport = f"{hostport.rpartition(':')[0]}:{REDACTED}"
    return _join(scheme, hostport, path, query).removeprefix(prefix)


def _join(scheme: str, netloc: str, path: str, query: str) -> str:
    from urllib.parse import urlunsplit  # imported by _split already: see there

    return urlunsplit(
        (
            scheme,
            netloc,
            _redact_path(path),
            _redact_pairs(query, "&") if query else "",
            "",
        )
    )


# A URL with nothing to remove: scheme://host[:digits]/path, without "?", "#", "@",
# ";" or an encoded ";" (one pass, no backtracking).
_PLAIN = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*+://[^/?#@:;\[\]%]*+(?::[0-9]*+)?+)?+(?:/(?:[^?#@;%]|%(?![3][Bb]))*+)?+"
)


def redact_url(url: object) -> str | None:
    """``url`` (any form) without userinfo, fragment, query values and path
    parameters; never raises (a URL that cannot be read at all is ``[redacted]``)."""
    text = url_text(url)
    if text is None:
        return None if url is None else REDACTED
    if _PLAIN.fullmatch(text):
        return text  # nothing to remove
    try:
        return _redact(text)
    except Exception:  # noqa: BLE001 - an odd URL must not break error handling
        return REDACTED


def _clipped(value: bytes | str | None, limit: int) -> bytes | str | None:
    """``value`` cut at ``limit`` characters for display, saying how much is left out
    (the attribute itself keeps all of it)."""
    if value is None or len(value) <= limit:
        return value
    more = f"... ({len(value) - limit:,} more)"
    if isinstance(value, bytes):
        return value[:limit] + more.encode()
    return value[:limit] + more


def _shown(value: object, limit: int) -> str:
    """``value`` as text, cut at ``limit`` characters for display."""
    text = value if isinstance(value, str) else str(value)
    return (
        text
        if len(text) <= limit
        else f"{text[:limit]}... ({len(text) - limit:,} more)"
    )


def as_text(value: Any) -> str | None:
    """A message or request id as text."""
    if value is None or isinstance(value, str):
        return value
    try:
        return json.dumps(value)
    except Exception:  # noqa: BLE001
        return None


def as_status(value: Any) -> int | None:
    """An HTTP status, if ``value`` is one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) == 3:
        value = int(value)
    if isinstance(value, int) and 100 <= value <= 599:
        return value
    return None


def split_code(message: str | None) -> tuple[str | None, str | None]:
    """The code that opens a message, and the message after it (the code before the
    spec's ``envelope.code_prefix`` separator, each stripped); a message without the
    separator is the code alone, and stays the message as sent."""
    if message is None or CODE_PREFIX is None:
        return None, message
    code, separator, text = message.partition(CODE_PREFIX)
    if not separator:
        return message.strip() or None, message
    return code.strip() or None, text.strip()


def joined_message(code: object, message: str | None) -> str | None:
    """The message to_response() writes: the code, the separator, then the message
    (the message alone where the spec has no ``envelope.code_prefix``)."""
    if code is None or CODE_PREFIX is None:
        return message
    return f"{code}{CODE_PREFIX}{message}" if message else str(code)


class ErrorCore(Observed, Exception):
    """What every error of the package has, whatever the spec: the base of the API's
    base class (in ``_base``, which adds what the spec decides: the code's type, the
    default message, the docs link, the detail's model, ``__init__`` and the fields it
    sets, declared there)."""

    STATUS: ClassVar[int | None] = None
    """The HTTP status the API documents for this error."""
    CATEGORY: ClassVar[str] = "unknown"
    """The taxonomy category."""
    DEFAULT_MESSAGE: ClassVar[str] = "API error"
    """The message used when the response carries none."""
    DESCRIPTION: ClassVar[str] = ""
    CAUSES: ClassVar[tuple[str, ...]] = ()
    """What typically causes this error."""
    FIXES: ClassVar[tuple[str, ...]] = ()
    """How to fix it."""
    HINT: ClassVar[str | None] = None
    """The fixes as one text."""
    DOCS_URL: ClassVar[str | None] = None
    RETRYABLE: ClassVar[bool] = False
    """Whether retrying the same request may succeed."""
    DEPRECATED: ClassVar[str | None] = None
    """Set when the API no longer returns this error, with what to use instead."""
    _DETAIL_PARSER: ClassVar[DetailCheck | None] = None
    """Checks the raw detail against the spec's detail schema (None: there is none)."""

    if TYPE_CHECKING:  # set by the API's base class (its __init__ and class defaults)
        args: tuple[Any, ...]
        status: int | None
        code: Any
        message: str
        raw_detail: JSONValue
        headers: dict[str, str]
        body: bytes | str | None
        request_id: str | None
        retryable: bool
        retry_after: float | None
        rate_limit: RateLimit | None
        request_method: str | None
        request_url: str | None

    def _checked_detail(self) -> tuple[Any, str | None]:
        """(detail, problem): checked on first use, then cached; never raises."""
        parse = type(self)._DETAIL_PARSER
        raw = self.raw_detail
        if parse is None or raw is None:
            return raw, None
        state: tuple[Any, str | None] | None = self.__dict__.get("_detail_state")
        if state is None:
            try:
                state = (parse(raw), None)
            except Exception as exc:  # noqa: BLE001 - a bad detail must not raise
                state = (None, f"{type(exc).__name__}: {exc}")
            self.__dict__["_detail_state"] = state
        return state

    @property
    def detail_error(self) -> str | None:
        """Why the detail does not match the spec's detail schema (None when it does)."""
        return self._checked_detail()[1]

    @property
    def hint(self) -> str | None:
        """How to fix this error (the spec's fixes), if known."""
        return self.HINT

    @property
    def causes(self) -> tuple[str, ...]:
        """What typically causes this error."""
        return self.CAUSES

    @property
    def docs_url(self) -> str | None:
        """Where the API documents this error."""
        return self.DOCS_URL

    def __str__(self) -> str:
        label = " ".join(
            _shown(part, _DISPLAY_FIELD_LIMIT)
            for part in (self.status, self.code)
            if part is not None
        )
        message = _shown(self.message, _DISPLAY_LIMIT)
        text = f"{label}: {message}" if label else message
        if self.request_id:
            text += f" (request id {_shown(self.request_id, _DISPLAY_FIELD_LIMIT)})"
        return text

    def __repr__(self) -> str:
        code = self.code
        if isinstance(code, str):
            code = _clipped(code, _DISPLAY_FIELD_LIMIT)
        return (
            f"{type(self).__name__}(status={self.status!r}, "
            f"code={code!r}, "
            f"message={_clipped(self.message, _DISPLAY_LIMIT)!r}, "
            f"request_id={_clipped(self.request_id, _DISPLAY_FIELD_LIMIT)!r}, "
            f"body={_clipped(self.body, _REPR_BODY_LIMIT)!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # The exact class, rebuilt from the message; every field comes back
        # through the state (headers are stored redacted already). A JSON value
        # nested deeper than pickle and deepcopy recurse travels flat.
        state = self.__dict__.copy()
        flat: dict[str, list[Any]] = {}
        for name, value in self.__dict__.items():
            if type(value) in (list, dict) and _deeper_than(value, _FLAT_DEPTH):
                flat[name] = _flatten(value)
                del state[name]
        if flat:
            state[_FLAT_STATE] = flat
            if (
                "raw_detail" in flat
            ):  # the detail as its model nests as deep: checked again
                state.pop("_detail_state", None)
        return (type(self), (self.message,), state)

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        if not state:
            return
        flat: dict[str, list[Any]] = state.pop(_FLAT_STATE, {})
        self.__dict__.update(state)
        for name, tokens in flat.items():
            self.__dict__[name] = _unflatten(tokens)

    def to_response(self) -> tuple[int, dict[str, str], bytes]:
        """This error as the API would send it: (status, headers, body bytes)."""
        return render_response(self)


# to_response(): where each field is written, in order (_envelope's BODY_WRITERS, the
# detail first: the others may sit inside it). A step is a key, or (index, length): the
# list is padded with nulls to at least length, then a negative index counts from the
# end; or (filter, key, value): into the first item of a list whose key equals value
# (with JSON's equality), appending {key: value} where none does.
Step: TypeAlias = str | tuple[int, int] | tuple[str, str, Any]


def _put(container: Any, steps: tuple[Step, ...], value: Any) -> Any:
    """``container`` with ``value`` at ``steps``, copied along the way: an error's
    detail is written into, never changed."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if (
        isinstance(step, tuple) and len(step) == 3
    ):  # a filter: into the first item it passes
        _, key, tested = step
        items = list(container) if isinstance(container, list) else []
        at = next(
            (i for i, item in enumerate(items) if _passes(item, key, tested)), None
        )
        if at is None:
            items.append({key: tested})
            at = len(items) - 1
        items[at] = _put(items[at], rest, value)
        return items
    if isinstance(step, tuple):
        index, length = step
        items = list(container) if isinstance(container, list) else []
        if len(items) < length:
            items.extend([None] * (length - len(items)))
        items[index] = _put(items[index], rest, value)
        return items
    obj = dict(container) if isinstance(container, dict) else {}
    obj[step] = _put(obj.get(step), rest, value)
    return obj


def _passes(item: Any, key: str, tested: Any) -> bool:
    """Whether a list item passes the filter key == tested (JSON's equality: 1 is not true)."""
    return (
        isinstance(item, dict)
        and key in item
        and type(item[key]) is type(tested)
        and item[key] == tested
    )


def _field(error: ErrorCore, name: str, status: int) -> Any:
    if name == "status":
        return status
    if name == "detail":
        return error.raw_detail
    if name == "type":  # envelope.type: what the response carried, else TYPE
        return getattr(error, "kind", None)
    if name == "retry_after":  # retry.after_paths: the body's delay, as a Duration
        return duration_text(error.retry_after)
    if name == "message":
        return joined_message(error.code, error.message)
    return getattr(error, name)


def duration_text(seconds: float | None) -> str | None:
    """``seconds`` as a protobuf JSON Duration (``1.5`` -> ``"1.5s"``), as ``to_response()``
    writes a delay in the body: to the nanosecond (a Duration's resolution; at most 9
    digits after the point, which protobuf's parsers read), without an exponent."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return f"{seconds:.9f}".rstrip("0").rstrip(".") + "s"


def response_status(error: ErrorCore) -> int:
    """The status ``error`` is sent with."""
    if error.status is not None:
        return error.status
    return CATEGORY_STATUS.get(error.CATEGORY, DEFAULT_STATUS)


def render_response(error: ErrorCore) -> tuple[int, dict[str, str], bytes]:
    """``error`` in the API's envelope: (status, headers, body); a field that is None is left out."""
    status = response_status(error)
    headers = {
        name: (
            value
            if isinstance(value, str)
            else json.dumps(value, separators=(",", ":"))
        )
        for field, name in HEADER_WRITERS
        if (value := _field(error, field, status)) is not None
    }
    doc: Any = None
    if ITEMS_AT is not None:  # a list of errors: one item per member of a group
        members = getattr(error, "errors", None) or (error,)
        items = []
        for member in members:
            item: Any = None
            for field, steps in ITEM_WRITERS:
                value = _field(member, field, response_status(member))
                if value is not None:
                    item = _put(item, steps, value)
            items.append(item if item is not None else {})
        doc = _put(doc, ITEMS_AT, items)
    for field, steps in BODY_WRITERS:
        value = _field(error, field, status)
        if value is not None:
            doc = _put(doc, steps, value)
    for steps, value in MARKS:  # the success flag's error value, the required field's
        doc = _put(doc, steps, value)
    if doc is None:
        return status, headers, b""
    headers["content-type"] = CONTENT_TYPE
    return status, headers, render_body(doc)
