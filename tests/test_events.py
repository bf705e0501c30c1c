"""Issue 18 section 4: errors inside a server-sent-event stream (Anthropic's
``event: error`` after HTTP 200), read by the generated package's ``_events`` from a
real server on 127.0.0.1 through httpx (sync and async) and aiohttp, with malformed
streams (truncated, garbage, huge lines, non-JSON data) that never raise anything but
the typed error."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package

pytestmark = pytest.mark.runtime

CASES = Path(__file__).resolve().parent / "cases"

OVERLOADED = b'{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}'
OPENAI_LIMITED = (
    b'{"type": "error", "code": "rate_limit_exceeded", "message": "Rate limit reached for gpt-4o in organization '
    b'org-x on tokens per min (TPM): Limit 30000, Used 30000, Requested 120.", "param": null, "sequence_number": 3}'
)
CHAT_SERVER_ERROR = (
    b'{"error": {"message": "The server had an error while processing your request. Sorry about that!", '
    b'"type": "server_error", "param": null, "code": "server_error"}}'
)
CHAT_LIMITED = (
    b'{"error": {"message": "Rate limit reached for gpt-4o.", "type": "tokens", "param": null, '
    b'"code": "rate_limit_exceeded"}}'
)
START = b'event: message_start\ndata: {"type": "message_start", "message": {"id": "msg_1"}}\n\n'
DELTA = b'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": {"text": "Hi"}}\n\n'
PING = b"event: ping\ndata: {}\n\n: a comment\n\n"
ERROR = b"event: error\ndata: " + OVERLOADED + b"\n\n"

STREAMS: dict[str, list[bytes]] = {
    "/error": [START, PING, DELTA, ERROR, DELTA],
    "/crlf": [START.replace(b"\n", b"\r\n"), ERROR.replace(b"\n", b"\r\n")],
    "/split": [START + ERROR[:7], ERROR[7:30], ERROR[30:]],  # an event across chunks
    "/ok": [START, DELTA, b"event: message_stop\ndata: {}\n\n"],
    "/truncated": [START, b"event: error\ndata: " + OVERLOADED[:20]],  # cut off: dropped
    "/garbage": [b"\xff\xfe\x00garbage\x80\n\n", b"event\n\ndata\n\n::::\n\n", START],
    "/huge": [b"data: " + b"x" * (3 << 20) + b"\n\n", START, ERROR],
    "/nonjson": [START, b"event: error\ndata: upstream connect error or disconnect/reset\n\n"],
    "/multiline": [
        b'event: error\ndata: {"type": "error",\ndata: "error": {"type": "rate_limit_error", "message": "slow"}}\n\n'
    ],
    # OpenAI's Responses API: its error event's data is flat (events.data_at: error).
    "/openai": [
        b'event: response.created\ndata: {"type": "response.created", "sequence_number": 0}\n\n',
        b"event: error\ndata: " + OPENAI_LIMITED + b"\n\n",
    ],
    "/openai-nonjson": [b"event: error\ndata: upstream reset\n\n"],
    "/openai-unknown": [
        b'event: error\ndata: {"type": "error", "code": "ERR_SOMETHING", "message": "Something went wrong", "param": null, "sequence_number": 1}\n\n'
    ],
    # OpenAI Chat Completions: unnamed events, an error among them by its data (events.when: error).
    "/chat-error": [
        b'data: {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": '
        b'{"content": "An error"}, "finish_reason": null}], "error": null}\n\n',
        b"data: " + CHAT_SERVER_ERROR + b"\n\n",
        b"data: [DONE]\n\n",
    ],
    "/chat-ok": [
        b'data: {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": '
        b'{"content": "\\"error\\": no error here"}}]}\n\n',
        b'data: {"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [], "error": {}}\n\n',
        b"data: [DONE]\n\n",
    ],
    "/chat-named": [b"event: error\ndata: " + CHAT_LIMITED + b"\n\n"],
}
REQUEST_ID = "req_018EeWyXxfu5pfWkrYcMdjWG"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes

    def do_GET(self) -> None:  # noqa: N802
        chunks = STREAMS.get(self.path)
        if chunks is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("request-id", REQUEST_ID)  # Anthropic's header
        self.send_header("x-request-id", REQUEST_ID)  # OpenAI's
        self.send_header("x-api-key", "sk-secret")  # redacted on the error
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(chunk)
            self.wfile.flush()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _generated(tmp_path_factory: pytest.TempPathFactory, case: str) -> Any:
    out = tmp_path_factory.mktemp(case)
    output = generate_package(CASES / f"{case}.yaml")
    write_package(out, output)
    sys.path.insert(0, str(out / output.package))
    try:
        return importlib.import_module(output.package)
    finally:
        sys.path.remove(str(out / output.package))


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _generated(tmp_path_factory, "anthropic_stream")


@pytest.fixture(scope="module")
def openai(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _generated(tmp_path_factory, "openai_stream")


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _generated(tmp_path_factory, "openai_chat_stream")


def _sync(api: Any, url: str) -> tuple[list[str], Any]:
    seen: list[str] = []
    with httpx.Client() as client, client.stream("GET", url) as response:
        try:
            for event in api.iter_httpx_events(response):
                seen.append(event.event)
        except Exception as exc:  # noqa: BLE001 - the tests check it is the typed error
            return seen, exc
    return seen, None


async def _async(api: Any, url: str) -> tuple[list[str], Any]:
    seen: list[str] = []
    async with httpx.AsyncClient() as client, client.stream("GET", url) as response:
        try:
            async for event in api.aiter_httpx_events(response):
                seen.append(event.event)
        except Exception as exc:  # noqa: BLE001 - the tests check it is the typed error
            return seen, exc
    return seen, None


async def _aiohttp(api: Any, url: str) -> tuple[list[str], Any]:
    import aiohttp

    seen: list[str] = []
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        try:
            async for event in api.aiter_aiohttp_events(response):
                seen.append(event.event)
        except Exception as exc:  # noqa: BLE001 - the tests check it is the typed error
            return seen, exc
    return seen, None


def _read(api: Any, client: str, url: str) -> tuple[list[str], Any]:
    """The events before the error, and the error raised (None at the end of the stream)."""
    if client == "httpx":
        return _sync(api, url)
    return asyncio.run((_async if client == "httpx-async" else _aiohttp)(api, url))


CLIENTS = ["httpx", "httpx-async", "aiohttp"]


@pytest.mark.parametrize("client", CLIENTS)
def test_error_event_raises_the_typed_error(api: Any, server: str, client: str) -> None:
    seen, err = _read(api, client, server + "/error")
    assert seen == ["message_start", "ping", "content_block_delta"]  # the events before it, then the error
    assert type(err) is api.OverloadedError and err.code == "overloaded_error" and err.message == "Overloaded"
    assert err.retryable is True and err.body == OVERLOADED.decode()


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("path", ["/crlf", "/split"])
def test_line_endings_and_chunking(api: Any, server: str, client: str, path: str) -> None:
    seen, err = _read(api, client, server + path)
    assert seen == ["message_start"] and type(err) is api.OverloadedError


@pytest.mark.parametrize("client", CLIENTS)
def test_a_stream_without_errors_ends_quietly(api: Any, server: str, client: str) -> None:
    seen, err = _read(api, client, server + "/ok")
    assert err is None and seen == ["message_start", "content_block_delta", "message_stop"]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize(
    ("path", "before", "error"),
    [
        ("/truncated", ["message_start"], None),  # an event cut off by the end is dropped
        ("/garbage", ["message", "message_start"], None),
        ("/huge", ["message_start"], "OverloadedError"),  # a 3 MiB line is dropped, not kept
        ("/nonjson", ["message_start"], "UnknownError"),  # an error event all the same (status None)
        ("/multiline", [], "AnthropicRateLimitError"),
    ],
)
def test_malformed_streams_raise_only_the_typed_error(
    api: Any, server: str, client: str, path: str, before: list[str], error: str | None
) -> None:
    seen, err = _read(api, client, server + path)
    assert seen == before
    assert (type(err).__name__ if err is not None else None) == error


def test_error_from_event(api: Any) -> None:
    err = api.error_from_event("error", OVERLOADED)
    assert type(err) is api.OverloadedError and err.status == 529  # the status the catalogue gives it
    assert api.error_from_event("content_block_delta", OVERLOADED) is None
    assert api.error_from_event(None, OVERLOADED) is None  # an unnamed event is "message"
    assert isinstance(api.error_from_event("error", "not json"), api.AnthropicError)
    assert isinstance(api.error_from_event("error", None), api.AnthropicError)
    limited = api.error_from_event("error", '{"type": "error", "error": {"type": "rate_limit_error"}}')
    assert type(limited) is api.AnthropicRateLimitError and limited.message == "Your account has hit a rate limit."


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300), cuts=st.lists(st.integers(0, 300), max_size=6))
def test_parser_never_raises_and_chunking_does_not_matter(api: Any, data: bytes, cuts: list[int]) -> None:
    whole = api.EventParser().feed(data)
    parser = api.EventParser()
    pieces: list[Any] = []
    start = 0
    for cut in sorted(cuts):
        pieces += parser.feed(data[start:cut])
        start = max(start, cut)
    pieces += parser.feed(data[start:])
    if b"\r" not in data:  # a CR at a chunk's end may be split from its LF: same lines, asserted below
        assert pieces == whole
    for event in pieces:
        assert isinstance(event.event, str) and isinstance(event.data, str)


@settings(max_examples=200, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["message_start", "ping", "content_block_delta", "error"]),
            st.lists(
                st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=20),
                min_size=1,
                max_size=3,
            ),
        ),
        max_size=5,
    ),
    size=st.integers(1, 17),
)
def test_parser_reads_back_what_was_written(api: Any, events: list[tuple[str, list[str]]], size: int) -> None:
    stream = "".join(f"event: {name}\n" + "".join(f"data: {line}\n" for line in lines) + "\n" for name, lines in events)
    raw = stream.encode()
    parser = api.EventParser()
    got = []
    for start in range(0, len(raw), size):  # cut anywhere, also inside a UTF-8 sequence
        got += parser.feed(raw[start : start + size])
    assert [(e.event, e.data) for e in got] == [(name, "\n".join(lines)) for name, lines in events]
    with pytest.raises(api.AnthropicError) if any(name == "error" for name, _ in events) else _nothing():
        list(api.iter_events([raw]))


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: Any) -> None:
        return None


# --- what the streaming response said, and events.data_at ---------------------------


@pytest.mark.parametrize("client", CLIENTS)
def test_the_error_carries_the_streams_status_and_headers(api: Any, server: str, client: str) -> None:
    """Nothing the 200 said is lost: its status (not the class's documented 529), its
    headers (the request id, secrets redacted), the request's method and URL."""
    _, err = _read(api, client, server + "/error")
    assert type(err) is api.OverloadedError
    assert err.status == 200 and api.OverloadedError.STATUS == 529
    assert err.request_id == REQUEST_ID and err.headers["request-id"] == REQUEST_ID
    assert err.headers["content-type"] == "text/event-stream" and err.headers["x-api-key"] == "[redacted]"
    assert err.request_method == "GET" and err.request_url == server + "/error"
    assert err.retryable is True  # the class's, as for any error that says nothing else


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize(
    ("path", "name", "code"),
    [
        ("/openai", "RateLimitExceededError", "rate_limit_exceeded"),
        ("/openai-unknown", "UnknownError", "ERR_SOMETHING"),  # a code the catalogue lacks, no status: unknown
        ("/openai-nonjson", "UnknownError", None),
    ],
)
def test_openai_flat_error_events(openai: Any, server: str, client: str, path: str, name: str, code: Any) -> None:
    """OpenAI's Responses API sends the error object's fields flat in the event data,
    where its HTTP bodies nest them under "error": events.data_at reads them."""
    seen, err = _read(openai, client, server + path)
    assert seen == (["response.created"] if path == "/openai" else [])
    assert type(err).__name__ == name and err.code == code
    assert err.status == 200 and err.request_id == REQUEST_ID
    if path == "/openai":
        assert err.message.startswith("Rate limit reached for gpt-4o") and err.retryable is True
        assert err.raw_detail == json.loads(OPENAI_LIMITED)  # detail: error, the whole flat object
        assert err.body == OPENAI_LIMITED.decode()  # the data as sent, not the body it stands for
        assert openai.RateLimitExceededError.STATUS == 429


def test_data_at_reads_what_a_body_holds_there(openai: Any, api: Any) -> None:
    flat = '{"type": "error", "code": "model_not_found", "message": "no such model", "param": "model"}'
    err = openai.error_from_event("error", flat, status=200, headers={"x-request-id": "req_1"})
    assert type(err) is openai.ModelNotFoundError and err.message == "no such model"
    assert (err.status, err.request_id, err.body) == (200, "req_1", flat)
    # The HTTP body shape is no event shape for OpenAI: its code sits one level down.
    nested = openai.error_from_event("error", '{"error": {"code": "model_not_found", "message": "m"}}')
    assert type(nested) is not openai.ModelNotFoundError and nested.code is None
    # Without a status, the class's documented one (as before); bytes and odd data read too.
    assert openai.error_from_event("error", flat.encode()).status == 404
    for data in ("[1, 2]", "null", '"text"', "{", "", '1, "x": 2'):
        odd = openai.error_from_event("error", data, status=200)
        assert isinstance(odd, openai.OpenaiError) and odd.body == data and odd.status == 200
    assert openai.error_from_event("response.created", flat) is None
    # Anthropic's data is a whole body: no data_at.
    assert sys.modules[f"{api.__name__}._events"].DATA_AT == ()
    assert sys.modules[f"{openai.__name__}._events"].DATA_AT == ("error",)
    err = api.error_from_event("error", OVERLOADED, status=200, headers=[("Request-Id", "req_2")])
    assert (type(err), err.status, err.request_id) == (api.OverloadedError, 200, "req_2")
    assert api.error_from_event("error", OVERLOADED, status="200").status == 529  # not an int: not a status


def test_iter_events_takes_the_response_it_reads(api: Any) -> None:
    with pytest.raises(api.OverloadedError) as info:
        list(
            api.iter_events(
                [START, ERROR],
                status=200,
                headers={"request-id": "req_3"},
                method="post",
                url="https://api.anthropic.com/v1/messages?beta=true",
            )
        )
    err = info.value
    assert (err.status, err.request_id, err.request_method) == (200, "req_3", "POST")
    assert err.request_url.startswith("https://api.anthropic.com/v1/messages")


def test_a_response_without_the_attributes_still_streams(api: Any) -> None:
    """A stand-in with iter_bytes only (or one whose request raises, as httpx's does
    without a request): the error keeps the class's status."""

    class Bare:
        def iter_bytes(self) -> Iterator[bytes]:
            yield ERROR

    class Odd(Bare):
        status_code = 200

        @property
        def request(self) -> Any:
            raise RuntimeError("The request instance has not been set on this response.")

    with pytest.raises(api.OverloadedError) as bare:
        list(api.iter_httpx_events(Bare()))
    assert bare.value.status == 529
    with pytest.raises(api.OverloadedError) as odd:
        list(api.iter_httpx_events(Odd()))
    assert odd.value.status == 200 and odd.value.request_method is None


def test_changing_data_at_is_breaking(tmp_path: Path) -> None:
    """Where the event data is read changes what every error event means."""
    from errorsdk.output import spec_diff
    from errorsdk.spec.validation import load_spec

    new = CASES / "openai_stream.yaml"
    old = tmp_path / "old.yaml"
    old.write_text(new.read_text().replace("  data_at: error\n", ""))
    changes = spec_diff.diff(load_spec(old), load_spec(new))
    assert [(c.kind, c.text) for c in changes] == [("breaking", "events.data_at changed")]


def test_adding_when_is_breaking(tmp_path: Path) -> None:
    """events.when makes events that passed raise: a breaking change for errorsdk diff."""
    from errorsdk.output import spec_diff
    from errorsdk.spec.validation import load_spec

    new = CASES / "openai_chat_stream.yaml"
    old = tmp_path / "old.yaml"
    old.write_text(new.read_text().replace("  when: error\n", ""))
    changes = spec_diff.diff(load_spec(old), load_spec(new))
    assert [(c.kind, c.text) for c in changes] == [("breaking", "events.when changed")]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize(
    ("path", "seen_before", "name", "code"),
    [
        ("/chat-error", ["message"], "ServerError", "server_error"),
        ("/chat-named", [], "RateLimitExceededError", "rate_limit_exceeded"),  # event: error, as before
        ("/chat-ok", ["message", "message", "message"], None, None),
    ],
)
def test_openai_chat_errors_by_their_data(
    chat: Any, server: str, client: str, path: str, seen_before: list[str], name: str | None, code: str | None
) -> None:
    """OpenAI Chat Completions sends its error as an unnamed event whose data is an HTTP
    error body; events.when: error makes any event whose data holds a non-empty "error"
    one, as openai-python does. A chunk with "error": null, or {} , or the word in its
    text, is none."""
    seen, err = _read(chat, client, server + path)
    assert seen == seen_before
    if name is None:
        assert err is None
        return
    assert type(err).__name__ == name and err.code == code
    assert err.status == 200 and err.request_id == REQUEST_ID
    if path == "/chat-error":
        assert err.message.startswith("The server had an error") and err.retryable is True
        assert err.body == CHAT_SERVER_ERROR.decode() and chat.ServerError.STATUS == 500


def test_when_tests_the_data_of_any_event(chat: Any, api: Any, openai: Any) -> None:
    events = sys.modules[f"{chat.__name__}._events"]
    assert events.WHEN == ("error",) and sys.modules[f"{api.__name__}._events"].WHEN == ()
    assert sys.modules[f"{openai.__name__}._events"].WHEN == ()
    body = CHAT_SERVER_ERROR.decode()
    for name in (None, "message", "completion.chunk"):
        err = chat.error_from_event(name, body, status=200)
        assert type(err) is chat.ServerError and err.status == 200, name
        assert events.is_error_event(name, body) and events.is_error_event(name, CHAT_SERVER_ERROR)
    escaped = body.replace('"error"', '"\\u0065rror"', 1)  # the same key, escaped in JSON
    assert type(chat.error_from_event(None, escaped)) is chat.ServerError
    limited = chat.error_from_event(None, CHAT_LIMITED)
    assert type(limited) is chat.RateLimitExceededError and limited.status == 429  # none given: the class's
    # a message for the error: the data is read as a body, whatever the value's shape
    text = chat.error_from_event(None, '{"error": "upstream timed out"}')
    assert isinstance(text, chat.OpenaiChatError) and text.body == '{"error": "upstream timed out"}'
    for data in (
        '{"error": null}',
        '{"error": {}}',
        '{"error": false}',
        '{"error": 0}',
        '{"error": ""}',
        '{"error": []}',
        '{"choices": [{"delta": {"content": "error"}}]}',
        '{"x": {"error": {"code": "server_error"}}}',
        "[DONE]",
        "",
        "{",
        '["error"]',
        '"error"',
        None,
        b'{"error": null}',
    ):
        assert chat.error_from_event(None, data) is None, data
        assert not events.is_error_event("message", data), data
    # an event named in events.names is an error whatever its data holds
    assert isinstance(chat.error_from_event("error", '{"error": null}'), chat.OpenaiChatError)
    # without events.when, an unnamed event is never an error
    assert api.error_from_event(None, OVERLOADED) is None and openai.error_from_event(None, body) is None


def test_docs_page_says_which_data_makes_an_error() -> None:
    from errorsdk.model.build import build_model
    from errorsdk.rendering.docs import render_docs
    from errorsdk.spec.validation import load_spec

    pages = render_docs(build_model(load_spec(CASES / "openai_chat_stream.yaml")))
    assert (
        "So is the data of an event of any name (or none) that holds a value at `error`."
        in pages["openai_chat_stream.md"]
    )
    assert "holds a value at <code>error</code>." in pages["openai_chat_stream.html"]
    other = render_docs(build_model(load_spec(CASES / "openai_stream.yaml")))["openai_stream.md"]
    assert "So is the data of an event" not in other
