"""Issue 20 §1 and §3: every entry of every bundled spec raised in a real server (uvicorn
serving FastAPI and a bare ASGI app, werkzeug serving Flask, a bare WSGI app and Django), on
127.0.0.1, through the package's own ``server`` handlers, comes back to a real client (httpx
with the package's ``raise_for_httpx`` hook) as the same class with the same fields, in the
API's envelope and negotiated as RFC 9457 problem+json; unexpected exceptions and details that
fail their schema become the API's internal error, with nothing secret in the answer."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import server_apps
from .conftest import GENERATED, ROOT, import_package

NAMES = ("flux", "flow_rest", "cliquify", "flowlu", "flow_graphql")
FRAMEWORKS = ("fastapi", "asgi", "flask", "wsgi", "django")
DETAIL_CANDIDATES: tuple[Any, ...] = (
    [{"field": "name", "message": "is required"}],
    {"message": "partial", "path": ["a", 1]},
    {},
    [],
)


@pytest.fixture(scope="module")
def apis() -> dict[str, ModuleType]:
    loaded = {name: import_package(GENERATED, f"{name}_errors") for name in NAMES}
    for api in loaded.values():
        __import__(f"{api.__name__}.server")
    return loaded


@pytest.fixture(scope="module")
def servers(apis: dict[str, ModuleType]) -> Iterator[dict[str, str]]:
    """One server per framework for the whole module: framework -> base URL."""
    with (
        server_apps.uvicorn_server(server_apps.asgi_root(apis)) as asgi,
        server_apps.werkzeug_server(server_apps.wsgi_root(apis)) as wsgi,
        server_apps.werkzeug_server(server_apps.django_root(apis)) as django,
    ):
        yield {"fastapi": asgi, "asgi": asgi, "flask": wsgi, "wsgi": wsgi, "django": django}


def _detail_for(cls: type[Any]) -> Any:
    """A detail ``cls`` accepts: any JSON without a schema, else a candidate that matches it."""
    if cls._DETAIL_PARSER is None:
        return {"entry": cls.__name__, "values": [1, 2.5, None, "x", True]}
    for candidate in DETAIL_CANDIDATES:
        if cls(detail=candidate).detail_error is None:
            return candidate
    return None


def _envelope_carries_detail(api: ModuleType, cls: type[Any], detail: Any) -> bool:
    """Whether the API's envelope has a place for a detail (some specs' have none)."""
    status, headers, body = cls(detail=detail).to_response()
    return bool(api.from_response(status, body, headers).raw_detail == detail)


class Caller:
    """One httpx client per API (its ``raise_for_httpx`` hook), kept open across requests."""

    def __init__(self, apis: dict[str, ModuleType]) -> None:
        self.seen: list[httpx.Response] = []
        self.clients = {
            api.__name__: httpx.Client(timeout=10.0, event_hooks={"response": [self.seen.append, api.raise_for_httpx]})
            for api in apis.values()
        }

    def fetch(self, api: ModuleType, url: str, rid: str, accept: str | None) -> tuple[Any, httpx.Response]:
        """POST to ``url`` with the package's own hook; (the error it raised, the response)."""
        self.seen.clear()
        headers = {api.server.REQUEST_ID_HEADER: rid}
        if accept is not None:
            headers["accept"] = accept
        try:
            self.clients[api.__name__].post(url, headers=headers)  # POST: rules keyed on a write (flowlu's) apply
        except api.server.APIError as error:
            return error, self.seen[0]
        raise AssertionError(f"{url}: no error raised ({self.seen[0].status_code} {self.seen[0].content!r})")

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@pytest.fixture(scope="module")
def caller(apis: dict[str, ModuleType]) -> Iterator[Caller]:
    made = Caller(apis)
    yield made
    made.close()


KNOWN_UNREACHABLE = {
    # its default message names the payload: the spec's payload_mismatch rule takes it
    "flow_graphql.FlowGraphqlBadRequestError",
    # no status of its own: sent with its category's (422), which its rule (400) does not name
    "flow_graphql.PayloadMismatchError",
}
FIELDS = ("code", "status", "message", "raw_detail", "retry_after", "request_id", "retryable")


