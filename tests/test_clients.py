"""Generated packages against real clients (httpx sync/async, requests, aiohttp, urllib)
calling a real HTTP server on 127.0.0.1 that serves the seed APIs' documented errors."""

from __future__ import annotations

import asyncio
import pickle
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import tenacity

from . import live_server
from .conftest import GENERATED, ROOT, import_package
from .live_server import GRAPHQL_PARTIAL, GRAPHQL_SEVERAL, VALIDATION_DETAIL

TIMEOUT = 5.0  # seconds; every request is bounded
SECRET = "s3cret-token"
QUERY = f"?api_key={SECRET}&page=2"


@pytest.fixture(scope="module")
def server() -> Iterator[live_server.LiveServer]:
    with live_server.serve() as running:
        yield running


@pytest.fixture(scope="module")
def apis() -> dict[str, ModuleType]:
    """The seed APIs' committed packages (generated/), by API name."""
    names = ("flux", "flow_rest", "cliquify", "flowlu", "flow_graphql")
    return {name: import_package(GENERATED, f"{name}_errors") for name in names}


# --- one way per client to get from a URL to the package's typed error ------------


def via_httpx(api: ModuleType, url: str, method: str) -> Any:
    with httpx.Client(timeout=TIMEOUT) as client:
        return api.from_httpx(client.request(method, url))


def via_httpx_stream(api: ModuleType, url: str, method: str) -> Any:
    with httpx.Client(timeout=TIMEOUT) as client, client.stream(method, url) as response:
        return api.from_httpx(response)  # the body is still unread here


def via_httpx_async(api: ModuleType, url: str, method: str) -> Any:
    async def run() -> Any:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            async with client.stream(method, url) as response:
                return await api.afrom_httpx(response)

    return asyncio.run(run())


def via_requests(api: ModuleType, url: str, method: str) -> Any:
    return api.from_requests(requests.request(method, url, timeout=TIMEOUT))


def via_requests_stream(api: ModuleType, url: str, method: str) -> Any:
    with requests.request(method, url, timeout=TIMEOUT, stream=True) as response:
        return api.from_requests(response)


def via_aiohttp(api: ModuleType, url: str, method: str) -> Any:
    async def run() -> Any:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as session:
            async with session.request(method, url) as response:
                return await api.from_aiohttp(response)

    return asyncio.run(run())


def via_urllib(api: ModuleType, url: str, method: str) -> Any:
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT):
            return None
    except urllib.error.HTTPError as exc:
        with exc:
            return api.from_urllib(exc, method=method)


CLIENTS: dict[str, Callable[[ModuleType, str, str], Any]] = {
    "httpx": via_httpx,
    "httpx-stream": via_httpx_stream,
    "httpx-async": via_httpx_async,
    "requests": via_requests,
    "requests-stream": via_requests_stream,
    "aiohttp": via_aiohttp,
    "urllib": via_urllib,
}


@dataclass(frozen=True)
class Expect:
    api: str
    path: str
    cls: str
    code: str | None
    retryable: bool
    retry_after: float | None = None
    method: str = "GET"
    items: tuple[str, ...] = ()  # class names inside a GraphQL group


SEED_ERRORS = [
    Expect("flux", "/flux/401", "AuthenticationRequiredError", "authentication_required", False),
    Expect("flux", "/flux/403", "AccessDeniedError", "access_denied", False),
    Expect("flux", "/flux/404", "RouteNotFoundError", "route_not_found", False),
    Expect("flux", "/flux/408", "FluxRequestTimeoutError", "request_timeout", True),
    Expect("flux", "/flux/422", "FluxValidationError", "validation_error", False, method="POST"),
    Expect("flux", "/flux/500", "FluxInternalServerError", "internal_server_error", True, 2.0),
    Expect("flow_rest", "/flow_rest/400", "InvalidArgumentError", "invalid_argument", False, method="PUT"),
    Expect("flow_rest", "/flow_rest/401", "AuthenticationRequiredError", "required", False),
    Expect("flow_rest", "/flow_rest/409", "ResourceExistsError", "resource_exists", False, method="POST"),
    Expect("flow_rest", "/flow_rest/429", "RateLimitExceededError", "rate_limit_exceeded", True, 1.0),
    Expect("cliquify", "/cliquify/401", "InvalidAccessTokenError", "invalid_access_token", False),
    # x-should-retry: false overrides the category's "retry a 429"
    Expect("cliquify", "/cliquify/429", "TooManyRequestsError", "too_many_requests", False),
    Expect("cliquify", "/cliquify/500", "InternalError", "internal_error", True, method="DELETE"),
    Expect("flowlu", "/flowlu/401", "UnauthorizedError", None, False),
    Expect("flowlu", "/flowlu/403", "FlowluPermissionDeniedError", None, False),
    # One GraphQL error is that error's class (with the partial data); several, a group.
    Expect("flow_graphql", "/graphql/partial", "GraphqlResponseError", "ERROR_CODE", False, method="POST"),
    Expect(
        "flow_graphql",
        "/graphql/several",
        "FlowGraphqlErrorGroup",
        "BAD_USER_INPUT",
        False,
        method="POST",
        items=("PayloadMismatchError", "GraphqlResponseError"),
    ),
    Expect("flow_graphql", "/graphql/401", "UnauthorizedError", "UNAUTHENTICATED", False, method="POST"),
    Expect("flow_graphql", "/graphql/429", "RateLimitExceededError", None, True, 0.25, method="POST"),
]


