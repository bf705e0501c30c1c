"""Issue 18 section 5: a code that prefixes the message (Firebase Auth), rules on
response headers (GitHub), and a configurable retry-hint header (Stripe); each
dispatched over the API's real response shapes, malformed ones included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.loader import load_document
from errorsdk.spec.validation import check

pytestmark = pytest.mark.runtime

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="module")
def firebase(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _load("firebase_auth.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _load("github_conditions.yaml", tmp_path_factory)


def _load(name: str, factory: pytest.TempPathFactory) -> Any:
    import importlib
    import sys

    from errorsdk.output.write import write_package
    from errorsdk.pipeline import generate_package

    out = factory.mktemp(name.removesuffix(".yaml"))
    output = generate_package(CASES / name)
    write_package(out, output)
    sys.path.insert(0, str(out / output.package))
    try:
        return importlib.import_module(output.package)
    finally:
        sys.path.remove(str(out / output.package))


def _body(message: Any, status: int = 400) -> bytes:
    return json.dumps({"error": {"code": status, "message": message, "errors": [{"message": message}]}}).encode()


# --- Firebase Auth: "CODE : message" in one field ------------------------------------


def test_firebase_code_before_the_separator(firebase: Any) -> None:
    err = firebase.from_response(
        400, _body("EMAIL_NOT_FOUND : There is no user record corresponding to this identifier.")
    )
    assert type(err) is firebase.EmailNotFoundError
    assert err.code == "EMAIL_NOT_FOUND"
    assert err.message == "There is no user record corresponding to this identifier."


def test_firebase_message_that_is_the_code_alone(firebase: Any) -> None:
    err = firebase.from_response(400, _body("EMAIL_EXISTS"))
    assert type(err) is firebase.EmailExistsError and err.code == "EMAIL_EXISTS"
    assert err.message == "EMAIL_EXISTS"  # nothing lost: the text as sent


def test_firebase_weak_password_and_unknown_code(firebase: Any) -> None:
    err = firebase.from_response(400, _body("WEAK_PASSWORD : Password should be at least 6 characters"))
    assert type(err) is firebase.WeakPasswordError and err.message == "Password should be at least 6 characters"
    other = firebase.from_response(400, _body("SOMETHING_NEW : a code the catalogue lacks"))
    assert type(other) is firebase.BadRequestError and other.code == "SOMETHING_NEW"
    assert other.message == "a code the catalogue lacks"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"error": {"code": 400, "message": 12}}',
        b'{"error": {"code": 400, "message": " : "}}',
        b'{"error": {"code": 400, "message": ""}}',
        b'{"error": {"code": 400, "message": null}}',
        b'{"error": {"code": 400, "message": ["EMAIL_EXISTS"]}}',
        b'{"error": "EMAIL_EXISTS : text"}',
        b'{"error": {"message": "EMAIL_EXISTS : trunc',
        b"\xff\xfe garbage",
    ],
)
def test_firebase_malformed_bodies_fall_back(firebase: Any, body: bytes) -> None:
    err = firebase.from_response(400, body)
    assert isinstance(err, firebase.FirebaseAuthError)
    assert type(err) is not firebase.EmailExistsError or b"EMAIL_EXISTS" in body
    assert err.body == body


def test_firebase_to_response_writes_code_then_message(firebase: Any) -> None:
    status, _, body = firebase.EmailNotFoundError("gone").to_response()
    assert json.loads(body)["error"]["message"] == "EMAIL_NOT_FOUND : gone"
    assert type(firebase.from_response(status, body)) is firebase.EmailNotFoundError


_CODE = st.from_regex(r"[A-Z][A-Z_]{0,20}", fullmatch=True)
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(code=_CODE, message=_TEXT)
def test_firebase_any_code_and_message_round_trip(firebase: Any, code: str, message: str) -> None:
    status, headers, body = firebase.FirebaseAuthError(message, status=400, code=code).to_response()
    back = firebase.from_response(status, body, headers)
    assert back.code == code
    assert back.message == (message if message else code)


# --- GitHub: rules on response headers ----------------------------------------------

_BODY = b'{"message": "Must specify two-factor authentication OTP code.", "documentation_url": "https://docs.github.com/rest"}'


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (401, {"X-GitHub-OTP": "required; app"}, "TwoFactorRequiredError"),
        (401, {"x-github-otp": "required; sms"}, "TwoFactorRequiredError"),
        (401, {}, "BadCredentialsError"),
        (401, {"X-GitHub-OTP": "optional"}, "BadCredentialsError"),
        (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000000"}, "RateLimitExceededError"),
        (429, {"x-ratelimit-remaining": "0"}, "RateLimitExceededError"),
        (403, {"X-RateLimit-Remaining": "10"}, "ForbiddenError"),
        (403, {"X-RateLimit-Remaining": "00"}, "ForbiddenError"),
        (403, {"X-RateLimit-Remaining": "0" * 100_000}, "ForbiddenError"),
        (404, {"X-GitHub-OTP": "required; app"}, "GitHubNotFoundError"),
    ],
)
def test_github_rules_on_headers(github: Any, status: int, headers: dict[str, str], expected: str) -> None:
    err = github.from_response(status, _BODY, headers)
    assert type(err).__name__ == expected


def test_github_memo_keeps_header_answers_apart(github: Any) -> None:
    """classify memoises by what rules test: the same status and body with other headers is
    another answer, in any order of calls."""
    for _ in range(3):
        assert type(github.from_response(403, _BODY, {"x-ratelimit-remaining": "0"})) is github.RateLimitExceededError
        assert type(github.from_response(403, _BODY, {"x-ratelimit-remaining": "5"})) is github.ForbiddenError
        assert type(github.from_response(403, _BODY)) is github.ForbiddenError


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=30), status=st.sampled_from([401, 403, 404, 429]))
def test_github_header_rules_agree_with_the_regex(github: Any, value: str, status: int) -> None:
    import re

    err = github.from_response(status, b"{}", {"x-github-otp": value, "x-ratelimit-remaining": value})
    if status == 401 and re.search("^required", value):
        assert type(err) is github.TwoFactorRequiredError
    elif status in (403, 429) and re.search("^0$", value):
        assert type(err) is github.RateLimitExceededError
    else:
        assert type(err) not in (github.TwoFactorRequiredError, github.RateLimitExceededError)


# --- the retry hint header -----------------------------------------------------------


def test_should_retry_header_is_configurable(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: stripeish, version: 1.0.0, title: Stripe-like}
        envelope: {code: error.code, message: error.message}
        retry: {should_retry_header: Stripe-Should-Retry}
        errors:
          - {code: card_declined, status: 402, category: bad_request, message: Your card was declined.}
        """
    )
    body = b'{"error": {"code": "card_declined", "message": "no"}}'
    assert api.from_response(402, body).retryable is False
    assert api.from_response(402, body, {"Stripe-Should-Retry": "true"}).retryable is True
    assert api.from_response(402, body, {"x-should-retry": "true"}).retryable is False  # not this API's header
    assert api.from_response(500, b"", {"stripe-should-retry": "false"}).retryable is False


