# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""The API's errors raised in a server, answered as the API answers them.

No framework is imported at module level: each handler reads a request the way its
framework exposes it (duck typing), so this package stays standard-library only::

    server.install(app)  # Starlette / FastAPI: exception handlers for every error
    server.install_flask(app)  # Flask: errorhandler registrations
    MIDDLEWARE = [..., "<package>.server.DjangoMiddleware"]  # Django
    app = server.ASGIMiddleware(app)  # any ASGI app
    app = server.WSGIMiddleware(app)  # any WSGI app

Every answer carries the error's status, its body in the API's envelope (or RFC 9457
``application/problem+json`` when the request's ``Accept`` asks for it), its
``Content-Type``, ``Retry-After`` when the error has a delay, and the request id
(the error's, else the request's, else a new one) in the request-id header. An
exception that is not one of the API's errors is answered as the API's internal
error (its text is logged, never sent); so is an error whose detail does not match
its schema (a programming error, logged); a secret header is never sent.
"""

from __future__ import annotations

import copy
import json
import logging
import math
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http import HTTPStatus
from importlib import import_module
from typing import Any

from . import _spec
from ._core import is_secret
from ._dispatch import classify
from ._spec import APIError

logger: logging.Logger = logging.getLogger(__name__.rpartition(".")[0] or __name__)
"""The package's logger: unexpected exceptions and details that fail their schema."""

PROBLEM_JSON = "application/problem+json"
"""The media type of RFC 9457 problem details."""
REQUEST_ID_HEADER: str = _spec.REQUEST_ID_HEADER or "x-request-id"
"""The header the request id travels in (the spec's, else ``x-request-id``)."""
_MAX_REQUEST_ID = 200  # a longer incoming id is not echoed: a new one is made
_SKIPPED = frozenset(
    (
        "content-type",
        "content-length",
        "transfer-encoding",
        "connection",
        "retry-after",
        "x-should-retry",
    )
)

Headers = list[tuple[str, str]]
"""Response headers as (name, value) pairs, names lower-case."""


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


def wants_problem(accept: str | None) -> bool:
    """Whether an ``Accept`` header asks for ``application/problem+json``: listed with a
    quality above zero and at least that of ``application/json``. Wildcards, an absent or
    unreadable header get the API's envelope."""
    if not accept or not isinstance(accept, str) or len(accept) > 4096:
        return False
    problem = json_q = -1.0
    for item in accept.split(","):
        media, *parameters = item.split(";")
        media = media.strip().lower()
        if media == PROBLEM_JSON:
            problem = max(problem, _quality(parameters))
        elif media == "application/json":
            json_q = max(json_q, _quality(parameters))
    return problem > 0.0 and problem >= json_q


def internal_error() -> APIError:
    """The API's internal error: the class the API's clients read a bare 500 as (its 500
    entry, else its server category's), with its default message."""
    return classify(500, None)(status=500)


def _checked(exc: BaseException) -> APIError:
    """The error to answer ``exc`` with (a copy: the raised error is not changed)."""
    if not isinstance(exc, APIError):
        logger.error(
            "unhandled %s: answered as the API's internal error",
            type(exc).__name__,
            exc_info=exc,
        )
        return internal_error()
    if exc.raw_detail is not None and exc.detail_error is not None:
        logger.error(
            "%s raised with a detail that does not match its schema (%s): "
            "answered as the API's internal error",
            type(exc).__name__,
            exc.detail_error,
        )
        return internal_error()
    return copy.copy(exc)


def _request_id(error: APIError, incoming: str | None) -> str:
    if error.request_id:
        return error.request_id
    if incoming and len(incoming) <= _MAX_REQUEST_ID and _sendable(incoming):
        return incoming.strip() or _new_id()
    return _new_id()


def _new_id() -> str:
    import uuid  # imported by the first answer without a request id: uuid costs the import

    return uuid.uuid4().hex


def problem_type(error: APIError) -> str:
    """The RFC 9457 ``type`` of ``error``: its entry's docs URL when the entry has its
    own, else a stable URN naming the package and the code (or the category)."""
    own = type(error).DOCS_URL
    if own and own != APIError.DOCS_URL:
        return own
    package = APIError.__module__.partition(".")[0]
    name = error.code if error.code is not None else error.CATEGORY
    return f"urn:errorsdk:{package}:{name}"


def problem_document(
    error: APIError, status: int, instance: str | None = None
) -> dict[str, Any]:
    """``error`` as RFC 9457 problem details: type, title, status, detail, instance; the
    code, the request id and the structured detail (``context``) as extension members.
    """
    doc: dict[str, Any] = {
        "type": problem_type(error),
        "title": type(error).DEFAULT_MESSAGE,
        "status": status,
        "detail": error.message,
    }
    if instance:
        doc["instance"] = instance
    if error.code is not None:
        doc["code"] = error.code
    if error.request_id is not None:
        doc["request_id"] = error.request_id
    if error.raw_detail is not None:
        doc["context"] = error.raw_detail
    return doc


def _delay_headers(delay: float) -> Headers:
    seconds = max(0, math.ceil(delay))
    headers = [("retry-after", str(seconds))]
    if seconds != delay and "retry-after-ms" in _spec.AFTER_HEADERS:
        headers.insert(0, ("retry-after-ms", repr(round(max(delay, 0.0) * 1000, 3))))
    return headers


def render(
    exc: BaseException,
    *,
    accept: str | None = None,
    request_id: str | None = None,
    instance: str | None = None,
) -> tuple[int, Headers, bytes]:
    """The answer to ``exc`` raised while serving a request: (status, headers, body).

    ``accept``: the request's ``Accept`` header; ``request_id``: the request's request-id
    header (echoed; a new id is made without one); ``instance``: the request's path (the
    problem's ``instance``). Never raises: an error that cannot be written (a detail
    JSON cannot hold) is logged and answered as the internal error.
    """
    try:
        return _answer(_checked(exc), accept, request_id, instance)
    except Exception:  # noqa: BLE001 - logged; the internal error instead
        logger.exception("%s could not be written", type(exc).__name__)
    try:
        return _answer(internal_error(), accept, request_id, instance)
    except Exception:  # noqa: BLE001 - the last resort: a bare 500, nothing leaked
        logger.exception("answering an error failed")
        return 500, [("content-type", "text/plain")], b"Internal Server Error"


def _sendable(text: str) -> bool:
    """Whether a header name or value can be sent as is (no line breaks, Latin-1)."""
    return text.isprintable() and text.isascii()


def _answer(
    error: APIError, accept: str | None, request_id: str | None, instance: str | None
) -> tuple[int, Headers, bytes]:
    error.request_id = _request_id(error, request_id)
    status, written, body = error.to_response()
    headers: dict[str, str] = {
        name: value
        for name, value in error.headers.items()
        if name not in _SKIPPED and not is_secret(name) and _sendable(name + value)
    }
    if wants_problem(accept):
        document = problem_document(error, status, instance)
        body = json.dumps(document, separators=(",", ":")).encode()
        written = {
            name: value for name, value in written.items() if name != "content-type"
        }
        written["content-type"] = PROBLEM_JSON
    headers.update(
        (name, value) for name, value in written.items() if _sendable(name + value)
    )
    if error.retry_after is not None:
        headers.update(_delay_headers(error.retry_after))
    if (
        error.retryable != type(error).RETRYABLE
    ):  # the server's own call: the client reads it
        headers["x-should-retry"] = "true" if error.retryable else "false"
    if _sendable(error.request_id):
        headers.setdefault(REQUEST_ID_HEADER, error.request_id)
    return status, list(headers.items()), body


def _reason(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Error"


# --- Starlette / FastAPI (frameworks imported by name, when a handler first runs, so
# that neither the package nor its type checking needs them) -----------------------------------------------------------


def _starlette_response(request: Any, exc: BaseException) -> Any:
    Response = import_module("starlette.responses").Response  # the app's own Starlette

    headers = request.headers
    status, pairs, body = render(
        exc,
        accept=headers.get("accept"),
        request_id=headers.get(REQUEST_ID_HEADER),
        instance=request.url.path,
    )
    media = dict(pairs).get("content-type")
    return Response(
        content=body,
        status_code=status,
        headers={k: v for k, v in pairs if k != "content-type"},
        media_type=media,
    )


async def starlette_handler(request: Any, exc: Exception) -> Any:
    """A Starlette / FastAPI exception handler: ``app.add_exception_handler(APIError, ...)``."""
    return _starlette_response(request, exc)


def install(app: Any) -> None:
    """Answer the API's errors, and unexpected exceptions, in a Starlette or FastAPI app
    (before it starts: it adds a middleware).

    The API's errors get an exception handler; other exceptions are answered by
    ``ASGIMiddleware`` (Starlette's handler for ``Exception`` would re-raise them to the
    server, which then drops the connection). The framework's own HTTP exceptions and
    validation errors keep their handlers.
    """
    app.add_exception_handler(APIError, starlette_handler)
    app.add_middleware(ASGIMiddleware)


# --- Flask -------------------------------------------------------------------------


def flask_handler(exc: BaseException) -> Any:
    """A Flask error handler: ``app.register_error_handler(APIError, flask_handler)``."""
    response = getattr(exc, "get_response", None)
    if callable(response) and isinstance(getattr(exc, "code", None), int):
        return response()  # werkzeug's HTTPException (a 404 route, a 405): Flask's own
    request = import_module("flask").request  # the app's own Flask

    status, pairs, body = render(
        exc,
        accept=request.headers.get("accept"),
        request_id=request.headers.get(REQUEST_ID_HEADER),
        instance=request.path,
    )
    return body, status, pairs


def install_flask(app: Any) -> None:
    """Answer the API's errors, and unexpected exceptions, in a Flask app."""
    app.register_error_handler(APIError, flask_handler)
    app.register_error_handler(Exception, flask_handler)


# --- Django ------------------------------------------------------------------------


class DjangoMiddleware:
    """A Django middleware (``MIDDLEWARE``) answering the API's errors and unexpected
    exceptions of views; Django's own (``Http404``, ``PermissionDenied``) stay Django's.
    """

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        if type(exception).__module__.startswith("django."):
            return None
        HttpResponse = import_module("django.http").HttpResponse  # the app's own Django

        headers = request.headers
        status, pairs, body = render(
            exception,
            accept=headers.get("accept"),
            request_id=headers.get(REQUEST_ID_HEADER),
            instance=request.path,
        )
        response = HttpResponse(body, status=status)
        for name, value in pairs:
            response[name] = value
        return response


# --- ASGI and WSGI -----------------------------------------------------------------

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _scope_header(scope: Scope, name: str) -> str | None:
    wanted = name.encode("latin-1")
    for key, value in scope.get("headers") or ():
        if bytes(key).lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


class ASGIMiddleware:
    """Wraps an ASGI app: an exception it raises before it starts its response is
    answered as the API answers it; after that it propagates (the server closes)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message.get("type") == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:
                raise
            status, pairs, body = render(
                exc,
                accept=_scope_header(scope, "accept"),
                request_id=_scope_header(scope, REQUEST_ID_HEADER),
                instance=scope.get("path"),
            )
            pairs.append(("content-length", str(len(body))))
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [(k.encode(), v.encode("latin-1")) for k, v in pairs],
                }
            )
            await send({"type": "http.response.body", "body": body})


StartResponse = Callable[..., Any]


class WSGIMiddleware:
    """Wraps a WSGI app: an exception it raises before it starts its response is
    answered as the API answers it."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Any]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        started = False

        def starting(status: str, headers: Any, exc_info: Any = None) -> Any:
            nonlocal started
            started = True
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, starting)  # type: ignore[no-any-return]
        except Exception as exc:
            if started:
                raise
            status, pairs, body = render(
                exc,
                accept=environ.get("HTTP_ACCEPT"),
                request_id=environ.get(
                    "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")
                ),
                instance=environ.get("PATH_INFO"),
            )
            pairs.append(("content-length", str(len(body))))
            start_response(_reason(status), pairs)
            return [body]
