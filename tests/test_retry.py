"""Retry advice of the generated packages: retry_after, rate limits, x-should-retry, the cap,
and the should_retry / wait_for helpers (no network here; see test_clients.py for that)."""

from __future__ import annotations

import json
import pickle
import sys
import time
from email.utils import formatdate
from types import ModuleType

import pytest
import tenacity
from hypothesis import given
from hypothesis import strategies as st

from .conftest import GENERATED, ROOT, import_package

GOLDEN = ROOT / "tests" / "golden"  # the output of tests/cases/, checked by test_golden.py


@pytest.fixture(scope="module")
def flux() -> ModuleType:
    return import_package(GENERATED, "flux_errors")


@pytest.fixture(scope="module")
def quota() -> ModuleType:
    """tests/cases/rate_limits.yaml: rate-limit headers, retry-after cap 30 s."""
    return import_package(GOLDEN, "quota_errors")


def _body(code: str) -> bytes:
    return json.dumps({"code": code, "message": "m"}).encode()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": " 1.5 "}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),  # ms first, as Stainless SDKs do
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a past date: now
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({"retry-after-ms": "bad", "Retry-After": "4"}, 4.0),
        ({}, None),
    ],
)
def test_retry_after_forms(flux: ModuleType, headers: dict[str, str], expected: float | None) -> None:
    err = flux.from_response(503, b"", headers)
    assert err.retry_after == expected


def test_retry_after_http_date_in_the_future(flux: ModuleType) -> None:
    err = flux.from_response(503, b"", {"Retry-After": formatdate(time.time() + 120, usegmt=True)})
    assert 100.0 < err.retry_after <= 120.0


@pytest.mark.parametrize(
    ("status", "flag", "retryable"),
    [(400, "true", True), (500, "false", False), (500, "FALSE", False), (400, "maybe", False), (500, "", True)],
)
def test_x_should_retry_overrides_the_default(flux: ModuleType, status: int, flag: str, retryable: bool) -> None:
    err = flux.from_response(status, b"", {"x-should-retry": flag})
    assert err.retryable is retryable and flux.should_retry(err) is retryable


def test_retry_after_beyond_the_cap_means_do_not_retry(flux: ModuleType, quota: ModuleType) -> None:
    assert flux.MAX_RETRY_AFTER == 60.0 and quota.MAX_RETRY_AFTER == 30.0  # default, and the spec's
    err = flux.from_response(429, b"", {"Retry-After": "61"})
    assert err.retryable and not flux.should_retry(err)
    assert flux.should_retry(err, max_retry_after=120)
    assert flux.should_retry(flux.from_response(429, b"", {"Retry-After": "60"}))
    err = quota.from_response(429, _body("rate_limited"), {"Retry-After": "31"})
    assert not quota.should_retry(err) and quota.wait_for(err, attempt=1) <= 0.5  # backoff, not 31 s


def test_rate_limit_headers_named_by_the_spec(quota: ModuleType) -> None:
    reset = int(time.time()) + 20
    headers = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    err = quota.from_response(403, _body("secondary_rate_limit"), headers)
    assert type(err).__name__ == "SecondaryRateLimitError" and err.retryable
    assert (err.rate_limit.limit, err.rate_limit.remaining) == (60, 0)
    assert 15.0 < err.rate_limit.reset <= 20.0 and err.retry_after == err.rate_limit.reset
    assert quota.should_retry(err)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.rate_limit, copy.retry_after, type(copy)) == (err.rate_limit, err.retry_after, type(err))
    # Requests left: the window is reported, but it asks for no wait.
    err = quota.from_response(429, _body("rate_limited"), {**headers, "X-RateLimit-Remaining": "5"})
    assert err.rate_limit.remaining == 5 and err.retry_after is None
    # An explicit delay wins over the window; a delay header named by the spec.
    err = quota.from_response(429, _body("rate_limited"), {**headers, "Retry-After": "3"})
    assert err.retry_after == 3.0
    err = quota.from_response(503, _body("overloaded"), {"x-ratelimit-reset-after": "2m"})
    assert err.retry_after == 120.0 and not quota.should_retry(err)  # beyond the cap of 30 s
    # The default delay headers are replaced by the spec's list.
    assert quota.from_response(503, b"", {"retry-after-ms": "100"}).retry_after is None


