"""Issue 18 sections 6 and 7: entries documented under a 2xx status (Slack), and a
discriminator a body must hold to be an error body (Kubernetes Status); each over the
API's real response shapes, malformed ones included, and the misuse validation refuses."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.loader import load_document
from errorsdk.spec.validation import check

pytestmark = pytest.mark.runtime

CASES = Path(__file__).resolve().parent / "cases"


def _load(name: str, factory: pytest.TempPathFactory) -> Any:
    out = factory.mktemp(name.removesuffix(".yaml"))
    output = generate_package(CASES / name)
    write_package(out, output)
    sys.path.insert(0, str(out / output.package))
    try:
        return importlib.import_module(output.package)
    finally:
        sys.path.remove(str(out / output.package))


@pytest.fixture(scope="module")
def kube(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _load("kubernetes_status.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def slack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _load("slack_ok.yaml", tmp_path_factory)


def _status(reason: str, code: int, **extra: Any) -> bytes:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure"}
    body.update({"message": f"it is {reason}", "reason": reason, "code": code, **extra})
    return json.dumps(body).encode()


# --- Kubernetes: kind == Status before the code is read ------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "cls"),
    [
        (404, "NotFound", "KubeNotFoundError"),
        (409, "AlreadyExists", "AlreadyExistsError"),
        (409, "Conflict", "KubeConflictError"),
        (422, "Invalid", "InvalidError"),
        (410, "Expired", "ExpiredError"),
        (429, "TooManyRequests", "TooManyRequestsError"),
        (500, "InternalError", "InternalError"),
    ],
)
def test_kubernetes_status_bodies(kube: Any, status: int, reason: str, cls: str) -> None:
    err = kube.from_response(status, _status(reason, status, details={"name": "web-0", "kind": "pods"}))
    assert type(err).__name__ == cls and err.code == reason and err.message == f"it is {reason}"
    assert err.raw_detail == {"name": "web-0", "kind": "pods"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"reason": "NotFound", "code": 404, "message": "not a Status"}',  # no kind
        b'{"kind": "Pod", "reason": "NotFound", "code": 404}',  # another kind
        b'{"kind": "status", "reason": "NotFound"}',  # case matters
        b'{"kind": ["Status"], "reason": "NotFound"}',
        b'{"kind": null, "reason": "NotFound"}',
        b'["Status", "NotFound"]',
        b'"Status"',
        b"<html>404 page not found</html>",
        b"404 page not found",
        b'{"kind": "Status", "reason": "NotFo',  # truncated
        b"",
    ],
)
def test_kubernetes_other_bodies_fall_back_to_the_status(kube: Any, body: bytes) -> None:
    err = kube.from_response(404, body)
    assert type(err) is kube.NotFoundError  # the taxonomy class of 404, not the NotFound entry
    assert err.code is None and err.body == body


def test_kubernetes_status_without_reason(kube: Any) -> None:
    err = kube.from_response(403, b'{"kind": "Status", "status": "Failure", "message": "forbidden: x", "code": 403}')
    assert type(err) is kube.PermissionDeniedError and err.message == "forbidden: x"


def test_kubernetes_to_response_writes_the_discriminator(kube: Any) -> None:
    status, headers, body = kube.AlreadyExistsError("exists").to_response()
    doc = json.loads(body)
    assert doc["kind"] == "Status" and doc["reason"] == "AlreadyExists" and status == 409
    assert type(kube.from_response(status, body, headers)) is kube.AlreadyExistsError


@settings(max_examples=200, deadline=None)
@given(kind=st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans()), reason=st.text(max_size=10))
def test_kubernetes_only_a_status_is_read(kube: Any, kind: Any, reason: str) -> None:
    body = json.dumps({"kind": kind, "reason": reason, "message": "m", "code": 404}).encode()
    err = kube.from_response(404, body)
    if kind != "Status":
        assert type(err) is kube.NotFoundError and err.code is None
    else:
        assert err.code == reason


# --- Slack: entries at 200 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "cls"),
    [
        (b'{"ok": false, "error": "channel_not_found"}', "ChannelNotFoundError"),
        (b'{"ok": false, "error": "invalid_auth"}', "InvalidAuthError"),
        (
            b'{"ok": false, "error": "missing_scope", "needed": "chat:write", "provided": "identify"}',
            "MissingScopeError",
        ),
        (b'{"ok": false, "error": "something_new"}', "SlackError"),
    ],
)
def test_slack_errors_at_200(slack: Any, body: bytes, cls: str) -> None:
    err = slack.from_response(200, body)
    assert type(err).__name__ == cls and err.status == 200


def test_slack_invalid_arguments_message(slack: Any) -> None:
    body = b'{"ok": false, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing required field: channel"]}}'
    err = slack.from_response(200, body)
    assert type(err) is slack.InvalidArgumentsError and err.message == "[ERROR] missing required field: channel"


@pytest.mark.parametrize(
    "body",
    [
        b'{"ok": true, "channel": "C1", "ts": "1.2"}',
        b'{"ok": "false", "error": "channel_not_found"}',  # a string is not the flag
        b'{"error": "channel_not_found"}',
        b"",
        b"<html></html>",
        b'{"ok": false, "error": "chan',
    ],
)
def test_slack_successes_stay_successes(slack: Any, body: bytes) -> None:
    assert slack.from_response(200, body) is None


def test_slack_rate_limit_at_429(slack: Any) -> None:
    err = slack.from_response(429, b'{"ok": false, "error": "ratelimited"}', {"Retry-After": "30"})
    assert type(err) is slack.RatelimitedError and err.retry_after == 30


def test_slack_entries_round_trip_at_200(slack: Any) -> None:
    for cls in (slack.ChannelNotFoundError, slack.InvalidAuthError):
        status, headers, body = cls().to_response()
        assert status == 200 and json.loads(body)["ok"] is False
        assert type(slack.from_response(status, body, headers)) is cls


# --- misuse --------------------------------------------------------------------------

_HEAD = "errorsdk: 1\napi: {name: demo, version: 1.0.0, title: Demo}\n"


@pytest.mark.parametrize(
    ("body", "where", "words"),
    [
        ("envelope: {code: c}\nerrors: [{code: a, status: 200, message: A}]\n", "spec.yaml:4:", "success status"),
        ("envelope: {code: c}\nerrors: [{code: a, status: 302, message: A}]\n", "spec.yaml:4:", "not an error status"),
        (
            "envelope: {code: c, require: {path: c, equals: Status}}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "overlaps envelope.code",
        ),
        (
            "envelope: {code: c, require: {path: 'k[0]', equals: Status}}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "keys only",
        ),
        (
            "envelope: {code: c, require: {path: 'header:X-Kind', equals: Status}}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "a header cannot hold this",
        ),
        (
            "envelope: {code: c, require: {path: kind}}\nerrors: [{code: a, status: 400, message: A}]\n",
            "spec.yaml:3:",
            "missing required key 'equals'",
        ),
    ],
)
def test_misuse_is_reported_where_it_is(body: str, where: str, words: str) -> None:
    raw = (_HEAD + body).encode()
    with pytest.raises(SpecError) as caught:
        check(load_document("spec.yaml", raw), raw)
    problems = [d.format() for d in caught.value.diagnostics]
    assert any(p.startswith(where) and words in p for p in problems), problems
