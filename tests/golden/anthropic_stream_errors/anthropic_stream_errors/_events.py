# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""Errors inside a server-sent-event stream (a 200 that sends ``event: error`` mid-stream).

``error_from_event(event, data)`` turns one event into the API's typed error, or None
for an event that is not an error (the spec's ``events.names`` say which are). The
stream helpers read a streaming response of httpx or aiohttp, yield its events, and
raise the typed error at the first error event::

    with client.stream("POST", url, json=body) as response:
        for event in iter_httpx_events(response):
            handle(event.event, event.data)

The error keeps what the stream's response said: the helpers pass its status (the
200 the stream began with: ``err.status``, while the class's ``STATUS`` keeps the one
the API documents, as anthropic-sdk-python raises its status error with the 200
response), its headers (so ``request_id`` comes from a ``request-id`` header), and
the request's method and URL. Dispatch itself is by the data alone, as for a response
without a status.

No client library is imported. The parser follows the WHATWG event-stream rules
(``field: value`` lines, ``data`` lines joined by newlines, a blank line ends an
event, an event cut off by the end of the stream is dropped), reads bytes in any
state (undecodable bytes are replaced), and bounds what it keeps: a line longer than
``MAX_LINE`` characters, and an event whose data exceeds ``MAX_DATA``, are dropped.
Nothing here raises but the typed error (a client's own transport errors pass as
they are).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any, NamedTuple, Protocol

from . import _dispatch, _spec
from ._dispatch import from_response
from ._spec import APIError

ERROR_EVENTS: frozenset[str] = frozenset(_spec.ERROR_EVENTS)
"""The event names that carry an error."""
DATA_AT: tuple[str, ...] = _spec.EVENT_DATA_AT
"""The keys of a response body at which an error event's data sits (none: the data is a body)."""
WHEN: tuple[str, ...] = _spec.EVENT_WHEN
"""The keys of event data whose value makes an event of any name an error (none: the names decide)."""
_PARSE: Any = getattr(_dispatch, "parse_body", None)  # the body reader dispatch uses
MAX_LINE = 1 << 20
"""Characters of one line kept at most: a longer line is dropped whole."""
MAX_DATA = 4 << 20
"""Characters of one event's data kept at most: a larger event is dropped."""


class Event(NamedTuple):
    """One server-sent event: its name (``message`` when none is given), data and id."""

    event: str
    data: str
    id: str | None = None


def error_from_event(
    event: str | None,
    data: str | bytes | None,
    *,
    status: int | None = None,
    headers: Any = None,
    method: str | None = None,
    url: object = None,
) -> APIError | None:
    """The typed error one event carries, or None for an event that is not an error.

    The data is read as a response body with the API's envelope (at ``DATA_AT`` of
    one, when the spec says ``events.data_at``), classified without a status (the
    stream's response was a success); data that holds no error the envelope reads
    (not JSON, truncated) still makes an error event an error, of the class the
    spec's fallbacks give, with the data as its body. ``status``, ``headers``,
    ``method`` and ``url`` are those of the streaming response and its request: the
    error carries them (``status``: None keeps the class's documented status), and
    the envelope reads the headers (a request id, retry advice). With ``events.when``,
    an event of another name (or none) is an error when its JSON data holds a value at
    ``WHEN`` that is not null, false, zero or empty (openai-python's test)."""
    if not is_error_event(event, data):
        return None
    raw = data if isinstance(data, (str, bytes)) else None
    body: Any = raw
    if DATA_AT and raw is not None and _PARSE is not None:
        doc = _PARSE(raw)
        if doc is not None:  # else read as it is: data that is not JSON
            for key in reversed(DATA_AT):
                doc = {key: doc}
            body = doc  # dispatch reads a parsed document as it is
    error = from_response(None, body, headers, method=method, url=url)
    if error is None:
        return None
    status = status if type(status) is int else None
    for one in (
        error,
        *getattr(error, "exceptions", ()),
    ):  # a group: each of its errors too
        if isinstance(one, APIError):
            if body is not raw:
                one.body = raw
            if status is not None:
                one.status = status
    return error


def is_error_event(event: str | None, data: str | bytes | None) -> bool:
    """Whether an event is an error: by its name (``ERROR_EVENTS``), else, with
    ``events.when``, by what its data holds at ``WHEN``."""
    if (event or "message") in ERROR_EVENTS:
        return True
    if not WHEN or _PARSE is None or not isinstance(data, (str, bytes)):
        return False
    key = WHEN[-1]
    if isinstance(data, bytes):
        if key.encode() not in data and b"\\" not in data:
            return False  # the key is not there, even escaped: no parse needed
    elif key not in data and "\\" not in data:
        return False
    doc: Any = _PARSE(data)
    for step in WHEN:
        if type(doc) is not dict:
            return False
        doc = doc.get(step)
    return bool(doc)


