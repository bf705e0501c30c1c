# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""The API's errors from the responses of httpx, requests, aiohttp and urllib.

No client library is imported: each function reads a response the way its
client exposes it (duck typing), so this package stays standard-library only.
The request that failed (method, URL without credentials or query values) is
attached to the error. Ready-made hooks raise the typed error::

    httpx.Client(event_hooks={"response": [raise_for_httpx]})
    httpx.AsyncClient(event_hooks={"response": [araise_for_httpx]})
    session.hooks["response"].append(raise_for_requests)  # requests
    aiohttp.ClientSession(raise_for_status=raise_for_aiohttp)
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

from . import _spec
from ._dispatch import classify
from ._dispatch import from_response as _from_envelope
from ._spec import APIError

ERRORS_IN_SUCCESS: bool = _spec.ERRORS_IN_SUCCESS
"""Whether a 2xx response can carry errors: then its body is read too."""


class HttpxResponse(Protocol):
    """What is used of an ``httpx.Response``."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def request(self) -> Any: ...
    def read(self) -> bytes: ...


class AsyncHttpxResponse(Protocol):
    """What is used of an ``httpx.Response`` of an ``AsyncClient``."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def request(self) -> Any: ...
    def aread(self) -> Awaitable[bytes]: ...


class RequestsResponse(Protocol):
    """What is used of a ``requests.Response``."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def content(self) -> Any: ...
    @property
    def request(self) -> Any: ...


class AiohttpResponse(Protocol):
    """What is used of an ``aiohttp.ClientResponse``."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def method(self) -> str: ...
    @property
    def url(self) -> Any: ...
    def read(self) -> Awaitable[bytes]: ...


class UrllibHTTPError(Protocol):
    """What is used of a ``urllib.error.HTTPError``."""

    @property
    def code(self) -> int: ...
    @property
    def headers(self) -> Any: ...
    @property
    def filename(self) -> Any: ...
    def read(self) -> bytes: ...


_PROBLEM_JSON = "application/problem+json"
_MAX_PROBLEM = 1 << 20  # a larger problem document is read as the envelope would be


def _content_type(headers: object) -> str:
    get = getattr(headers, "get", None)
    if callable(get):
        value = get("content-type") or get("Content-Type")
        return value if isinstance(value, str) else ""
    try:
        for name, value in headers:  # type: ignore[attr-defined]
            if str(name).lower() == "content-type":
                return str(value)
    except Exception:  # noqa: BLE001 - odd headers: no problem document
        pass
    return ""


def from_problem(
    status: int,
    body: bytes | str | None,
    headers: object = None,
    *,
    method: str | None = None,
    url: object = None,
) -> APIError | None:
    """The error in an RFC 9457 ``application/problem+json`` response (as the package's
    ``server`` module writes it: the code, request id and structured detail as the
    ``code``, ``request_id`` and ``context`` members); None when the body is no problem
    document. The problem is read as the API's envelope would carry it, so the error
    is the same class with the same fields."""
    try:
        if body is None or len(body) > _MAX_PROBLEM:
            return None
        import json

        doc = json.loads(body)
        if not isinstance(doc, dict):
            return None
        code: Any = doc.get("code")
        if isinstance(code, bool) or not isinstance(code, (str, int)):
            code = None
        message = doc.get("detail")
        message = message if isinstance(message, str) else None
        found = classify(status, code, message, method, str(url) if url else None)
        request_id = doc.get("request_id")
        proxy = found(
            message,
            status=status,
            code=code,
            detail=doc.get("context"),
            request_id=request_id if isinstance(request_id, str) else None,
        )
        _, written, envelope = proxy.to_response()
        pairs = [(k, v) for k, v in _header_pairs(headers) if k != "content-type"]
        pairs.extend(written.items())
        error = _from_envelope(status, envelope, pairs, method=method, url=url)
        if error is None:
            return None
        error.body = body
        if error.request_id is None and isinstance(request_id, str):
            error.request_id = request_id
        return error
    except Exception:  # noqa: BLE001 - not a problem document: the envelope's reading
        return None


def _header_pairs(headers: object) -> list[tuple[str, str]]:
    items = getattr(headers, "items", None)
    source: Any = items() if callable(items) else headers or ()
    return [(str(k).lower(), str(v)) for k, v in source]