def test_a_package_without_rate_limit_headers_ignores_them(flux: ModuleType) -> None:
    err = flux.from_response(429, b"", {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "5"})
    assert err.rate_limit is None and err.retry_after is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1s", 1.0), ("6m0s", 360.0), ("250ms", 0.25), ("1h", 3600.0), ("1.5s", 1.5), ("5", 5.0), ("1x", None)],
)
def test_reset_durations(quota: ModuleType, value: str, expected: float | None) -> None:
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": value}
    err = quota.from_response(429, _body("rate_limited"), headers)
    assert err.retry_after == expected


@given(st.text(max_size=40), st.sampled_from(["retry-after", "retry-after-ms", "x-ratelimit-reset", "x-should-retry"]))
def test_any_header_value_is_safe(quota: ModuleType, value: str, name: str) -> None:
    err = quota.from_response(429, b"", {name: value, "x-ratelimit-remaining": "0"})
    assert err is not None
    assert err.retry_after is None or err.retry_after >= 0.0
    assert isinstance(quota.should_retry(err), bool) and quota.wait_for(err) >= 0.0


def test_wait_for_backs_off_without_advice(flux: ModuleType) -> None:
    err = flux.from_response(500, b"")
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (50, 8.0), (10**6, 8.0)]:
        delay = flux.wait_for(err, attempt=attempt)
        assert 0.75 * ceiling <= delay <= ceiling
    assert not flux.should_retry(ValueError("not an API error"))
    assert not flux.should_retry(None)


def test_should_retry_and_wait_for_read_a_tenacity_state(flux: ModuleType) -> None:
    err = flux.from_response(503, b"", {"Retry-After": "4"})
    state = tenacity.RetryCallState(tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = 2
    state.set_exception((type(err), err, None))
    assert flux.should_retry(state) and flux.wait_for(state) == 4.0
    ok = tenacity.RetryCallState(tenacity.Retrying(), fn=None, args=(), kwargs={})
    ok.set_result("fine")
    assert not flux.should_retry(ok)


def test_request_is_attached_without_secrets(flux: ModuleType) -> None:
    err = flux.from_response(
        404, b"", method="delete", url="https://user:pw@api.example.com/v1/items/7?token=abc&x#frag"
    )
    assert err.request_method == "DELETE"
    assert err.request_url == "https://api.example.com/v1/items/7?token=[redacted]&[redacted]"  # a bare "x" is a value
    direct = flux.FluxError("m", request_method="get", request_url="http://h/p?k=v")
    assert (direct.request_method, direct.request_url) == ("GET", "http://h/p?k=[redacted]")
    assert flux.from_response(404, b"").request_url is None
    assert flux.from_response(404, b"", url="https://api.example.com/v1/items/7").request_url == (
        "https://api.example.com/v1/items/7"
    )


@given(
    st.from_regex(r"[A-Za-z_]{1,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9%.~-]{12,20}", fullmatch=True),
    st.sampled_from(["https://h/p?{k}={v}", "http://u:{v}@h/p", "https://h/p?a=1&{k}={v}#x", "/rel?{k}={v}&{k}"]),
)
def test_redacted_urls_keep_no_secret(flux: ModuleType, key: str, secret: str, shape: str) -> None:
    url = shape.format(k=key, v=secret)
    redacted = flux.from_response(500, b"", url=url).request_url
    assert redacted is not None and secret not in redacted


# --- retry.after_paths: the delay in the body (Google's RetryInfo.retryDelay) -------------------

_ERROR_INFO = {
    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
    "reason": "RATE_LIMIT_EXCEEDED",
    "domain": "googleapis.com",
    "metadata": {"quota_limit": "RequestsPerMinutePerProject", "service": "translate.googleapis.com"},
}
_MISSING = object()


@pytest.fixture(scope="module")
def aip() -> ModuleType:
    """tests/cases/google_aip193.yaml: retry.after_paths reads RetryInfo.retryDelay."""
    return import_package(GOLDEN, "aip193_errors")


def _aip_body(delay: object = _MISSING, *, first: bool = False) -> bytes:
    """An AIP-193 429 as Google's APIs send it: RetryInfo beside ErrorInfo in details."""
    details: list[object] = [
        {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "Quota."},
        _ERROR_INFO,
    ]
    if delay is not _MISSING:
        retry = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}
        details.insert(0 if first else len(details), retry)
    body = {"error": {"code": 429, "message": "Quota exceeded.", "status": "RESOURCE_EXHAUSTED", "details": details}}
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("delay", "expected"),
    [
        ("30s", 30.0),
        ("1.5s", 1.5),
        ("0.000001s", 0.000001),
        ("3.000000001s", 3.000000001),  # nanoseconds, a Duration's resolution
        (12, 12.0),  # a JSON number: seconds
        (0.25, 0.25),
        ({"seconds": "2", "nanos": 500000000}, 2.5),  # a Duration as an object (int64 as text)
        (_MISSING, None),  # no RetryInfo: no delay
        ("abc", None),
        ("", None),
        ("-1s", None),  # negative
        (-3, None),
        ("1.5", 1.5),  # text of a number
        ("30 s", None),
        (True, None),
        (None, None),
        ([30], None),
        ({"seconds": -1}, None),
        ({"seconds": 1, "nanos": 1_000_000_000}, None),
        ({}, None),
        ("9" * 500, None),  # longer than any float's digits
        (10**400, None),  # beyond the float range (the parser's float is inf)
    ],
)
def test_retry_info_delay_in_the_body(aip: ModuleType, delay: object, expected: float | None) -> None:
    err = aip.from_response(429, _aip_body(delay))
    assert type(err).__name__ == "RateLimitExceededError"  # the reason still decides the class
    assert err.retry_after == expected


