"""Select steps in paths ([*], [?key==value]): AIP-193's ErrorInfo reason, wherever it sits.

The compiled expression (the generated ``_first``) agrees with the generator's twin
(reference_dispatch.walk) on any JSON; the AIP-193 case dispatches Google's real
shapes (ErrorInfo after other details, absent, malformed) and writes its detail
back whole; misuse is refused at file:line:col.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.paths import PathError, Select, parse
from errorsdk.spec.reference_dispatch import read
from errorsdk.spec.validation import load_spec

from .conftest import CASES

AIP = next(p for p in CASES if p.stem == "google_aip193")
INFO = "type.googleapis.com/google.rpc.ErrorInfo"


def test_select_steps_parse() -> None:
    path = parse(f'error.details[?"@type"=="{INFO}"].reason')
    assert path.steps == ("error", "details", Select("@type", INFO), "reason") and path.selects
    assert parse("errors[*].code").steps == ("errors", Select(), "code")
    assert parse("a[?n==-3][?ok==true][?x==null]").steps == ("a", Select("n", -3), Select("ok", True), Select("x"))
    assert parse("[?'k'=='v']").steps == (Select("k", "v"),)
    for step in (Select("@type", INFO), Select("n", 3), Select("ok", False), Select("x"), Select()):
        assert parse(f"a{step.text}.b").steps == ("a", step, "b")  # the text parses back to the step


@pytest.mark.parametrize(
    "text,column,fragment",
    [
        ("a[?x=1]", 5, "expected '=='"),
        ("a[?==1]", 4, "expected a key"),
        ("a[*", 4, "after '[*'"),
        ("a[?x==foo]", 7, "quoted string, an integer"),
        ("a[?x==1", 8, "close the filter"),
        ('a[?x=="v]', 7, "unterminated"),
        ("a[?x==" + "9" * 40 + "]", 7, "too long"),
    ],
)
def test_select_syntax_errors_say_where(text: str, column: int, fragment: str) -> None:
    with pytest.raises(PathError) as info:
        parse(text)
    assert fragment in str(info.value) and info.value.column == column


def _first_of(import_api: Any) -> dict[str, Any]:
    """The names a compiled expression reads, from the case's generated _envelope."""
    _, api = import_api(AIP)
    envelope = __import__(f"{api.__name__}._envelope", fromlist=["_first"])
    return {"_first": envelope._first, "_EMPTY": envelope._EMPTY, "_NO_ITEMS": envelope._NO_ITEMS}


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["a", "b", INFO]))
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["k", "a", "@type", "r"]), inner, max_size=4)
    ),
    max_leaves=12,
)
_steps = st.lists(
    st.one_of(
        st.sampled_from(["k", "a", "r"]),
        st.integers(-2, 2).map(lambda i: f"[{i}]"),
        st.just("[*]"),
        st.builds(
            lambda key, value: f"[?{key}=={value}]",
            st.sampled_from(["k", '"@type"']),
            st.sampled_from(['"a"', "1", "true", "null", json.dumps(INFO)]),
        ),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(steps=_steps, doc=_json)
def test_compiled_select_agrees_with_the_reference(import_api: Any, steps: list[str], doc: Any) -> None:
    text = "$" + "".join(s if s.startswith("[") else f".{s}" for s in steps)
    path = parse(text)
    names = _first_of(import_api)
    try:
        compiled = eval(path.expression(), dict(names), {"doc": doc})  # noqa: S307 - our own compiled path
    except (LookupError, TypeError, AttributeError):
        compiled = None
    assert compiled == read(path, doc, {}) and type(compiled) is type(read(path, doc, {}))


def _body(details: Any, status: str = "PERMISSION_DENIED", code: int = 403) -> bytes:
    return json.dumps({"error": {"code": code, "message": "m", "status": status, "details": details}}).encode()


def test_aip193_real_shapes_dispatch(import_api: Any) -> None:
    _, api = import_api(AIP)
    localized = {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "no"}
    info = {"@type": INFO, "reason": "SERVICE_DISABLED", "domain": "googleapis.com", "metadata": {"service": "x"}}
    first = api.from_response(403, _body([info]))
    assert first.code == "SERVICE_DISABLED" and type(first).__name__ == "ServiceDisabledError"
    later = api.from_response(403, _body([localized, {"@type": "type.googleapis.com/google.rpc.Help"}, info]))
    assert type(later) is type(first)  # the ErrorInfo at index 2
    # an ErrorInfo without a reason is skipped for the next one that has it
    assert api.from_response(403, _body([{"@type": INFO}, info])).code == "SERVICE_DISABLED"
    # a reason outside an ErrorInfo is no code: the canonical status
    decoy = api.from_response(403, _body([{"@type": "type.googleapis.com/google.rpc.Help", "reason": "NOT_FOUND"}]))
    assert decoy.code == "PERMISSION_DENIED" and type(decoy).__name__ == "AipPermissionDeniedError"
    unknown = api.from_response(403, _body([dict(info, reason="SOMETHING_NEW")]))
    assert unknown.code == "SOMETHING_NEW"  # kept as sent
    for malformed in (None, "details", 7, {"@type": INFO, "reason": "SERVICE_DISABLED"}, ["x", 3, None, [info]]):
        err = api.from_response(403, _body(malformed))
        assert err.code == "PERMISSION_DENIED", malformed  # not a list of objects: no reason, the status
    html = api.from_response(403, b"<html>Forbidden</html>")
    assert html.status == 403 and html.code is None


def test_aip193_written_back_whole(import_api: Any) -> None:
    _, api = import_api(AIP)
    localized = {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "no"}
    info = {"@type": INFO, "reason": "API_KEY_INVALID", "domain": "googleapis.com", "metadata": {"k": "v"}}
    err = api.from_response(400, _body([localized, info], "INVALID_ARGUMENT", 400))
    status, headers, body = err.to_response()
    assert json.loads(body)["error"]["details"] == [localized, info]  # the ErrorInfo kept its place
    again = api.from_response(status, body, headers)
    assert type(again) is type(err) and again.code == err.code
    fresh = type(err)("API key not valid")  # no detail: the filter's element is written
    status, headers, body = fresh.to_response()
    assert json.loads(body)["error"]["details"] == [{"@type": INFO, "reason": "API_KEY_INVALID"}]
    assert type(api.from_response(status, body, headers)) is type(fresh)


HEAD = "errorsdk: 1\napi: {name: sel, version: 1.0.0, title: Select}\n"


@pytest.mark.parametrize(
    "envelope,expected",
    [
        (
            "  code: code\n  items: 'errors[*]'\n",
            r"spec.yaml:5:\d+: 'errors\[\*\]': the list of errors cannot be read through a select step",
        ),
        (
            "  code: e.code\n  error_flag: {path: 'r[?a==1].ok', equals: false}\n",
            r"spec.yaml:5:\d+: 'r\[\?a==1\]\.ok': the success flag cannot",
        ),
        (
            "  items: errors\n  code: 'x[?t==\"i\"].code'\n",
            r"spec.yaml:5:\d+: to_response\(\) cannot write this: a filter \(\[\?key==value\]\) inside each error",
        ),
        (
            "  code: 'd[?reason==\"X\"].reason'\n",
            r"spec.yaml:4:\d+: to_response\(\) cannot write this: .*both at 'd\[0\]\.reason'",
        ),
        ("  code: 'd[?reason=X].code'\n", r"spec.yaml:4:\d+: invalid path: expected '==' .*\(column 10 of the path\)"),
    ],
)
def test_select_misuse_is_refused(tmp_path: Path, envelope: str, expected: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + "envelope:\n" + envelope + "errors:\n  - {code: X, status: 400, message: x}\n", "utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert re.search(expected, str(info.value)), str(info.value)