def from_response(
    status: int,
    body: bytes | str | None,
    headers: Any,
    *,
    method: str | None = None,
    url: object = None,
) -> APIError | None:
    """The error of a response: an RFC 9457 problem document when its content type says
    so, else the API's envelope (``from_response`` of the package)."""
    if _PROBLEM_JSON in _content_type(headers).lower():
        error = from_problem(status, body, headers, method=method, url=url)
        if error is not None:
            return error
    return _from_envelope(status, body, headers, method=method, url=url)


def may_carry_error(status: int) -> bool:
    """Whether a response with this status can carry an error (else skip its body)."""
    return status >= 400 or ERRORS_IN_SUCCESS


def _method_url(request: object) -> tuple[str | None, str | None]:
    method = getattr(request, "method", None)
    url = getattr(request, "url", None)
    return (str(method) if method else None, str(url) if url is not None else None)


def _httpx_request(response: HttpxResponse | AsyncHttpxResponse) -> object:
    try:
        return response.request
    except Exception:  # noqa: BLE001 - httpx raises when no request is attached
        return None


def from_httpx(response: HttpxResponse) -> APIError | None:
    """The error an ``httpx.Response`` carries (its body is read if unread); None if none.

    A body that cannot be read (truncated, or an ``AsyncClient`` response: use
    ``afrom_httpx``) is left out and the error is classified without it.
    """
    if not may_carry_error(response.status_code):
        return None
    try:
        body: bytes | None = response.read()
    except Exception:  # noqa: BLE001 - a broken or closed stream
        body = None
    method, url = _method_url(_httpx_request(response))
    return from_response(
        response.status_code, body, response.headers, method=method, url=url
    )


async def afrom_httpx(response: AsyncHttpxResponse) -> APIError | None:
    """The error a response of an ``httpx.AsyncClient`` carries; None if none."""
    if not may_carry_error(response.status_code):
        return None
    try:
        body: bytes | None = await response.aread()
    except Exception:  # noqa: BLE001 - a broken or closed stream
        body = None
    method, url = _method_url(_httpx_request(response))
    return from_response(
        response.status_code, body, response.headers, method=method, url=url
    )


def from_requests(response: RequestsResponse) -> APIError | None:
    """The error a ``requests.Response`` carries (streamed bodies are read); None if none."""
    if not may_carry_error(response.status_code):
        return None
    try:
        content = response.content
        body = content if isinstance(content, bytes) else None
    except Exception:  # noqa: BLE001 - requests raises on a broken stream
        body = None
    method, url = _method_url(response.request)
    return from_response(
        response.status_code, body, response.headers, method=method, url=url
    )


async def from_aiohttp(response: AiohttpResponse) -> APIError | None:
    """The error an ``aiohttp.ClientResponse`` carries (its body is read if unread)."""
    if not may_carry_error(response.status):
        return None
    try:
        body: bytes | None = await response.read()
    except Exception:  # noqa: BLE001 - a truncated payload or a released connection
        body = None
    method, url = _method_url(response)
    return from_response(
        response.status, body, response.headers, method=method, url=url
    )


def from_urllib(
    error: UrllibHTTPError, *, method: str | None = None
) -> APIError | None:
    """The error in a ``urllib.error.HTTPError`` (its body is read); None if none.

    urllib does not keep the request on the error: pass ``method`` for rules
    that depend on it.
    """
    if not may_carry_error(error.code):
        return None
    try:
        body: bytes | None = error.read()
    except Exception:  # noqa: BLE001 - no body attached
        body = None
    try:
        headers = list(error.headers.items())
    except Exception:  # noqa: BLE001 - no headers attached
        headers = []
    url = error.filename
    return from_response(
        error.code,
        body,
        headers,
        method=method,
        url=str(url) if url is not None else None,
    )


def raise_for_httpx(response: HttpxResponse) -> None:
    """An httpx response event hook: raise the typed error a response carries."""
    error = from_httpx(response)
    if error is not None:
        raise error


async def araise_for_httpx(response: AsyncHttpxResponse) -> None:
    """An ``httpx.AsyncClient`` response event hook: raise the typed error."""
    error = await afrom_httpx(response)
    if error is not None:
        raise error


def raise_for_requests(response: RequestsResponse, *args: Any, **kwargs: Any) -> None:
    """A requests response hook: raise the typed error a response carries."""
    error = from_requests(response)
    if error is not None:
        raise error


async def raise_for_aiohttp(response: AiohttpResponse) -> None:
    """For ``aiohttp.ClientSession(raise_for_status=...)``: raise the typed error."""
    error = await from_aiohttp(response)
    if error is not None:
        raise error
