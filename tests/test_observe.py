"""Where a developer sees an error (the runtime's _observe): tracebacks, logs, traces,
error trackers and ``match`` statements, for every entry of every bundled spec."""

from __future__ import annotations

import copy
import json
import logging
import pickle
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ALL_SPECS, SPECS, spec_id

SPEC = """
errorsdk: 1
api: {name: seen, version: 1.0.0, title: Seen API, docs_url: "https://seen.example/docs"}
envelope: {code: error.code, message: error.message, request_id: "header:X-Request-Id"}
errors:
  - code: access_denied
    status: 403
    message: Access denied
    fixes: [Use a key that may read the folder., Ask an admin for access.]
    docs_url: https://seen.example/docs/errors#access_denied
  - code: busy
    status: 503
    message: Try again later
    retryable: true
  - {code: plain, status: 400, message: Plain}
"""

DENIED = b'{"error": {"code": "access_denied", "message": "Access denied to folder 7c9h4pwu"}}'


@pytest.fixture
def seen(inline_api: Any) -> Any:
    return inline_api(SPEC)


def entries(api: Any) -> Iterator[type[Any]]:
    """Every catalogue entry's class of a package."""
    for cls in api.ERROR_CLASSES:
        if cls.CODE is not None or cls.STATUS is not None:
            yield cls


def dispatched(api: Any, cls: type[Any], **fields: Any) -> Any:
    """An error of class ``cls`` as a response carries it: rendered, then dispatched."""
    status, headers, body = cls(f"{cls.__name__} happened", **fields).to_response()
    error = api.from_response(status, body, headers, method="GET", url="https://api.example/v1/x")
    assert error is not None
    return error


def printed(error: BaseException) -> str:
    """The traceback Python prints for ``error``, raised and caught."""
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001
        return "".join(traceback.format_exception(caught))


def test_a_dispatched_errors_traceback_shows_its_hint_and_docs_link(seen: Any) -> None:
    error = seen.from_response(403, DENIED, {"X-Request-Id": "req-8f2c"})
    assert "__notes__" not in vars(error)  # nothing made while dispatching
    text = printed(error)
    lines = text.splitlines()
    head = lines.index(
        "seen_errors.errors.AccessDeniedError: 403 access_denied: Access denied to folder 7c9h4pwu (request id req-8f2c)"
    )
    assert lines[head + 1 :] == [
        "hint: Use a key that may read the folder.",
        "      Ask an admin for access.",
        "docs: https://seen.example/docs/errors#access_denied",
    ]
    busy = printed(seen.from_response(503, b'{"error": {"code": "busy"}}', {"Retry-After": "3"}))
    assert busy.splitlines()[-2:] == ["docs: https://seen.example/docs", "retryable, after 3 s"]


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_entry_prints_its_hint_and_docs_once_whatever_is_done_with_it(spec: Path, import_api: Any) -> None:
    """For every entry of every spec: the notes are the entry's hint and docs link (each
    when it has one), made lazily; re-raising, add_note, pickle and copy keep them once,
    with the user's notes after them."""
    _, api = import_api(spec)
    for cls in entries(api):
        error = dispatched(api, cls, request_id="req-1")
        assert "__notes__" not in vars(error)
        ours = error.notes()
        expected = ["hint: " + "\n      ".join(error.hint.splitlines())] if error.hint else []
        expected += [f"docs: {error.docs_url}"] if error.docs_url else []
        assert ours[: len(expected)] == expected
        for _ in range(3):  # re-raised: the notes are printed once
            try:
                try:
                    raise error
                except Exception:
                    raise
            except Exception as caught:
                assert caught is error and caught.__notes__ == ours
        error.add_note("mine")
        assert error.__notes__ == ours + ["mine"]
        for copied in (
            *(pickle.loads(pickle.dumps(error, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)),
            copy.copy(error),
            copy.deepcopy(error),
        ):
            assert copied.__notes__ == ours + ["mine"]
            assert printed(copied).count("mine") == 1
        text = printed(error)
        for note in ours:
            assert text.count(note) == 1
        assert text.index(ours[0] if ours else "mine") <= text.index("mine")


def test_users_own_notes_stay_theirs(seen: Any) -> None:
    error = seen.from_response(403, DENIED)
    error.__notes__ = ["replaced"]  # set outright: the user's list wins
    assert printed(error).splitlines()[-1] == "replaced"
    fresh = seen.from_response(403, DENIED)
    fresh.add_note("first")  # before anything read the notes
    assert fresh.__notes__[-1] == "first" and fresh.__notes__[0].startswith("hint: ")
    del fresh.__notes__  # deleted: made again
    assert fresh.__notes__ == fresh.notes()


SECRET = "S3cr3tV4lue"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.sampled_from(["Authorization", "Cookie", "X-Api-Key", "Proxy-Authorization", "X-Auth-Token"]),
    where=st.sampled_from(["header", "userinfo", "query"]),
    suffix=st.text(alphabet="abcdefghijklmnop0123456789", max_size=8),
)
def test_no_secret_reaches_the_fields_the_attributes_or_the_notes(
    inline_api: Any, header: str, where: str, suffix: str
) -> None:
    api = _cached(inline_api)
    secret = SECRET + suffix
    headers = {header: secret} if where == "header" else {}
    url = {
        "header": "https://api.example/v1/x",
        "userinfo": f"https://user:{secret}@api.example/v1/x",
        "query": f"https://api.example/v1/x?token={secret}",
    }[where]
    error = api.from_response(403, DENIED, headers, method="get", url=url)
    seen_by_tools = [repr(error.log_fields()), repr(error.span_attributes()), printed(error), error.grouping_key]
    assert not any(secret in text for text in seen_by_tools)