class EventParser:
    """An incremental event-stream parser: ``feed`` it text or bytes as they arrive;
    it returns the events that are complete."""

    def __init__(self) -> None:
        self._pending = ""  # the start of a line not yet ended
        self._skipping = False  # inside a line too long to keep
        self._after_cr = False  # the last chunk ended with CR: a LF next is part of it
        self._event = ""
        self._data: list[str] = []
        self._size = 0
        self._too_big = False
        self._id: str | None = None
        self._last_id: str | None = None
        # An incomplete UTF-8 sequence at the end of the last chunk.
        self._undecoded = b""

    def feed(self, chunk: str | bytes | bytearray) -> list[Event]:
        """The events ``chunk`` completes."""
        if isinstance(chunk, (bytes, bytearray)):
            text = self._decode(bytes(chunk))
        else:
            text = chunk
        if self._after_cr and text.startswith("\n"):
            text = text[1:]
        self._after_cr = text.endswith("\r")
        events: list[Event] = []
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, piece in enumerate(lines):
            last = index == len(lines) - 1
            if last:  # not ended yet
                if not self._skipping:
                    self._pending += piece
                    if len(self._pending) > MAX_LINE:
                        self._pending, self._skipping = "", True
                continue
            if self._skipping:
                self._skipping = False
                self._pending = ""
                continue
            line, self._pending = self._pending + piece, ""
            if len(line) > MAX_LINE:
                continue
            found = self._line(line)
            if found is not None:
                events.append(found)
        return events

    def _decode(self, chunk: bytes) -> str:
        data = self._undecoded + chunk
        # Keep an incomplete UTF-8 sequence at the end for the next chunk.
        cut = len(data)
        for back in range(1, min(4, len(data)) + 1):
            byte = data[-back]
            if byte & 0xC0 == 0x80:
                continue
            if byte >= 0xC0:
                need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
                if back < need:
                    cut = len(data) - back
            break
        self._undecoded = data[cut:]
        text = data[:cut].decode("utf-8", "replace")
        return text[1:] if text.startswith("\ufeff") else text

    def _line(self, line: str) -> Event | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._size += len(value) + 1
            if self._size > MAX_DATA:
                self._too_big, self._data = True, []
            elif not self._too_big:
                self._data.append(value)
        elif name == "id" and "\x00" not in value:
            self._id = value
        return None

    def _dispatch(self) -> Event | None:
        event, data, too_big = self._event, self._data, self._too_big
        self._event, self._data, self._size, self._too_big = "", [], 0, False
        if self._id is not None:
            self._last_id, self._id = self._id, None
        if too_big or not data:
            return None
        return Event(event or "message", "\n".join(data), self._last_id)


def iter_events(
    chunks: Iterable[str | bytes | bytearray],
    *,
    status: int | None = None,
    headers: Any = None,
    method: str | None = None,
    url: object = None,
) -> Iterator[Event]:
    """The events of a stream given as chunks (of any size, lines or not); raises the
    typed error at the first error event (with ``status``, ``headers``, ``method`` and
    ``url``, those of the streaming response: see ``error_from_event``)."""
    parser = EventParser()
    response = (status, headers, method, url)
    for chunk in chunks:
        for event in parser.feed(chunk):
            _raise_if_error(event, response)
            yield event


async def aiter_events(
    chunks: AsyncIterable[str | bytes | bytearray],
    *,
    status: int | None = None,
    headers: Any = None,
    method: str | None = None,
    url: object = None,
) -> AsyncIterator[Event]:
    """``iter_events`` over an asynchronous stream of chunks."""
    parser = EventParser()
    response = (status, headers, method, url)
    async for chunk in chunks:
        for event in parser.feed(chunk):
            _raise_if_error(event, response)
            yield event


def _raise_if_error(
    event: Event, response: tuple[int | None, Any, str | None, object]
) -> None:
    if not is_error_event(event.event, event.data):
        return
    status, headers, method, url = response
    error = error_from_event(
        event.event, event.data, status=status, headers=headers, method=method, url=url
    )
    if error is not None:
        raise error


def _response(response: object, status: str) -> dict[str, Any]:
    """The status, headers, method and URL of a client's response, as far as it has them
    (an attribute that is missing or raises is left out)."""
    found: dict[str, Any] = {}
    try:
        code = getattr(response, status, None)
        found["status"] = code if type(code) is int else None
        found["headers"] = getattr(response, "headers", None)
        request = response
        if status == "status_code":  # httpx: the method and URL are the request's
            request = getattr(response, "request", None)
        method = getattr(request, "method", None)
        found["method"] = method if isinstance(method, str) else None
        found["url"] = getattr(request, "url", None)
    except (
        Exception
    ):  # noqa: BLE001 - httpx raises RuntimeError for a response without a request
        pass
    return found


class HttpxStream(Protocol):
    """What is used of a streaming ``httpx.Response`` (``client.stream(...)``)."""

    def iter_bytes(self) -> Iterator[bytes]: ...


class AsyncHttpxStream(Protocol):
    """What is used of a streaming ``httpx.Response`` of an ``AsyncClient``."""

    def aiter_bytes(self) -> AsyncIterator[bytes]: ...


def iter_httpx_events(response: HttpxStream) -> Iterator[Event]:
    """The events of a streaming httpx response; raises the typed error at the first
    error event, with the response's status (``status_code``), headers, and its
    request's method and URL."""
    return iter_events(response.iter_bytes(), **_response(response, "status_code"))


def aiter_httpx_events(response: AsyncHttpxStream) -> AsyncIterator[Event]:
    """The events of a streaming httpx response of an ``AsyncClient``."""
    return aiter_events(response.aiter_bytes(), **_response(response, "status_code"))


def aiter_aiohttp_events(response: Any) -> AsyncIterator[Event]:
    """The events of an aiohttp response (``session.get(...)``), read in chunks as they
    arrive (not by aiohttp's lines, which refuse a line above 64 KiB); the error carries
    the response's ``status``, headers, method and URL."""
    return aiter_events(response.content.iter_any(), **_response(response, "status"))
