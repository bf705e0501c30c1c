"""A real HTTP server on 127.0.0.1 (standard library, in a thread) serving the seed APIs' errors.

Each route answers the way its seed page (/work/shared/seeds/) documents the error.
Special routes: ``/proxy/502`` (an HTML page from a proxy), ``/slow`` (the body
arrives in two parts), ``/truncated`` (Content-Length promises more than is sent),
``/flaky/<key>/<n>`` (429 for the first n requests of a key, then 200),
``/date-retry`` (503 with an HTTP-date Retry-After), ``/ok`` (200).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

JSON = "application/json"
PROXY_HTML = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
SLOW_PAUSE = 0.15  # seconds between the two halves of /slow


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = JSON


def js(status: int, doc: Any, *headers: tuple[str, str]) -> Reply:
    return Reply(status, json.dumps(doc).encode(), headers)


def flux(status: int, code: str, message: str, detail: Any = None) -> Reply:
    # 004: {"message": ..., "error_code": ..., "detail": ...}
    return js(status, {"message": message, "error_code": code, "detail": detail})


def flow_rest(status: int, reason: str, message: str, *headers: tuple[str, str]) -> Reply:
    # 002: {"error": {"code": <status>, "reason": ..., "message": ...}}
    return js(status, {"error": {"code": status, "reason": reason, "message": message}}, *headers)


def cliquify(status: int, code: str, message: str, *headers: tuple[str, str]) -> Reply:
    # 003: {"code": ..., "message": ...}; the page gives no statuses, these are the usual ones
    return js(status, {"code": code, "message": message}, *headers)


VALIDATION_DETAIL = [{"field": "where.$.all_of[0].status__eq", "message": "Invalid operator"}]
GRAPHQL_PARTIAL = {
    "data": {"flow": None},
    "errors": [{"message": "Human-readable message", "extensions": {"code": "ERROR_CODE"}}],
}
GRAPHQL_SEVERAL = {  # two errors of two classes: a group
    "data": {"flow": {"id": "f1"}, "run": None},
    "errors": [
        {"message": 'Variable "$input" got invalid value', "extensions": {"code": "BAD_USER_INPUT"}},
        {"message": "Run failed", "extensions": {"code": "RUN_FAILED"}},
    ],
}
FLUX_500 = json.dumps({"message": "Backend failure", "error_code": "internal_server_error", "detail": None}).encode()

ROUTES: dict[str, Reply] = {
    # 004 Flux delivery API: the page's example bodies.
    "/flux/401": flux(401, "authentication_required", "Invalid signature"),
    "/flux/403": flux(403, "access_denied", "Access denied to folder 7c9h4pwu"),
    "/flux/404": flux(404, "route_not_found", "Route not found"),
    "/flux/408": flux(408, "request_timeout", "Delivery request exceeded the 60-second timeout window."),
    "/flux/422": flux(422, "validation_error", "Validation error", VALIDATION_DETAIL),
    "/flux/500": Reply(500, FLUX_500, (("Retry-After", "2"), ("X-Request-Id", "req-1"))),
    # 002 FLOW REST API: the page's sample body and reasons.
    "/flow_rest/400": flow_rest(
        400, "invalid_argument", "The value for one of the fields in the request body was invalid."
    ),
    "/flow_rest/401": flow_rest(401, "required", "Authentication is required."),
    "/flow_rest/409": flow_rest(409, "resource_exists", "The resource already exists."),
    "/flow_rest/429": flow_rest(429, "rate_limit_exceeded", "The usage limit has been exceeded.", ("Retry-After", "1")),
    # 003 Cliquify Connect API: the page's example body.
    "/cliquify/401": cliquify(401, "invalid_access_token", "Access token is invalid"),
    "/cliquify/429": cliquify(429, "too_many_requests", "Rate limit exceeded.", ("x-should-retry", "false")),
    "/cliquify/500": cliquify(500, "internal_error", "Unexpected server issue."),
    # 000 Flowlu: status only, no documented body.
    "/flowlu/401": Reply(401, b"", content_type="text/plain"),
    "/flowlu/403": Reply(403, b"", content_type="text/plain"),
    # 001 Flow GraphQL: the status table, and 200 with an errors array (partial data).
    "/graphql/partial": js(200, GRAPHQL_PARTIAL),
    "/graphql/several": js(200, GRAPHQL_SEVERAL),
    "/graphql/401": js(401, {"errors": [{"message": "Unauthorized", "extensions": {"code": "UNAUTHENTICATED"}}]}),
    "/graphql/429": js(429, {"errors": [{"message": "Too many requests"}]}, ("retry-after-ms", "250")),
    # tests/cases/rate_limits.yaml: a window that is used up (reset: seconds from now).
    "/quota/403": js(
        403,
        {"code": "secondary_rate_limit", "message": "Slow down"},
        ("X-RateLimit-Limit", "60"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", "12"),
    ),
    # Not from an API: a proxy in front of it, and a plain success.
    "/proxy/502": Reply(502, PROXY_HTML, content_type="text/html"),
    "/ok": js(200, {"ok": True}),
}


@dataclass
class State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: dict[str, int] = field(default_factory=dict)

    def hit(self, key: str) -> int:
        with self.lock:
            self.hits[key] = self.hits.get(key, 0) + 1
            return self.hits[key]


class Handler(BaseHTTPRequestHandler):
    server: LiveServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def _reply(self, reply: Reply, *, length: int | None = None) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body) if length is None else length))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()

    def _handle(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        if size:
            self.rfile.read(size)
        path = urlsplit(self.path).path
        if path in ROUTES:
            reply = ROUTES[path]
            self._reply(reply)
            self.wfile.write(reply.body)
        elif path == "/slow":
            reply = Reply(500, FLUX_500)
            self._reply(reply)
            half = len(FLUX_500) // 2
            self.wfile.write(FLUX_500[:half])
            self.wfile.flush()
            time.sleep(SLOW_PAUSE)
            self.wfile.write(FLUX_500[half:])
        elif path == "/truncated":
            self._reply(Reply(500, FLUX_500), length=len(FLUX_500) + 100)
            self.wfile.write(FLUX_500[:20])
            self.wfile.flush()
            self.close_connection = True
        elif path.startswith("/flaky/"):
            _, _, key, failures = path.split("/")
            if self.server.state.hit(key) <= int(failures):
                reply = flow_rest(429, "rate_limit_exceeded", "Slow down.", ("retry-after-ms", "10"))
            else:
                reply = js(200, {"ok": True})
            self._reply(reply)
            self.wfile.write(reply.body)
        elif path == "/date-retry":
            when = formatdate(time.time() + 3, usegmt=True)
            reply = flow_rest(503, "unavailable", "Try later.", ("Retry-After", when))
            self._reply(reply)
            self.wfile.write(reply.body)
        else:
            reply = js(404, {"message": "no such test route"})
            self._reply(reply)
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class LiveServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)  # a free port
        self.state = State()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@contextmanager
def serve() -> Iterator[LiveServer]:
    """Run the server in a thread for the duration of the block."""
    server = LiveServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
