"""Hostile responses: from_response of every generated package never raises.

Whatever the status (huge, negative, bool, float, text), the body (invalid UTF-8,
deeply nested or truncated JSON, NaN, huge integers, 10 MB) and the headers (non-str
names, bytes, duplicates, things that are not pairs, objects that raise), the result
is None or an instance of the API's base error, and always an instance for an error
status. ERRORSDK_HEAVY=1 runs many more examples; bench/fuzz_from_response.py runs
atheris (coverage-guided) on the same contract.
"""

from __future__ import annotations

import json
import os
import pickle
import tracemalloc
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ALL_SPECS, spec_id

HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))
MB = 1024 * 1024


class Raising:
    """An object whose every conversion raises."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __bool__(self) -> bool:
        raise RuntimeError("no bool")

    def __iter__(self) -> Iterator[Any]:
        raise RuntimeError("no iter")


class BrokenMapping(Mapping[str, str]):
    def __getitem__(self, key: str) -> str:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield "authorization"
        raise RuntimeError("broken half-way")

    def __len__(self) -> int:
        return 2


def nested(depth: int, opener: bytes = b"[", closer: bytes = b"]") -> bytes:
    return opener * depth + closer * depth


BIG_BODIES = {
    "10mb_text": b"a" * (10 * MB),
    "10mb_json_message": json.dumps({"message": "m" * (10 * MB), "code": "c" * 1000}).encode(),
    "10mb_open_brackets": b"[" * (10 * MB),
    "10mb_invalid_utf8": b'{"message": "' + b"\xff\xfe" * (5 * MB) + b'"}',
    "deep_list": nested(100_000),
    "deep_object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep_within_limit": b'{"message": ' + nested(900) + b', "code": ' + nested(900) + b"}",
    "nan": b'{"message": NaN, "code": Infinity, "status": -Infinity, "detail": [NaN]}',
    "huge_int": b'{"code": 1' + b"0" * 5000 + b', "status": 4' + b"0" * 400 + b"}",
    "huge_float": b'{"code": 1e999, "status": 404.0, "message": 1e308}',
    "truncated": b'{"message": "half',
    "bom": b'\xef\xbb\xbf{"code": "x"}',
    "null_bytes": b'{"code": "\\u0000", "message": "a\\u0000b"}\x00',
    "top_level_array_of_junk": b'[1, "x", null, {"errors": 5}, [[]]]',
    "graphql_like_junk": b'{"errors": [{"message": 1, "extensions": {"code": [1]}}, 7, null], "data": NaN}',
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=25,
)
# dicts keyed like the envelopes of the specs, so the readers see the shapes they look for
envelope_keys = st.sampled_from(
    [
        "code",
        "error_code",
        "message",
        "detail",
        "status",
        "error",
        "errors",
        "extensions",
        "reason",
        "type",
        "title",
        "msg",
        "errcode",
        "errmsg",
        "ok",
        "success",
        "data",
        "__type",
        "instance",
        "request_id",
    ]
)
shaped = st.recursive(
    json_values,
    lambda inner: st.dictionaries(envelope_keys, inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=30,
)


def dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


statuses = st.one_of(
    st.none(),
    st.sampled_from(
        [
            0,
            99,
            100,
            200,
            204,
            299,
            300,
            399,
            400,
            401,
            403,
            404,
            409,
            418,
            422,
            429,
            499,
            500,
            502,
            503,
            599,
            600,
            999,
            -404,
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.binary(max_size=5),
)
bodies = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=100).map(lambda b: b"\xff" + b),
    shaped.map(dumps),
    shaped.map(lambda v: dumps(v)[: len(dumps(v)) // 2]),
    shaped.map(lambda v: json.dumps(v)),
    shaped,
    st.integers(min_value=1, max_value=3000).map(nested),
    st.sampled_from(sorted(k for k in BIG_BODIES if not k.startswith("10mb"))).map(BIG_BODIES.__getitem__),
    st.binary(max_size=100).map(bytearray),
    st.binary(max_size=100).map(memoryview),
    st.none(),
    st.integers(),
)
names = st.one_of(
    st.text(max_size=12),
    st.binary(max_size=12),
    st.integers(),
    st.none(),
    st.sampled_from(["Authorization", "X-Request-Id", "x-error-code", "Set-Cookie", "x-amzn-RequestId"]),
)
values = st.one_of(st.text(max_size=20), st.binary(max_size=20), st.integers(), st.none(), st.builds(Raising))
headers = st.one_of(
    st.none(),
    st.dictionaries(names, values, max_size=5),
    st.lists(st.tuples(names, values), max_size=6),
    st.lists(
        st.one_of(st.text(max_size=3), st.tuples(names), st.tuples(names, values, values), st.integers()), max_size=4
    ),
    st.builds(Raising),
    st.builds(BrokenMapping),
    st.integers(),
    st.binary(max_size=10),
)
methods = st.one_of(st.none(), st.sampled_from(["GET", "post", "PUT"]), st.text(max_size=5), st.integers())
urls = st.one_of(
    st.none(), st.text(max_size=40), st.sampled_from(["https://x/api/v1/a/webhooks", "::::", "http://[::1"])
)


def check_contract(api: Any, base: type, status: Any, body: Any, hdrs: Any, method: Any = None, url: Any = None) -> Any:
    err = api.from_response(status, body, hdrs, method=method, url=url)
    assert err is None or isinstance(err, base)
    if isinstance(status, int) and not isinstance(status, bool) and status >= 400:
        assert isinstance(err, base)
    if err is not None:
        str(err)
        repr(err)
        again = pickle.loads(pickle.dumps(err))
        assert type(again) is type(err) and again.message == err.message
    return err


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
@settings(
    max_examples=1000 if HEAVY else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(status=statuses, body=bodies, hdrs=headers, method=methods, url=urls)
def test_hostile_responses_never_raise(
    spec: Path, import_api: Any, status: Any, body: Any, hdrs: Any, method: Any, url: Any
) -> None:
    checked, api = import_api(spec)
    check_contract(api, getattr(api, checked.class_prefix + "Error"), status, body, hdrs, method, url)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_named_hostile_bodies(spec: Path, import_api: Any) -> None:
    """Every named hostile body, 10 MB ones included, under error and success statuses."""
    checked, api = import_api(spec)
    base = getattr(api, checked.class_prefix + "Error")
    for name, body in BIG_BODIES.items():
        for status in (200, 404, 500, None):
            tracemalloc.start()
            try:
                check_contract(api, base, status, body, [("Authorization", b"x"), ("authorization", "y")])
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            assert peak < 30 * len(body) + 50 * MB, name  # bounded: a small multiple of the body


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_odd_headers_are_cleaned_and_secrets_redacted(spec: Path, import_api: Any) -> None:
    checked, api = import_api(spec)
    odd = [
        (b"Authorization", b"Bearer sk-bytes"),
        ("AUTHORIZATION ", "Bearer sk-spaced"),
        ("x-thing", b"v\xff"),
        (1, 2),
        ("only-one",),
        ("cookie", Raising()),
        ("X-Api-Key", "k-1"),
        ("X-My-Secret", "s-1"),
    ]
    err = api.from_response(500, b"{}", odd)
    assert err.headers["authorization"] == "[redacted]"
    assert err.headers["x-thing"] == "v\xff" and err.headers["1"] == "2"
    assert err.headers["cookie"] == "[redacted]" and err.headers["x-my-secret"] == "[redacted]"
    assert "only-one" not in err.headers
    dumped = pickle.dumps(err)
    for secret in (b"sk-bytes", b"sk-spaced", b"k-1", b"s-1"):
        assert secret not in dumped
    endless = api.from_response(500, b"", iter(lambda: ("a", "b"), None))  # an endless iterator of headers
    assert endless.headers == {"a": ", ".join(["b"] * 1000)}  # repeats combined, up to the header cap
