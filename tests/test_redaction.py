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
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from errorsdk.model.redaction import DEFAULT_SECRET_HEADERS, SECRET_MARKERS
from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package

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
    assert vault._envelope.SECRET_HEADERS == frozenset(DEFAULT_SECRET_HEADERS) | {"x-vault-token", "x-custom-signature"}
    assert vault._envelope.SECRET_MARKERS == SECRET_MARKERS


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


# --- every sink, for names judged by what they are, and for URLs -------------------

ISSUE_NAMES = (
    "X-Amz-Security-Token",
    "PRIVATE-TOKEN",
    "X-Authorization",
    "X-Amzn-Remapped-Authorization",
    "X-Api-Token",
    "X-Refresh-Token",
    "X-CSRF-Token",
    "Token",
    "x_amz_security_token",
    "X-Hub-Signature-256",
    "X-Session-Id",
    "Client-Credentials",
    "X-Db-Password",
    "X-Jwt-Assertion",
)
SECRET_WORDS = (
    "token",
    "auth",
    "secret",
    "password",
    "passwd",
    "credential",
    "session",
    "key",
    "apikey",
    "signature",
    "cookie",
    "csrf",
    "xsrf",
    "jwt",
    "bearer",
)


def sinks(err: Any, caplog: pytest.LogCaptureFixture | None = None) -> tuple[list[str], list[bytes]]:
    """Every place an error's data reaches: attributes, repr, str, traceback, logging,
    pickle (all protocols), vars(), copy, deepcopy, to_response()."""
    try:
        raise err
    except Exception as raised:  # noqa: BLE001
        trace = "".join(traceback.format_exception(raised))
        logger = logging.getLogger("redaction.sinks")
        if caplog is not None:
            logger.exception("failed: %r %s %s", raised, raised, vars(raised))
    texts = [
        repr(err),
        str(err),
        trace,
        repr(vars(err)),
        repr(err.headers),
        repr(err.request_url),
        repr(copy.copy(err).__dict__),
        repr(copy.deepcopy(err).__dict__),
        repr(err.to_response()),
        repr([getattr(err, name, None) for name in dir(err) if not name.startswith("__")]),
    ]
    if caplog is not None:
        texts.append(caplog.text)
    blobs = [pickle.dumps(err, protocol=p) for p in range(pickle.HIGHEST_PROTOCOL + 1)]
    return texts, blobs


def assert_nowhere(secret: str, err: Any, caplog: pytest.LogCaptureFixture | None = None) -> None:
    texts, blobs = sinks(err, caplog)
    for text in texts:
        assert secret not in text, text[:300]
    for blob in blobs:
        assert secret.encode() not in blob and secret.encode("latin-1", "replace") not in blob


@pytest.mark.parametrize("name", ISSUE_NAMES)
def test_credential_headers_off_the_lists_are_redacted(
    vault: ModuleType, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert pickle.dumps(vault.from_response(500, b"", {name: "SECRET"})).count(b"SECRET") == 0
    for err in (
        vault.from_response(503, b'{"code": "sealed"}', {name: "SECRET-v"}),
        vault.SealedError("m", headers=[(name.encode(), b"SECRET-v")]),
    ):
        assert err.headers == {name.lower(): "[redacted]"}
        assert_nowhere("SECRET-v", err, caplog)


def _spelled(word: str, data: st.DataObject) -> str:
    """``word`` in random case, with separators between some of its letters."""
    out = []
    for char in word:
        out.append(char.upper() if data.draw(st.booleans()) else char)
        if data.draw(st.integers(0, 9)) == 0:
            out.append(data.draw(st.sampled_from("-_.")))
    return "".join(out)


_affix = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", max_size=8)
_secret_value = st.tuples(
    st.text(alphabet="ABCDEFGHJKMNPQRSTVWXYZ", min_size=4, max_size=4), st.text(min_size=6, max_size=24)
).map(lambda t: "Q" + t[0] + t[1])


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    word=st.sampled_from(SECRET_WORDS),
    before=_affix,
    after=_affix,
    value=_secret_value,
    form=st.sampled_from(["dict", "pairs", "bytes", "lines", "constructor"]),
)
def test_any_header_named_like_a_secret_reaches_no_sink(
    vault: ModuleType, data: st.DataObject, word: str, before: str, after: str, value: str, form: str
) -> None:
    name = before + _spelled(word, data) + after
    assume("\r" not in value and "\n" not in value and value.strip() == value or form != "lines")
    headers: Any = {
        "dict": {name: value, "X-Request-Id": "rid"},
        "pairs": [(name, value), ("X-Request-Id", "rid")],
        "bytes": [(name.encode(), value.encode()), (b"X-Request-Id", b"rid")],
        "lines": f"{name}: {value}\r\nX-Request-Id: rid\r\n",
        "constructor": {name: value, "X-Request-Id": "rid"},
    }[form]
    if form == "constructor":
        err = vault.SealedError("sealed", headers=headers, request_id="rid")
    else:
        err = vault.from_response(503, b'{"code": "sealed", "message": "sealed"}', headers)
    assert err.request_id == "rid"
    assert err.headers[name.strip().lower()] == "[redacted]"
    assert_nowhere(value, err)
    assert_nowhere(value.encode("utf-8").decode("latin-1"), err)  # bytes read as Latin-1