def test_retry_info_anywhere_in_details(aip: ModuleType) -> None:
    assert aip.from_response(429, _aip_body("7s", first=True)).retry_after == 7.0


def test_retry_info_beyond_the_cap_means_do_not_retry(aip: ModuleType) -> None:
    err = aip.from_response(429, _aip_body("86400s"))
    assert err.retry_after == 86400.0 and err.retryable
    assert not aip.should_retry(err)  # max_retry_after 60 s
    assert aip.should_retry(err, max_retry_after=float("inf"))
    assert aip.wait_for(err, attempt=1) < 60  # backoff instead of a day


def test_a_header_delay_comes_before_the_body_delay(aip: ModuleType) -> None:
    """Headers first: HTTP's Retry-After (RFC 9110), and adding after_paths to a spec never
    changes the delay of a response that sends the header."""
    assert aip.from_response(429, _aip_body("30s"), {"Retry-After": "5"}).retry_after == 5.0
    assert aip.from_response(429, _aip_body("30s"), {"Retry-After": "soon"}).retry_after == 30.0
    assert aip.from_response(429, _aip_body("garbage"), {"Retry-After": "5"}).retry_after == 5.0


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=8,
)


@given(_JSON)
def test_any_retry_delay_value_is_safe(aip: ModuleType, delay: object) -> None:
    err = aip.from_response(429, _aip_body(delay))
    assert err is not None and type(err).__name__ == "RateLimitExceededError"
    assert err.retry_after is None or (isinstance(err.retry_after, float) and 0 <= err.retry_after < float("inf"))


@pytest.mark.parametrize("delay", [30.0, 1.5, 0.000001, 3.000000001, 0.0, 1e-7, 315576000000.0])
def test_to_response_writes_the_delay_back(aip: ModuleType, delay: float) -> None:
    err = aip.RateLimitExceededError("Quota exceeded.", retry_after=delay)
    status, headers, body = err.to_response()
    details = json.loads(body)["error"]["details"]
    retry = [d for d in details if d["@type"].endswith("RetryInfo")]
    assert len(retry) == 1 and retry[0]["retryDelay"].endswith("s") and "e" not in retry[0]["retryDelay"]
    back = aip.from_response(status, body, headers)
    assert type(back) is type(err) and back.retry_after == delay


def test_to_response_of_a_received_error_keeps_its_details(aip: ModuleType) -> None:
    err = aip.from_response(429, _aip_body("1.500s"))
    status, headers, body = err.to_response()
    details = json.loads(body)["error"]["details"]
    assert [d["@type"].rsplit(".", 1)[1] for d in details] == ["LocalizedMessage", "ErrorInfo", "RetryInfo"]
    assert details[2]["retryDelay"] == "1.5s"
    back = aip.from_response(status, body, headers)
    assert (type(back), back.retry_after, back.code) == (type(err), 1.5, "RATE_LIMIT_EXCEEDED")
    assert aip.RateLimitExceededError().to_response()[2].count(b"RetryInfo") == 0  # no delay: none written


def test_body_delay_and_duration_text(aip: ModuleType) -> None:
    _retry = sys.modules[aip.__name__ + "._retry"]  # the runtime modules, byte for byte
    _core = sys.modules[aip.__name__ + "._core"]

    assert _core.duration_text(0.1 + 0.2) == "0.3s"  # to the nanosecond, as a Duration is
    assert _core.duration_text(None) is None and _core.duration_text(float("nan")) is None
    assert _retry.body_delay("²s") is None and _retry.body_delay({"seconds": "²"}) is None
    assert _retry.body_delay("1m30s") == 90.0