# urllib raises HTTPError only for error statuses: a 200 with GraphQL errors never reaches it.
SEED_CALLS = [
    pytest.param(case, client, id=f"{client}-{case.method}{case.path}")
    for case in SEED_ERRORS
    for client in CLIENTS
    if not (client == "urllib" and case.path in ("/graphql/partial", "/graphql/several"))
]


@pytest.mark.parametrize(("case", "client"), SEED_CALLS)
def test_seed_errors_through_every_client(
    case: Expect, client: str, server: live_server.LiveServer, apis: dict[str, ModuleType]
) -> None:
    api = apis[case.api]
    url = server.url + case.path + QUERY
    err = CLIENTS[client](api, url, case.method)
    assert type(err).__name__ == case.cls, repr(err)
    assert (err.code, err.retryable, err.retry_after) == (case.code, case.retryable, case.retry_after)
    assert api.should_retry(err) is case.retryable
    assert err.request_method == case.method
    assert err.request_url == f"{server.url}{case.path}?api_key=[redacted]&page=[redacted]"
    assert SECRET not in repr(err.__dict__) and SECRET not in repr(pickle.loads(pickle.dumps(err)).__dict__)
    assert [type(e).__name__ for e in getattr(err, "errors", ())] == list(case.items)
    assert all(e.request_url == err.request_url for e in getattr(err, "errors", ()))
    if case.path == "/flux/422":
        assert err.raw_detail == VALIDATION_DETAIL and err.detail_error is None and err.status == 422  # detail: typed
    if case.path == "/graphql/partial":
        assert err.status == 200 and err.data == GRAPHQL_PARTIAL["data"]
        assert err.message == "Human-readable message"
    if case.path == "/graphql/several":
        assert isinstance(err, ExceptionGroup) and err.status == 200 and err.data == GRAPHQL_SEVERAL["data"]
        assert [e.data for e in err.errors] == [GRAPHQL_SEVERAL["data"]] * 2
        assert all(e.request_method == "POST" for e in err.errors)


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("name", ["flux", "flow_rest", "cliquify", "flowlu", "flow_graphql"])
def test_html_502_from_a_proxy_is_unavailable_and_retryable(
    name: str, client: str, server: live_server.LiveServer, apis: dict[str, ModuleType]
) -> None:
    api = apis[name]
    err = CLIENTS[client](api, server.url + "/proxy/502", "GET")
    assert type(err) is api.ServiceUnavailableError
    assert err.status == 502 and err.body == live_server.PROXY_HTML and err.code is None
    assert api.should_retry(err) and err.retry_after is None
    assert err.headers["content-type"] == "text/html"


@pytest.mark.parametrize("client", CLIENTS)
def test_rate_limit_headers_through_every_client(client: str, server: live_server.LiveServer) -> None:
    quota = import_package(ROOT / "tests" / "golden", "quota_errors")  # tests/cases/rate_limits.yaml
    err = CLIENTS[client](quota, server.url + "/quota/403", "GET")
    assert type(err).__name__ == "SecondaryRateLimitError" and isinstance(err, quota.RateLimitError)
    assert err.rate_limit == quota.RateLimit(60, 0, 12.0) and err.retry_after == 12.0
    assert quota.should_retry(err) and quota.wait_for(err, attempt=1) == 12.0