def test_a_header_the_spec_reads_is_kept_though_named_like_a_secret(tmp_path: Path) -> None:
    spec = tmp_path / "reads.yaml"
    spec.write_text(SPEC.replace("vault", "reads").replace("header:x-request-id", "header:x-trace-token"))
    write_package(tmp_path / "out", generate_package(spec))
    sys.path.insert(0, str(tmp_path / "out" / "reads_errors"))
    reads = importlib.import_module("reads_errors")
    err = reads.from_response(503, b"{}", {"X-Trace-Token": "t-1", "X-Other-Token": "SECRET"})
    assert err.request_id == "t-1" and err.headers == {"x-trace-token": "t-1", "x-other-token": "[redacted]"}
    assert "x-trace-token" in reads._envelope.READ_HEADERS


# URLs: secrets in every part that can carry one, built by urllib.parse's rules.
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_raw_secret = st.tuples(st.text(alphabet="QXZ", min_size=3, max_size=3), st.text(min_size=4, max_size=16)).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    scheme=st.sampled_from(["https", "http", ""]),
    host=st.sampled_from(["api.example.com", "127.0.0.1", "[::1]", "h"]),
    port=st.sampled_from(["", ":8443"]),
    segments=st.lists(_word, min_size=1, max_size=3),
    secret=_raw_secret,
    where=st.sampled_from(
        [
            "password",
            "user",
            "param",
            "bare_param",
            "query",
            "bare_query",
            "encoded_query",
            "later_query",
            "fragment",
            "semicolon_query",
        ]
    ),
    key=_word,
)
def test_a_secret_in_any_part_of_a_url_reaches_no_sink(
    vault: ModuleType, scheme: str, host: str, port: str, segments: list[str], secret: str, where: str, key: str
) -> None:
    from urllib.parse import quote, urlunsplit

    enc = quote(secret, safe="")
    userinfo = {"password": f"{key}:{enc}@", "user": f"{enc}@"}.get(where, "")
    path = "/" + "/".join(segments)
    if where == "param":
        path += f";{key}={enc}"
    elif where == "bare_param":
        path += f";{enc}"
    query = {
        "query": f"{key}={enc}",
        "bare_query": enc,
        "encoded_query": quote(f"{key}={secret}", safe=""),
        "later_query": f"a=1&{key}={enc}&b",
        "semicolon_query": f"a=1;{key}={enc}",
    }.get(where, "")
    fragment = enc if where == "fragment" else ""
    netloc = userinfo + host + port
    url = (
        urlunsplit((scheme, netloc, path, query, fragment))
        if scheme
        else f"{netloc}{path}" + (f"?{query}" if query else "")
    )
    err = vault.from_response(503, b'{"code": "sealed"}', {}, url=url)
    assert err.request_url is not None
    for text in {secret, enc}:
        if len(text) >= 3 and text not in url.replace(text, "", 1):  # it appears once: where it was put
            assert_nowhere(text, err)
    assert host in err.request_url and path.partition(";")[0] in err.request_url  # the rest is kept


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://h/p;jsessionid=S3CR", "https://h/p;jsessionid=[redacted]"),
        ("https://h/p?S3CR", "https://h/p?[redacted]"),
        ("https://h/p?token%3DS3CR", "https://h/p?[redacted]"),
        ("user:S3CR@h/p", "h/p"),
        ("https://user:p?S3CR@h/", "https://h/"),
        ("https://user:p/S3CR@h/x", "https://h/x"),
        ("https://user:p#S3CR@h/x", "https://user:[redacted]"),
        ("https://h:S3CR/p", "https://h:[redacted]/p"),
        ("http://u:S3CR@[::1/p?k=S3CR", "http://[::1/p?k=[redacted]"),
        ("https://h/a%3Bsid=S3CR/b", "https://h/a;sid=[redacted]/b"),
        ("https://h/p", "https://h/p"),
        ("https://h/@scope/pkg", "https://h/@scope/pkg"),
    ],
)
def test_the_issue_s_urls(vault: ModuleType, url: str, expected: str) -> None:
    err = vault.from_response(503, b"{}", {}, url=url)
    assert err.request_url == expected
    assert_nowhere("S3CR", err)


_long = st.integers(min_value=3000, max_value=20000)


@settings(max_examples=10, deadline=None)
@given(size=_long, field=st.sampled_from(["message", "code", "request_id"]))
def test_display_is_bounded_and_the_attribute_whole(vault: ModuleType, size: int, field: str) -> None:
    value = "v" * size
    body = {"message": "m", "code": "sealed", field: value} if field != "request_id" else {"code": "sealed"}
    import json

    err = vault.from_response(503, json.dumps(body).encode(), {"X-Request-Id": value} if field == "request_id" else {})
    assert getattr(err, field) == value  # nothing lost
    for text in (repr(err), str(err), "".join(traceback.format_exception(err))):
        assert len(text) < 3000 and "more)" in text


def test_a_group_and_its_members_keep_no_secret() -> None:
    from .conftest import GENERATED, import_package

    graphql = import_package(GENERATED, "flow_graphql_errors")
    body = b'{"errors": [{"message": "a"}, {"message": "b"}]}'
    group = graphql.from_response(200, body, {"X-Api-Token": "S3CR"}, url="https://u:S3CR@h/graphql?token=S3CR;x")
    assert "S3CR" not in repr(vars(group))
    assert_nowhere("S3CR", group)
    assert all(e.request_url == "https://h/graphql?token=[redacted]" for e in group.errors)
