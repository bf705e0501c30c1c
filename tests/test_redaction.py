"""Secrets stay out: default and spec-configured secret headers are redacted everywhere.

Checked in repr, str, traceback text, logging.exception output, every pickle
protocol and deep copies, for every way headers can be passed (dict, pairs, any
case, surrounding spaces, bytes).
"""

from __future__ import annotations

import copy
import importlib
import logging
import pickle
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import generate_package
from generator.redaction import DEFAULT_SECRET_HEADERS, SECRET_MARKERS
from generator.writing import write_package

SPEC = """\
errorsdk: 1
api:
  name: vault
  version: 1.0.0
  title: Vault API
  redact_headers: [X-Vault-Token, x-custom-signature]
envelope: {code: code, message: message, request_id: header:x-request-id}
errors:
  - {code: sealed, status: 503, message: Vault is sealed}
"""

SECRETS = {
    "Authorization": "Bearer SECRET-authorization",
    "Proxy-Authorization": "Basic SECRET-proxy",
    "Cookie": "session=SECRET-cookie",
    "Set-Cookie": "id=SECRET-set-cookie; HttpOnly",
    "X-API-Key": "SECRET-x-api-key",
    "Api-Key": "SECRET-api-key",
    "X-Auth-Token": "SECRET-auth-token",
    "X-Vault-Token": "SECRET-vault",  # configured in the spec
    "X-Custom-Signature": "SECRET-signature",  # configured in the spec
    "X-Client-Secret": "SECRET-client-secret",  # API-key-like name
    "X-Amz-Session-Token": "SECRET-session",  # API-key-like name
}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    tmp = tmp_path_factory.mktemp("vault")
    spec = tmp / "vault.yaml"
    spec.write_text(SPEC)
    write_package(tmp / "out", generate_package(spec))
    sys.path.insert(0, str(tmp / "out" / "vault_errors"))
    return importlib.import_module("vault_errors")


def header_forms() -> dict[str, Any]:
    public = ("X-Request-Id", "rid-1")
    return {
        "dict": {**SECRETS, public[0]: public[1]},
        "pairs": [*SECRETS.items(), public],
        "upper": [(k.upper(), v) for k, v in SECRETS.items()] + [public],
        "spaced": [(f" {k.lower()} ", v) for k, v in SECRETS.items()] + [public],
        "bytes": [(k.encode(), v.encode()) for k, v in SECRETS.items()] + [public],
        "duplicates": [*SECRETS.items(), *((k.lower(), v + "2") for k, v in SECRETS.items()), public],
    }


def test_the_spec_extends_the_default_set(vault: ModuleType) -> None:
    assert vault._base.SECRET_HEADERS == frozenset(DEFAULT_SECRET_HEADERS) | {"x-vault-token", "x-custom-signature"}
    assert vault._base.SECRET_MARKERS == SECRET_MARKERS


@pytest.mark.parametrize("form", sorted(header_forms()))
def test_secrets_never_leave_the_error(vault: ModuleType, form: str, caplog: pytest.LogCaptureFixture) -> None:
    headers = header_forms()[form]
    from_response = vault.from_response(503, b'{"code": "sealed", "message": "sealed"}', headers)
    built = vault.SealedError("sealed", headers=headers, request_id="rid-1")
    for err in (from_response, built):
        assert type(err) is vault.SealedError and err.request_id == "rid-1"
        assert err.headers["x-request-id"] == "rid-1"
        for name in SECRETS:
            assert err.headers[name.lower()] == "[redacted]"
        try:
            raise err
        except vault.VaultError:
            logging.getLogger("redaction").exception("request failed: %r %s headers=%s", err, err, err.headers)
        texts = [repr(err), str(err), "".join(traceback.format_exception(err)), caplog.text, repr(err.headers)]
        texts.append(repr(copy.deepcopy(err).__dict__))
        blobs = [pickle.dumps(err, protocol=p) for p in range(pickle.HIGHEST_PROTOCOL + 1)]
        assert all(pickle.loads(b).headers == err.headers for b in blobs)
        for secret in SECRETS.values():
            assert not any(secret in text for text in texts)
            assert not any(secret.encode() in blob for blob in blobs)
        assert "SECRET" not in caplog.text


_secret_names = st.sampled_from(sorted({*SECRETS, *(f"X-My-{m}" for m in SECRET_MARKERS)}))


@settings(max_examples=100, deadline=None)
@given(
    name=st.tuples(_secret_names, st.lists(st.booleans(), max_size=40)).map(
        lambda t: "".join(c.upper() if up else c.lower() for c, up in zip(t[0], t[1] + [False] * len(t[0])))
    ),
    value=st.text(min_size=1, max_size=30),
    as_bytes=st.booleans(),
)
def test_any_spelling_of_a_secret_header_is_redacted(vault: ModuleType, name: str, value: str, as_bytes: bool) -> None:
    pair = (name.encode(), value.encode()) if as_bytes else (name, value)
    err = vault.from_response(500, b"", [pair])
    assert err.headers == {name.lower(): "[redacted]"}