@pytest.mark.parametrize("client", CLIENTS)
def test_slow_body_is_read_whole(client: str, server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    err = CLIENTS[client](apis["flux"], server.url + "/slow", "GET")
    assert type(err).__name__ == "FluxInternalServerError"
    assert err.message == "Backend failure" and err.body == live_server.FLUX_500


def test_a_timeout_shorter_than_the_body_is_the_client_s_error(server: live_server.LiveServer) -> None:
    with httpx.Client(timeout=live_server.SLOW_PAUSE / 5) as client, pytest.raises(httpx.ReadTimeout):
        client.get(server.url + "/slow")


@pytest.mark.parametrize("client", ["httpx-stream", "httpx-async", "requests-stream", "aiohttp", "urllib"])
def test_truncated_body_is_classified_by_status(
    client: str, server: live_server.LiveServer, apis: dict[str, ModuleType]
) -> None:
    flux = apis["flux"]
    err = CLIENTS[client](flux, server.url + "/truncated", "GET")
    # Content-Length promised more than was sent: the status alone decides.
    assert isinstance(err, flux.InternalServerError) and err.status == 500
    assert err.code is None and flux.should_retry(err)


def test_non_stream_clients_raise_their_own_error_on_truncation(server: live_server.LiveServer) -> None:
    with httpx.Client(timeout=TIMEOUT) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(server.url + "/truncated")
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(server.url + "/truncated", timeout=TIMEOUT)


def test_successful_responses_are_not_errors_and_keep_their_body(
    server: live_server.LiveServer, apis: dict[str, ModuleType]
) -> None:
    for name, api in apis.items():
        for client, fetch in CLIENTS.items():
            assert fetch(api, server.url + "/ok", "GET") is None, (name, client)
    with httpx.Client(timeout=TIMEOUT) as client, client.stream("GET", server.url + "/ok") as response:
        assert apis["flux"].from_httpx(response) is None
        assert response.read() == b'{"ok": true}'  # flux has no errors in a 2xx: body left unread


# --- hooks ------------------------------------------------------------------------


def test_httpx_hook_raises_typed_errors(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    flux, gql = apis["flux"], apis["flow_graphql"]
    with httpx.Client(base_url=server.url, timeout=TIMEOUT, event_hooks={"response": [flux.raise_for_httpx]}) as client:
        assert client.get("/ok").json() == {"ok": True}
        with pytest.raises(flux.PermissionDeniedError) as denied:
            client.get("/flux/403" + QUERY)
        assert denied.value.code == "access_denied" and denied.value.request_method == "GET"
        with pytest.raises(flux.InternalServerError):  # the hook reads a truncated body itself
            client.get("/truncated")
    with httpx.Client(base_url=server.url, timeout=TIMEOUT, event_hooks={"response": [gql.raise_for_httpx]}) as client:
        with pytest.raises(gql.GraphqlResponseError) as one:  # one error: its own class
            client.post("/graphql/partial", json={"query": "{ flow { id } }"})
        assert one.value.data == {"flow": None}
        seen: list[Any] = []
        try:  # several: an ExceptionGroup, split by member class
            client.post("/graphql/several", json={"query": "{ flow { id } run { id } }"})
        except* gql.ValidationError as invalid:
            seen.append(invalid)
        except* gql.UnknownError as other:
            seen.append(other)
        assert [[type(e).__name__ for e in part.exceptions] for part in seen] == [
            ["PayloadMismatchError"],
            ["GraphqlResponseError"],
        ]
        assert [part.data for part in seen] == [GRAPHQL_SEVERAL["data"]] * 2
        assert client.post("/ok", json={}).json() == {"ok": True}


def test_httpx_async_hook_raises_typed_errors(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    gql = apis["flow_graphql"]

    async def run() -> None:
        hooks = {"response": [gql.araise_for_httpx]}
        async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT, event_hooks=hooks) as client:
            assert (await client.post("/ok", json={})).json() == {"ok": True}
            with pytest.raises(gql.FlowGraphqlErrorGroup) as group:
                await client.post("/graphql/several", json={"query": "{ flow { id } }"})
            assert [type(e).__name__ for e in group.value.errors] == ["PayloadMismatchError", "GraphqlResponseError"]
            with pytest.raises(gql.RateLimitError) as limited:  # one error: caught by its category
                await client.post("/graphql/429", json={})
            assert limited.value.retry_after == 0.25 and gql.should_retry(limited.value)

    asyncio.run(run())


def test_requests_hook_raises_typed_errors(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    rest = apis["flow_rest"]
    with requests.Session() as session:
        session.hooks["response"].append(rest.raise_for_requests)
        assert session.get(server.url + "/ok", timeout=TIMEOUT).json() == {"ok": True}
        with pytest.raises(rest.RateLimitError) as limited:
            session.get(server.url + "/flow_rest/429" + QUERY, timeout=TIMEOUT)
        assert limited.value.retry_after == 1.0 and limited.value.message == "The usage limit has been exceeded."
        with pytest.raises(rest.InternalServerError):  # a truncated body: typed by status, not ChunkedEncodingError
            session.get(server.url + "/truncated", timeout=TIMEOUT)


def test_aiohttp_raise_for_status_hook(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    cliquify = apis["cliquify"]

    async def run() -> None:
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout, raise_for_status=cliquify.raise_for_aiohttp) as session:
            async with session.get(server.url + "/ok") as ok:
                assert await ok.json() == {"ok": True}
            with pytest.raises(cliquify.AuthenticationError) as auth:
                async with session.get(server.url + "/cliquify/401"):
                    pass
            assert auth.value.code == "invalid_access_token"

    asyncio.run(run())


# --- retries ----------------------------------------------------------------------


def test_tenacity_retries_a_429_then_succeeds(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    rest = apis["flow_rest"]
    calls: list[int] = []
    waits: list[float] = []

    with httpx.Client(base_url=server.url, timeout=TIMEOUT, event_hooks={"response": [rest.raise_for_httpx]}) as client:

        def call() -> Any:
            calls.append(1)
            return client.get("/flaky/tenacity/2").json()

        retrying = tenacity.Retrying(
            retry=rest.should_retry,
            wait=rest.wait_for,
            stop=tenacity.stop_after_attempt(5),
            before_sleep=lambda state: waits.append(state.upcoming_sleep),
            reraise=True,
        )
        assert retrying(call) == {"ok": True}
    assert len(calls) == 3
    assert waits == [0.01, 0.01]  # the server's retry-after-ms, not the backoff


def test_tenacity_async_with_aiohttp(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    rest = apis["flow_rest"]

    async def run() -> tuple[Any, int]:
        attempts = 0
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as session:
            async for attempt in tenacity.AsyncRetrying(
                retry=tenacity.retry_if_exception(rest.should_retry),
                wait=rest.wait_for,
                stop=tenacity.stop_after_attempt(4),
                reraise=True,
            ):
                with attempt:
                    attempts += 1
                    async with session.get(server.url + "/flaky/aiohttp/1") as response:
                        error = await rest.from_aiohttp(response)
                        if error is not None:
                            raise error
                        return await response.json(), attempts
        raise AssertionError("unreachable")

    assert asyncio.run(run()) == ({"ok": True}, 2)


def test_tenacity_does_not_retry_what_should_not_be(
    server: live_server.LiveServer, apis: dict[str, ModuleType]
) -> None:
    cliquify = apis["cliquify"]
    calls: list[int] = []

    def call() -> None:
        calls.append(1)
        with httpx.Client(timeout=TIMEOUT) as client:
            cliquify.raise_for_httpx(client.get(server.url + "/cliquify/429"))

    retrying = tenacity.Retrying(
        retry=cliquify.should_retry, wait=cliquify.wait_for, stop=tenacity.stop_after_attempt(3), reraise=True
    )
    with pytest.raises(cliquify.TooManyRequestsError):
        retrying(call)
    assert len(calls) == 1  # x-should-retry: false


def test_plain_retry_loop_as_in_the_readme(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    rest = apis["flow_rest"]
    slept: list[float] = []
    result = None
    with requests.Session() as session:
        session.hooks["response"].append(rest.raise_for_requests)
        for attempt in range(1, 4):
            try:
                result = session.get(server.url + "/flaky/loop/2", timeout=TIMEOUT).json()
                break
            except rest.FlowRestError as exc:
                if attempt == 3 or not rest.should_retry(exc):
                    raise
                slept.append(rest.wait_for(exc, attempt=attempt))
    assert result == {"ok": True} and slept == [0.01, 0.01]


def test_http_date_retry_after(server: live_server.LiveServer, apis: dict[str, ModuleType]) -> None:
    rest = apis["flow_rest"]
    with httpx.Client(timeout=TIMEOUT) as client:
        err = rest.from_httpx(client.get(server.url + "/date-retry"))
    assert isinstance(err, rest.ServiceUnavailableError) and rest.should_retry(err)
    # Sent as now + 3 s at one-second resolution.
    assert err.retry_after is not None and 0.0 < err.retry_after <= 3.0


# --- every header container and URL form users pass, in one table ------------------

FORMS_SPEC = """\
errorsdk: 1
api: {name: forms, version: 1.0.0, title: Forms API}
envelope:
  code: [code, header:x-error-code]
  message: message
  request_id: header:x-request-id
errors:
  - {code: busy, status: 503, message: Busy}
  - {name: webhook_failed, status: 502, message: Webhook failed}
rules:
  - {error: webhook_failed, path: '/webhooks$'}
"""
FORM_HEADERS = [
    ("X-Request-Id", "rid-7"),
    ("Retry-After", "5"),
    ("X-Error-Code", "busy"),
    ("X-Api-Token", "s3cret-form"),
    ("Set-Cookie", "a=s3cret-form"),
    ("Set-Cookie", "b=s3cret-form"),
    ("Link", "<a>"),
    ("link", "<b>"),
]


def _message(cls: Any) -> Any:

    message = cls()
    for name, value in FORM_HEADERS:
        message[name] = value
    return message


def header_containers() -> dict[str, Callable[[], Any]]:
    import email.message
    import http.client
    import io
    import wsgiref.headers

    import multidict
    import requests.structures
    import urllib3

    raw = "".join(f"{n}: {v}\r\n" for n, v in FORM_HEADERS)
    return {
        "dict": lambda: {n: v for n, v in FORM_HEADERS if n.lower() != "link"} | {"Link": "<a>, <b>"},
        "pairs": lambda: list(FORM_HEADERS),
        "tuple of bytes pairs": lambda: tuple((n.encode(), v.encode()) for n, v in FORM_HEADERS),
        "http.client.HTTPMessage": lambda: http.client.parse_headers(io.BytesIO(raw.encode() + b"\r\n")),
        "email.message.Message": lambda: _message(email.message.Message),
        "email.message.EmailMessage": lambda: _message(email.message.EmailMessage),
        "wsgiref Headers": lambda: wsgiref.headers.Headers(list(FORM_HEADERS)),
        "httpx.Headers": lambda: httpx.Headers(FORM_HEADERS),
        "requests CaseInsensitiveDict": lambda: requests.structures.CaseInsensitiveDict(
            {n: v for n, v in FORM_HEADERS if n.lower() != "link"} | {"Link": "<a>, <b>"}
        ),
        "aiohttp CIMultiDictProxy": lambda: multidict.CIMultiDictProxy(multidict.CIMultiDict(FORM_HEADERS)),
        "urllib3 HTTPHeaderDict": lambda: urllib3.HTTPHeaderDict(FORM_HEADERS),
        "raw text": lambda: raw,
        "raw bytes": lambda: raw.encode(),
        "raw lines": lambda: raw.splitlines(),
    }


def url_forms() -> dict[str, Callable[[], Any]]:
    import urllib.parse

    import yarl

    text = "https://user:s3cret-form@api.example.com/v1/webhooks?key=s3cret-form"
    return {
        "str": lambda: text,
        "bytes": lambda: text.encode(),
        "httpx.URL": lambda: httpx.URL(text),
        "yarl.URL": lambda: yarl.URL(text),
        "urllib.parse.SplitResult": lambda: urllib.parse.urlsplit(text),
        "malformed": lambda: "http://[::1/v1/webhooks?key=s3cret-form",
    }


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    from errorsdk.output.write import write_package
    from errorsdk.pipeline import generate_package

    tmp = tmp_path_factory.mktemp("forms")
    (tmp / "forms.yaml").write_text(FORMS_SPEC)
    write_package(tmp / "out", generate_package(tmp / "forms.yaml"))
    return import_package(tmp / "out", "forms_errors")


@pytest.mark.parametrize("url_form", sorted(url_forms()))
@pytest.mark.parametrize("container", sorted(header_containers()))
def test_every_header_container_and_url_form(forms: ModuleType, container: str, url_form: str) -> None:
    headers = header_containers()[container]()
    url = url_forms()[url_form]()
    err = forms.from_response(503, b'{"message": "Hook down"}', headers, method="post", url=url)
    assert type(err) is forms.WebhookFailedError, (container, url_form)  # the path rule saw the path
    assert err.message == "Hook down" and err.code == "busy"  # the header code
    assert err.request_id == "rid-7" and err.retry_after == 5.0
    assert err.headers["x-api-token"] == err.headers["set-cookie"] == "[redacted]"
    assert err.headers["link"] == "<a>, <b>"  # repeated names combined, none lost
    assert err.request_url is not None and "/v1/webhooks" in err.request_url
    texts = [repr(err), str(err), repr(vars(err)), repr(err.to_response())]
    assert not any("s3cret" in t for t in texts) and b"s3cret" not in pickle.dumps(err)
    plain = forms.from_response(503, b"{}", headers)
    assert type(plain) is forms.BusyError and plain.request_id == "rid-7"