# --- misuse --------------------------------------------------------------------------

_HEAD = "errorsdk: 1\napi: {name: demo, version: 1.0.0, title: Demo}\n"


def _problems(text: str) -> list[str]:
    raw = text.encode()
    with pytest.raises(SpecError) as caught:
        check(load_document("spec.yaml", raw), raw)
    return [d.format() for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    ("body", "where", "words"),
    [
        (
            "envelope: {code: c, message: m, code_prefix: ' : '}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "envelope.code reads it too",
        ),
        (
            "envelope: {code_prefix: ' : '}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "needs envelope.message",
        ),
        (
            "envelope: {message: m, code_prefix: '  '}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "only whitespace",
        ),
        (
            "envelope: {message: m}\nerrors: [{name: a, status: 400, message: A}]\n"
            "rules: [{error: a, headers: {'X Bad': x}}]\n",
            "spec.yaml:5:",
            "not an HTTP header name",
        ),
        (
            "envelope: {message: m}\nerrors: [{name: a, status: 400, message: A}]\n"
            "rules: [{error: a, headers: {X-A: x, x-a: y}}]\n",
            "spec.yaml:5:",
            "already tested",
        ),
        (
            "envelope: {message: m}\nerrors: [{name: a, status: 400, message: A}]\n"
            "rules: [{error: a, headers: {X-A: '(a+)+$'}}]\n",
            "spec.yaml:5:",
            "backtrack catastrophically",
        ),
    ],
)
def test_misuse_is_reported_where_it_is(body: str, where: str, words: str) -> None:
    problems = _problems(_HEAD + body)
    assert any(p.startswith(where) and words in p for p in problems), problems


# --- errorsdk diff -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("envelope: {code: m, message: m2}\n", "envelope: {message: m, code_prefix: ' : '}\n", "envelope changed"),
        (
            "envelope: {code: m, message: m2}\nrules: [{error: a, status: 400}]\n",
            "envelope: {code: m, message: m2}\nrules: [{error: a, status: 400, headers: {X-A: b}}]\n",
            "rules changed",
        ),
        (
            "envelope: {code: m, message: m2}\n",
            "envelope: {code: m, message: m2}\nretry: {should_retry_header: Stripe-Should-Retry}\n",
            "retry.should_retry_header",
        ),
    ],
)
def test_diff_calls_each_change_breaking(old: str, new: str, words: str) -> None:
    from errorsdk.output.spec_diff import diff

    tail = "errors: [{code: a, status: 400, message: A}]\n"

    def checked(text: str) -> Any:
        raw = (_HEAD + text + tail).encode()
        return check(load_document("spec.yaml", raw), raw)

    changes = diff(checked(old), checked(new))
    assert any(c.kind == "breaking" and words in c.text for c in changes), changes


# --- the status as the code, where the body has none (opt-in) -------------------------


def test_code_from_status(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: botoish, version: 1.0.0, title: botocore-like}
        envelope: {code: Error.Code, message: Error.Message, code_from_status: true}
        errors:
          - {code: SlowDown, status: 503, message: Please reduce your request rate.}
          - {code: '503', status: 503, message: Service Unavailable}
          - {code: ThrottlingException, status: 400, message: Rate exceeded}
        """
    )
    html = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
    err = api.from_response(503, html)
    assert type(err).CODE == "503" and type(err).__name__ == "Botoish503Error"
    assert err.code == "503"
    slow = api.from_response(503, b'{"Error": {"Code": "SlowDown", "Message": "Please reduce"}}')
    assert type(slow) is api.SlowDownError and slow.code == "SlowDown"  # a body's code wins
    other = api.from_response(502, b"")
    assert other.code == "502" and isinstance(other, api.ServiceUnavailableError)
    assert api.from_response(200, b"") is None


def test_code_from_status_is_off_by_default(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: plain, version: 1.0.0, title: Plain}
        envelope: {code: code}
        errors:
          - {code: a, status: 400, message: A}
        """
    )
    assert api.from_response(503, b"<html></html>").code is None
