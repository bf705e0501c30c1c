"""Groups the API defines (``groups:``): Firebase Admin's classes over several codes.

``except EmailAlreadyExistsError`` catches EMAIL_EXISTS and DUPLICATE_EMAIL, ``except
AlreadyExistsError`` those and the uid and phone-number ones; each group sits under its
category class; misuse of ``groups:`` is refused at file:line:col.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import load_spec

from .conftest import CASES

FIREBASE = next(p for p in CASES if p.stem == "firebase_groups")


def _body(message: Any, code: int = 400) -> bytes:
    """A Firebase Auth (identitytoolkit) error body as the service sends it."""
    errors = [{"message": message, "domain": "global", "reason": "invalid"}]
    return json.dumps({"error": {"code": code, "message": message, "errors": errors}}).encode()


def test_firebase_codes_sit_under_their_groups(import_api: Any) -> None:
    _, api = import_api(FIREBASE)
    exists = api.from_response(400, _body("EMAIL_EXISTS"))
    duplicate = api.from_response(400, _body("DUPLICATE_EMAIL : The email address is already in use."))
    assert type(exists).__name__ == "EmailExistsError" and type(duplicate).__name__ == "DuplicateEmailError"
    for err in (exists, duplicate):
        assert isinstance(err, api.EmailAlreadyExistsError) and isinstance(err, api.AlreadyExistsError)
        assert isinstance(err, api.ConflictError) and err.CATEGORY == "conflict"
    uid = api.from_response(400, _body("DUPLICATE_LOCAL_ID"))
    assert isinstance(uid, api.AlreadyExistsError) and not isinstance(uid, api.EmailAlreadyExistsError)
    token = api.from_response(400, _body("INVALID_ID_TOKEN : Token expired"))
    assert isinstance(token, api.InvalidArgumentError) and isinstance(token, api.BadRequestError)
    assert isinstance(api.from_response(429, _body("TOO_MANY_ATTEMPTS_TRY_LATER", 429)), api.ResourceExhaustedError)
    assert issubclass(api.ResourceExhaustedError, api.RateLimitError) and api.ResourceExhaustedError.RETRYABLE
    user = api.from_response(400, _body("USER_NOT_FOUND"))
    assert type(user).__name__ == "UserNotFoundError" and not isinstance(user, api.AlreadyExistsError)
    try:
        raise duplicate
    except api.EmailAlreadyExistsError as caught:  # the SDK's one class for both codes
        assert caught.code == "DUPLICATE_EMAIL"
    for group in ("AlreadyExistsError", "EmailAlreadyExistsError", "InvalidArgumentError", "ResourceExhaustedError"):
        assert group in api.__all__


def test_firebase_malformed_and_unknown_fall_back(import_api: Any) -> None:
    _, api = import_api(FIREBASE)
    unknown = api.from_response(400, _body("SOMETHING_NEW : text"))
    assert unknown.code == "SOMETHING_NEW" and type(unknown) is api.BadRequestError  # no group claims it
    for body in (_body(7), _body(None), b'{"error": "EMAIL_EXISTS"}', b"<html>400</html>", b""):
        err = api.from_response(400, body)
        assert type(err) is api.BadRequestError, body
    status, headers, raw = api.from_response(400, _body("EMAIL_EXISTS")).to_response()
    assert type(api.from_response(status, raw, headers)).__name__ == "EmailExistsError"


HEAD = "errorsdk: 1\napi: {name: grp, version: 1.0.0, title: Groups}\nerrors:\n"
ERRORS = "  - {code: A, status: 409, message: a}\n  - {code: B, status: 404, message: b}\n"


@pytest.mark.parametrize(
    "groups,expected",
    [
        ("groups:\n  SomeError: {errors: [Z]}\n", r"spec.yaml:7:\d+: 'Z' is no error of the catalogue"),
        (
            "groups:\n  SomeError: {errors: [A]}\n  OtherError: {errors: [A]}\n",
            r"spec.yaml:8:\d+: 'A' is already in the group 'SomeError'",
        ),
        (
            "groups:\n  MixedError: {errors: [A, B]}\n",
            r"spec.yaml:7:\d+: group 'MixedError' holds errors of several categories \(conflict, not_found\)",
        ),
        ("groups:\n  EmptyError: {}\n", r"spec.yaml:7:\d+: group 'EmptyError' holds no error"),
        (
            "groups:\n  NotFoundError: {errors: [B]}\n",
            r"spec.yaml:7:\d+: group name 'NotFoundError' is a taxonomy class",
        ),
        (
            "groups:\n  AError: {errors: [B]}\n",
            r"spec.yaml:7:\d+: group name 'AError' is the class of a catalogue entry",
        ),
        ("groups:\n  XError: {errors: [A], parent: Nope}\n", r"spec.yaml:7:\d+: parent 'Nope' is not a group"),
        ("groups:\n  XError: {parent: YError}\n  YError: {parent: XError}\n", r"form a loop"),
        ("groups:\n  lower: {errors: [A]}\n", r"spec.yaml:7:\d+: group name 'lower' is not a PascalCase"),
    ],
)
def test_group_misuse_is_refused(tmp_path: Path, groups: str, expected: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + ERRORS + groups, "utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert re.search(expected, str(info.value)), str(info.value)


def test_errorsdk_diff_classifies_group_changes(tmp_path: Path) -> None:
    import yaml

    from errorsdk.output.spec_diff import diff, load_ref

    data = yaml.safe_load(FIREBASE.read_text("utf-8"))
    without = dict(data)
    without.pop("groups")
    (tmp_path / "without.yaml").write_text(yaml.safe_dump(without), "utf-8")
    old, new = load_ref(str(tmp_path / "without.yaml")), load_ref(str(FIREBASE))
    added = diff(old, new)  # a group over existing classes: every except still catches them
    assert {c.kind for c in added} == {"feature"} and any("EmailAlreadyExistsError" in c.text for c in added)
    removed = diff(new, old)  # `except EmailAlreadyExistsError` would stop catching: breaking
    assert any(c.kind == "breaking" and "EmailAlreadyExistsError removed" in c.text for c in removed)