_PACKAGES: dict[str, Any] = {}


def _cached(inline_api: Any) -> Any:
    """One package for the property test's examples (inline_api is per test)."""
    if "seen" not in _PACKAGES or "seen_errors" not in sys.modules:
        _PACKAGES["seen"] = inline_api(SPEC)
    return _PACKAGES["seen"]


def test_log_fields_are_what_a_structured_logger_wants(seen: Any, caplog: pytest.LogCaptureFixture) -> None:
    error = seen.from_response(503, b'{"error": {"code": "busy"}}', {"Retry-After": "3", "X-Request-Id": "r-9"})
    fields = error.log_fields()
    assert fields == {
        "error.type": "seen_errors.errors.BusyError",
        "error.code": "busy",
        "error.category": type(error).CATEGORY,
        "error.retryable": True,
        "error.retry_after": 3.0,
        "http.response.status_code": 503,
        "http.request.id": "r-9",
        "http.request.method": None,
        "url.full": None,
    }
    # The same keys for every error, and usable as logging's extra= as they are.
    assert seen.SeenError().log_fields().keys() == fields.keys()
    with caplog.at_level(logging.WARNING):
        logging.getLogger("seen").warning("call failed", extra=fields)
    record = caplog.records[-1]
    assert getattr(record, "error.code") == "busy" and getattr(record, "http.request.id") == "r-9"
    long = seen.from_response(403, DENIED, {"X-Request-Id": "r" * 5000}).log_fields()["http.request.id"]
    assert long.startswith("r" * 200) and long.endswith("(4,800 more)")  # clipped, as str() is


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_match_statements_read_code_status_and_message(spec: Path, import_api: Any) -> None:
    _, api = import_api(spec)
    for cls in entries(api):
        error = dispatched(api, cls)
        if not isinstance(error, cls):
            continue  # an entry another entry's response shadows: spec/round_trip reports it
        match error:
            case cls(code=c, status=s):
                assert (c, s) == (error.code, error.status)
            case _:
                raise AssertionError(f"{cls.__name__} did not match its own class")
        match error:
            case cls(c, s, m):
                assert (c, s, m) == (error.code, error.status, error.message)
            case _:
                raise AssertionError(f"{cls.__name__}: positional patterns do not match")


def test_the_grouping_key_is_the_entry_never_the_message(seen: Any) -> None:
    one = seen.from_response(403, DENIED)
    other = seen.from_response(403, DENIED.replace(b"7c9h4pwu", b"0a1b2c"))
    assert one.message != other.message and one.grouping_key == other.grouping_key
    keys = {cls.__name__: dispatched(seen, cls).grouping_key for cls in entries(seen)}
    assert len(set(keys.values())) == len(keys)  # one key per entry


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_grouping_keys_ignore_every_field_of_the_response(spec: Path, import_api: Any, data: st.DataObject) -> None:
    _, api = import_api(spec)
    classes = list(entries(api))
    cls = data.draw(st.sampled_from(classes))
    text = st.text(max_size=40)
    a = cls(data.draw(text), request_id=data.draw(text), detail=data.draw(text))
    b = cls(data.draw(text), request_id=data.draw(text))
    assert a.grouping_key == b.grouping_key == f"{cls.__module__}.{cls.__qualname__}"


