"""Real servers on 127.0.0.1 raising the generated packages' errors through their ``server``
handlers: uvicorn serving FastAPI apps and bare ASGI apps (``ASGIMiddleware``), werkzeug
serving Flask apps and bare WSGI apps (``WSGIMiddleware``), and werkzeug serving Django
(``DjangoMiddleware``). Each runs in a thread of the test process, one per framework.

A request ``GET`` or ``POST /<framework>/<api>/<ClassName>?retry=7&detail=<json>`` raises that class
of that API's package (``retry_after`` and ``detail`` from the query); ``_boom`` raises an
unexpected exception whose text must never reach the client, ``_bad_detail`` raises a
class with a detail that fails its schema.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request

SECRET_TEXT = "s3cret-exception-text"
SECRET_VALUE = "Bearer s3cret-header-value"


def raise_entry(api: ModuleType, name: str, query: Mapping[str, str]) -> None:
    """Raise what the request asks for (never returns)."""
    if name == "_boom":
        raise RuntimeError(SECRET_TEXT)
    if name == "_bad_detail":
        raise bad_detail_error(api)
    cls = getattr(api, name)
    kwargs: dict[str, Any] = {"headers": {"Authorization": SECRET_VALUE, "X-Served-By": "test"}}
    if "retry" in query:
        kwargs["retry_after"] = float(query["retry"])
    if "detail" in query:
        kwargs["detail"] = json.loads(query["detail"])
    raise cls(**kwargs)


def bad_detail_error(api: ModuleType) -> Any:
    """An error of ``api`` whose detail fails its schema; None if every schema takes these."""
    for cls in api.ERROR_CLASSES:
        if cls._DETAIL_PARSER is None:
            continue
        for detail in (f"{SECRET_TEXT} is no object", [SECRET_TEXT], 12345, {"surely": [SECRET_TEXT]}):
            error = cls(detail=detail)
            if error.detail_error is not None:
                return error
    return None


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


# --- ASGI: FastAPI (install) and a bare ASGI app (ASGIMiddleware), under uvicorn -------------


def _fastapi_app(api: ModuleType) -> Any:
    app = FastAPI()
    api.server.install(app)

    @app.api_route("/{name}", methods=["GET", "POST"])
    async def entry(name: str, request: Request) -> None:
        raise_entry(api, name, dict(request.query_params))

    return app


def _bare_asgi(api: ModuleType) -> Any:
    from urllib.parse import parse_qsl

    async def app(scope: Any, receive: Any, send: Any) -> None:
        name = scope["path"].rpartition("/")[2]
        raise_entry(api, name, dict(parse_qsl(scope.get("query_string", b"").decode())))

    return api.server.ASGIMiddleware(app)


def asgi_root(apis: Mapping[str, ModuleType]) -> Any:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    routes = [Mount(f"/fastapi/{key}", app=_fastapi_app(api)) for key, api in apis.items()]
    routes += [Mount(f"/asgi/{key}", app=_bare_asgi(api)) for key, api in apis.items()]
    return Starlette(routes=routes)


@contextmanager
def uvicorn_server(app: Any) -> Iterator[str]:
    import uvicorn

    sock = _free_socket()
    config = uvicorn.Config(app, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


# --- WSGI: Flask (install_flask) and a bare WSGI app (WSGIMiddleware), under werkzeug ---------


def _flask_app(api: ModuleType) -> Any:
    from flask import Flask, request

    app = Flask(f"errorsdk_test_{api.__name__}")
    api.server.install_flask(app)

    @app.route("/<name>", methods=["GET", "POST"])
    def entry(name: str) -> None:
        raise_entry(api, name, dict(request.args))

    return app


def _bare_wsgi(api: ModuleType) -> Any:
    from urllib.parse import parse_qsl

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        name = environ["PATH_INFO"].rpartition("/")[2]
        raise_entry(api, name, dict(parse_qsl(environ.get("QUERY_STRING", ""))))
        return []

    return api.server.WSGIMiddleware(app)


def wsgi_root(apis: Mapping[str, ModuleType]) -> Any:
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    mounts = {f"/flask/{key}": _flask_app(api) for key, api in apis.items()}
    mounts.update({f"/wsgi/{key}": _bare_wsgi(api) for key, api in apis.items()})
    return DispatcherMiddleware(NotFound(), mounts)


def django_root(apis: Mapping[str, ModuleType]) -> Any:
    """Django with one middleware: per request, the package of the path's API answers
    through its own ``DjangoMiddleware`` (one Django settings per process)."""
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    def entry(request: Any, key: str, name: str) -> Any:
        raise_entry(apis[key], name, request.GET.dict())

    urls = types.ModuleType("errorsdk_test_django_urls")
    urls.urlpatterns = [path("django/<str:key>/<str:name>", entry)]  # type: ignore[attr-defined]
    sys.modules[urls.__name__] = urls

    class PerApi:
        def __init__(self, get_response: Callable[[Any], Any]) -> None:
            self.each = {key: api.server.DjangoMiddleware(get_response) for key, api in apis.items()}
            self.get_response = get_response

        def __call__(self, request: Any) -> Any:
            return self.get_response(request)

        def process_exception(self, request: Any, exception: Exception) -> Any:
            key = request.path.split("/")[2]
            return self.each[key].process_exception(request, exception)

    holder = types.ModuleType("errorsdk_test_django_middleware")
    holder.PerApi = PerApi  # type: ignore[attr-defined]
    sys.modules[holder.__name__] = holder
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="errorsdk-test",
            ROOT_URLCONF=urls.__name__,
            ALLOWED_HOSTS=["127.0.0.1"],
            MIDDLEWARE=[f"{holder.__name__}.PerApi"],
            INSTALLED_APPS=[],
            LOGGING_CONFIG=None,
        )
        django.setup()
    return get_wsgi_application()


@contextmanager
def werkzeug_server(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