@pytest.mark.parametrize("accept", [None, "application/json", "application/problem+json"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_entry_crosses_the_wire_intact(
    framework: str, accept: str | None, apis: dict[str, ModuleType], servers: dict[str, str], caller: Caller
) -> None:
    checked = 0
    unreachable: set[str] = set()
    for key, api in apis.items():
        for index, cls in enumerate(api.ERROR_CLASSES):
            kwargs: dict[str, Any] = {}
            query: dict[str, str] = {}
            detail = _detail_for(cls)
            if detail is not None and _envelope_carries_detail(api, cls, detail):
                kwargs["detail"] = detail
                query["detail"] = json.dumps(detail)
            if index % 2 == 0:
                kwargs["retry_after"] = 7.0
                query["retry"] = "7"
            rid = f"rid-{framework}-{key}-{index}"
            url = f"{servers[framework]}/{framework}/{key}/{cls.__name__}"
            error, response = caller.fetch(api, str(httpx.URL(url, params=query)), rid, accept)
            # The reference: the same error rendered and read back in-process.
            raised = cls(**kwargs, request_id=rid)
            status, headers, body = raised.to_response()
            reference = api.from_response(
                status, body, {**headers, api.server.REQUEST_ID_HEADER: rid}, method="POST", url=url
            )
            if kwargs.get("retry_after") is not None:
                reference.retry_after = 7.0
            where = f"{framework} {key} {cls.__name__} accept={accept}"
            assert type(error) is type(reference), where  # the wire loses nothing in-process reading keeps
            if type(reference) is not cls:
                unreachable.add(f"{key}.{cls.__name__}")
            assert response.status_code == status, where
            for field in FIELDS:
                expected = getattr(reference, field)
                if field == "request_id" and accept == "application/problem+json":
                    expected = rid  # the problem document carries it
                assert getattr(error, field) == expected, (where, field)
            assert error.message == raised.message and error.raw_detail == raised.raw_detail, where
            if cls.CODE is not None:
                assert error.code == cls.CODE, where
            assert error.retry_after == kwargs.get("retry_after"), where
            assert response.headers[api.server.REQUEST_ID_HEADER] == rid, where
            problem = accept == "application/problem+json"
            media = response.headers["content-type"].partition(";")[0]
            assert media == ("application/problem+json" if problem else "application/json"), where
            if problem:
                doc = response.json()
                assert doc["status"] == status and doc["detail"] == raised.message, where
                assert doc["title"] == cls.DEFAULT_MESSAGE and doc["instance"].endswith(cls.__name__), where
                assert doc["type"] == api.server.problem_type(raised), where
            assert "authorization" not in response.headers, where
            assert server_apps.SECRET_VALUE not in response.text, where
            assert response.headers.get("x-served-by") == "test", where  # the error's other headers pass
            checked += 1
    assert checked == sum(len(api.ERROR_CLASSES) for api in apis.values()) > 50
    # Entries no response identifies, in-process or over the wire: the spec's own rules send
    # them elsewhere (a finding about the spec, kept visible here rather than skipped).
    assert unreachable == KNOWN_UNREACHABLE


@pytest.mark.parametrize("accept", [None, "application/problem+json"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_unexpected_exceptions_and_bad_details_become_the_internal_error_without_leaking(
    framework: str,
    accept: str | None,
    apis: dict[str, ModuleType],
    servers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    caller: Caller,
) -> None:
    caplog.set_level(logging.ERROR)
    for key, api in apis.items():
        cases = ["_boom"] + (["_bad_detail"] if server_apps.bad_detail_error(api) is not None else [])
        for name in cases:
            url = f"{servers[framework]}/{framework}/{key}/{name}"
            error, response = caller.fetch(api, url, f"rid-{name}", accept)
            internal = api.server.internal_error()
            assert type(error) is type(internal), (framework, key, name)
            assert response.status_code == 500
            assert error.message == internal.message
            assert server_apps.SECRET_TEXT not in response.text
            assert response.headers[api.server.REQUEST_ID_HEADER] == f"rid-{name}"
    logged = caplog.text
    assert "RuntimeError" in logged and "does not match its schema" in logged


def test_the_servers_retry_call_reaches_the_client(apis: dict[str, ModuleType]) -> None:
    """A ``retryable`` other than the entry's travels as ``x-should-retry``; the default adds nothing."""
    for api in apis.values():
        for cls in api.ERROR_CLASSES:
            for retryable in (True, False):
                status, headers, body = api.server.render(cls(retryable=retryable))
                read = api.from_response(status, body, headers)
                assert read.retryable is retryable, cls
                assert ("x-should-retry" in dict(headers)) is (retryable != cls.RETRYABLE)


@given(
    detail=st.recursive(
        st.none() | st.integers() | st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)
    )
    | st.builds(object),
    header=st.text(max_size=30),
    incoming=st.none() | st.text(max_size=300),
)
def test_render_never_raises_and_sends_only_sendable_headers(detail: Any, header: str, incoming: str | None) -> None:
    """Whatever the server puts into an error (a detail JSON cannot hold, header values with
    line breaks or non-Latin-1 text, a hostile incoming request id), the answer is a valid one."""
    api = import_package(GENERATED, "flux_errors")
    server = __import__("flux_errors.server", fromlist=["x"])
    error = api.AccessDeniedError(detail=detail, headers={"X-Note": header, "X-Api-Key": header})
    status, headers, body = server.render(error, request_id=incoming)
    assert status in (403, 500)
    for name, value in headers:
        assert value.isascii() and value.isprintable() and name.isascii(), (name, value)
        assert name != "x-api-key"
    rid = dict(headers)[server.REQUEST_ID_HEADER]
    if incoming and incoming.strip() and incoming.isascii() and incoming.isprintable() and len(incoming) <= 200:
        assert rid == incoming.strip()
    read = api.from_response(status, body, headers)
    assert type(read) in (api.AccessDeniedError, type(server.internal_error()))


def test_a_request_id_is_made_when_the_request_has_none(apis: dict[str, ModuleType]) -> None:
    api = apis["flux"]
    ids = {dict(api.server.render(api.AccessDeniedError())[1])[api.server.REQUEST_ID_HEADER] for _ in range(20)}
    assert len(ids) == 20 and all(len(i) == 32 for i in ids)
    raised = api.AccessDeniedError(request_id="mine")
    assert dict(api.server.render(raised, request_id="theirs")[1])[api.server.REQUEST_ID_HEADER] == "mine"
    assert raised.request_id == "mine"
    plain = api.AccessDeniedError()
    api.server.render(plain, request_id="theirs")
    assert plain.request_id is None  # the raised error is not changed


def test_a_spec_with_a_request_id_header_reads_it_back(inline_api: Any) -> None:
    api = inline_api("""
        errorsdk: 1
        api: {name: rid, title: Rid API, version: 1.0.0}
        envelope: {code: error.code, message: error.message, request_id: "header:x-trace-id"}
        errors:
          - {code: nope, status: 404, category: not_found, message: Nope}
        """)
    server = __import__(f"{api.__name__}.server", fromlist=["x"])
    assert server.REQUEST_ID_HEADER == "x-trace-id"
    status, headers, body = server.render(api.NopeError(), request_id="abc")
    error = api.from_response(status, body, headers)
    assert type(error) is api.NopeError and error.request_id == "abc"


@given(st.text(max_size=200))
def test_any_accept_header_is_answered_and_only_problem_json_gets_the_problem_form(accept: str) -> None:
    api = import_package(GENERATED, "flux_errors")
    server = __import__("flux_errors.server", fromlist=["x"])
    status, headers, body = server.render(api.AccessDeniedError(), accept=accept)
    media = dict(headers)["content-type"]
    assert status == 403
    assert media == ("application/problem+json" if server.wants_problem(accept) else "application/json")
    if "problem+json" not in accept.lower():
        assert not server.wants_problem(accept)


@pytest.mark.parametrize(
    ("accept", "problem"),
    [
        ("application/problem+json", True),
        ("application/json, application/problem+json", True),
        ("application/json;q=1, application/problem+json;q=0.5", False),
        ("application/problem+json;q=0", False),
        ("application/problem+json;q=abc", False),
        ("*/*", False),
        ("application/*", False),
        ("", False),
        (None, False),
        ("text/html", False),
    ],
)
def test_accept_negotiation(accept: str | None, problem: bool) -> None:
    server = __import__("flux_errors.server", fromlist=["x"]) if "flux_errors" in sys.modules else None
    if server is None:
        import_package(GENERATED, "flux_errors")
        server = __import__("flux_errors.server", fromlist=["x"])
    assert server.wants_problem(accept) is problem


SERVER_CODE = """
from typing import Any

from flux_errors import AccessDeniedError, FluxValidationError, models, server


def deny(folder: str) -> None:
    raise AccessDeniedError(
        message=f"Access denied to folder {folder}",
        detail={"folder": folder},
        headers={"X-Folder": folder},
        retry_after=3.0,
        request_id="req-1",
    )


def invalid() -> None:
    raise FluxValidationError(detail=[{"field": "name", "message": "required"}])


def answer(exc: Exception) -> tuple[int, list[tuple[str, str]], bytes]:
    return server.render(exc, accept="application/problem+json", request_id="r", instance="/x")


def setup(app: Any) -> None:
    server.install(app)
    server.install_flask(app)


middleware: type[server.DjangoMiddleware] = server.DjangoMiddleware
"""

BAD_SERVER_CODE = """
from flux_errors import AccessDeniedError

AccessDeniedError(retry_after="soon")
"""


def test_server_code_raising_the_errors_type_checks(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(SERVER_CODE))
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD_SERVER_CODE))

    def mypy(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"MYPYPATH": str(ROOT / "generated" / "flux_errors"), "PATH": "/usr/bin:/bin"},
        )

    good = mypy("app.py")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = mypy("bad.py")
    assert bad.returncode == 1 and "retry_after" in bad.stdout, bad.stdout