# --- OpenTelemetry --------------------------------------------------------------------


def test_record_on_span_with_the_sdks_in_memory_exporter(seen: Any) -> None:
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import StatusCode

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    error = seen.from_response(403, DENIED, {"X-Request-Id": "r-1"}, method="get", url="https://a.example/f?k=v")
    with tracer.start_as_current_span("GET /f"):
        assert error.record_on_span() is True
    assert error.record_on_span() is False  # no current span: the invalid span does not record
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes) == error.span_attributes()
    assert span.attributes["error.type"] == "seen_errors.errors.AccessDeniedError"
    assert span.attributes["http.response.status_code"] == 403
    assert span.attributes["url.full"] == "https://a.example/f?k=[redacted]"
    assert span.status.status_code is StatusCode.ERROR
    (event,) = span.events
    assert event.name == "exception" and event.attributes["exception.type"].endswith("AccessDeniedError")
    assert "docs: https://seen.example/docs/errors#access_denied" in event.attributes["exception.stacktrace"]


def test_record_on_span_is_a_no_op_without_opentelemetry(seen: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    observe = sys.modules["seen_errors._observe"]
    observe._trace.cache_clear()
    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)  # import fails: not installed
    try:
        assert seen.from_response(403, DENIED).record_on_span() is False
    finally:
        observe._trace.cache_clear()


# --- Sentry --------------------------------------------------------------------------


def test_sentry_groups_by_the_entry(seen: Any) -> None:
    sentry_sdk = pytest.importorskip("sentry_sdk")
    events: list[dict[str, Any]] = []

    class Capture(sentry_sdk.Transport):  # type: ignore[misc]
        def capture_envelope(self, envelope: Any) -> None:
            event = envelope.get_event()
            if event is not None:
                events.append(event)

    sentry_sdk.init(dsn="https://key@127.0.0.1/1", transport=Capture, default_integrations=False)
    try:
        scope = sentry_sdk.get_isolation_scope()
        scope.add_event_processor(seen.SeenError.sentry_fingerprint)
        for body in (DENIED, DENIED.replace(b"7c9h4pwu", b"0a1b2c")):
            sentry_sdk.capture_exception(seen.from_response(403, body))
        sentry_sdk.capture_exception(seen.from_response(400, b'{"error": {"code": "plain"}}'))
        sentry_sdk.capture_exception(ValueError("not ours"))
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: off again
    first, second, plain, foreign = events
    assert first["fingerprint"] == second["fingerprint"] == ["seen_errors.errors.AccessDeniedError"]
    assert plain["fingerprint"] == ["seen_errors.errors.PlainError"]
    assert "fingerprint" not in foreign
    assert first["tags"]["error.code"] == "access_denied" and first["tags"]["http.response.status_code"] == "403"


def test_a_groups_traceback_shows_each_errors_notes_once(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: gqlseen, version: 1.0.0, title: GraphQL}
        envelope: {items: errors, code: extensions.code, message: message, data: data, errors_on_success: true}
        errors:
          - {code: BAD_USER_INPUT, category: validation, message: Bad input, fixes: [Check the variables.]}
          - {code: FORBIDDEN, category: permission, message: Forbidden, fixes: [Ask for the scope.]}
        """
    )
    items = [
        {"message": "x", "extensions": {"code": "BAD_USER_INPUT"}},
        {"message": "y", "extensions": {"code": "FORBIDDEN"}},
    ]
    group = api.from_response(200, json.dumps({"data": None, "errors": items}))
    assert isinstance(group, ExceptionGroup)
    assert group.__notes__ == []  # the group's own notes: none (its errors have them)
    text = printed(group)
    assert text.count("hint: Check the variables.") == 1 and text.count("hint: Ask for the scope.") == 1
    group.add_note("batch 7")
    match, rest = group.split(api.ValidationError)
    assert match is not None and match.__notes__ == ["batch 7"]
    assert printed(match).count("hint: Check the variables.") == 1
