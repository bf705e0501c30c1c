"""Typed error details: JSON Schemas in specs become models (one case per model style)."""

from __future__ import annotations

import copy
import dataclasses
import json
import keyword
import pickle
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import load_spec

from .conftest import CASES, ROOT, SPECS

STYLES = ("dataclasses", "pydantic", "typeddict")
CASE = {p.stem: p for p in CASES}
SEED = {p.stem: p for p in SPECS}
STYLE_CASE = {style: CASE[f"details_{style}"] for style in STYLES}


def _api(import_api: Any, style: str) -> Any:
    return import_api(STYLE_CASE[style])[1]


def _error(api: Any, cls: type, detail: Any) -> Any:
    body = json.dumps({"code": cls.CODE, "message": "m", "detail": detail})
    err = api.from_response(cls.STATUS, body)
    assert type(err) is cls
    return err


FIELDS = [{"field": "a.b", "message": "bad", "location": {"line": 3, "class": "x"}}, {"field": "c", "message": "m"}]
QUOTA = {"limit": 10, "window": "minute", "resets": [1, 2], "retry-after": 30, "remaining": 1}


def _get(value: Any, name: str) -> Any:
    """A field of a model whatever its style (TypedDicts are dicts)."""
    return value[name] if isinstance(value, dict) else getattr(value, name)


@pytest.mark.parametrize("style", STYLES)
def test_nested_objects_and_lists_become_models(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    err = _error(api, api.InvalidError, FIELDS)
    assert "_detail_state" not in err.__dict__  # dispatch does not touch the detail
    detail = err.detail
    assert err.detail is detail  # checked once, then cached
    assert err.detail_error is None and err.raw_detail == FIELDS
    first = detail[0]
    assert _get(first, "field") == "a.b" and _get(detail[1], "message") == "m"
    location = _get(first, "location")
    if style == "typeddict":
        assert isinstance(first, dict) and location == {"line": 3, "class": "x"}
    else:
        assert type(first) is api.models.FieldError and type(location) is api.models.Location
        assert location.line == 3 and location.class_ == "x"  # `class` is a keyword
        assert _get(detail[1], "location") is None
    quota = _error(api, api.ThrottledError, QUOTA).detail
    assert _get(quota, "retry-after" if style == "typeddict" else "retry_after") == 30
    assert _get(quota, "window") == "minute" and _get(quota, "resets") == [1, 2]
    assert float(_get(quota, "remaining")) == 1.0


@pytest.mark.parametrize("style", STYLES)
def test_a_mismatch_never_raises_and_keeps_the_raw_detail(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    for bad in ([{"field": 1, "message": "m"}], {"field": "a"}, [{"message": "no field"}], "text", 3):
        err = _error(api, api.InvalidError, bad)
        assert err.detail is None
        assert isinstance(err.detail_error, str) and err.detail_error
        assert err.raw_detail == bad
    quiet = _error(api, api.InvalidError, None)  # no detail at all is not a mismatch
    assert quiet.detail is None and quiet.detail_error is None


@pytest.mark.parametrize("style", STYLES)
def test_each_owner_checks_against_its_own_schema(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    pair = {"first": FIELDS[1], "second": FIELDS[1]}
    assert _error(api, api.ConflictingFieldsError, pair).detail_error is None  # the error's own
    assert _error(api, api.ConflictingFieldsError, FIELDS).detail is None  # not the category's
    assert _error(api, api.InvalidError, pair).detail is None
    trace = _error(api, api.MissingError, {"trace_id": "t", "hints": ["h"]}).detail  # the API's
    assert _get(trace, "trace_id") == "t"
    unknown = api.from_response(422, json.dumps({"code": "brand_new", "detail": FIELDS}))
    assert type(unknown) is api.ValidationError and _get(unknown.detail[0], "field") == "a.b"


@pytest.mark.parametrize("style", STYLES)
def test_response_round_trip_and_pickle_after_access(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    err = _error(api, api.InvalidError, FIELDS)
    assert _get(err.detail[0], "field") == "a.b"
    status, headers, body = err.to_response()
    assert json.loads(body)["detail"] == FIELDS  # the raw detail goes back out
    for again in [pickle.loads(pickle.dumps(err, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)] + [
        copy.deepcopy(err)
    ]:
        assert type(again) is type(err) and again.detail == err.detail and again.raw_detail == FIELDS


def test_seed_examples_match_their_schemas(import_api: Any) -> None:
    _, flux = import_api(SEED["flux"])
    err = flux.from_response(
        422, b'{"error_code": "unknown_field", "detail": [{"field": "where.x", "message": "Unknown"}]}'
    )
    assert type(err) is flux.UnknownFieldError  # every 422 code has the category's schema
    from flux_errors.models import FieldError

    assert err.detail == [FieldError(field="where.x", message="Unknown")]
    denied = flux.from_response(403, b'{"error_code": "access_denied", "detail": {"folder": "7c9h4pwu"}}')
    assert denied.detail == {"folder": "7c9h4pwu"} and denied.detail_error is None  # no schema: raw JSON
    for spec in SPECS:
        checked, api = import_api(spec)
        base = getattr(api, checked.class_prefix + "Error")
        for entry, cls_name in zip(checked.spec.errors, checked.class_names):
            if entry.example is None or entry.status is None:
                continue
            got = api.from_response(entry.status, json.dumps(entry.example))
            assert isinstance(got, base) and got.detail_error is None, (cls_name, got.detail_error)
    _, gql = import_api(SEED["flow_graphql"])
    body = {"errors": [{"message": "m", "extensions": {"code": "ERROR_CODE", "path": ["x"]}}, {"message": "n"}]}
    group = gql.from_response(200, json.dumps(body))
    assert group.errors[0].detail == {"code": "ERROR_CODE", "path": ["x"]}  # other keys kept
    assert group.errors[1].detail is None and group.errors[1].detail_error is None


# --- mypy: err.detail[0].field is str, for each style -----------------------------------

USER_CODE = {
    "dataclasses": "details_dc_errors",
    "pydantic": "details_pd_errors",
    "typeddict": "details_td_errors",
}
SNIPPET = """
from typing import assert_type

import {pkg} as api
from {pkg} import models


def use(status: int, body: bytes) -> None:
    err = api.from_response(status, body)
    if isinstance(err, api.InvalidError) and err.detail is not None:
        assert_type(err.detail, models.ValidationDetail)
        assert_type(err.detail[0]{field}, str)
        assert_type(err.detail[0]{location}, models.Location | None)
        err.detail[0]{nope}  # type: ignore[{nope_code}]
    if isinstance(err, api.ThrottledError) and err.detail is not None:
        assert_type(err.detail{window}, Literal["second", "minute", "hour"])
    if isinstance(err, api.ValidationError):
        assert_type(err.detail, models.ValidationDetail | models.ConflictingFieldsDetail | None)
    if err is not None:
        assert_type(err.raw_detail, api.JSONValue)
        assert_type(err.detail_error, str | None)
"""
FLUX_SNIPPET = """
from typing import assert_type

import flux_errors
from flux_errors.models import FieldError


def use(body: bytes) -> None:
    err = flux_errors.from_response(422, body)
    if isinstance(err, flux_errors.FluxValidationError) and err.detail:
        assert_type(err.detail[0], FieldError)
        assert_type(err.detail[0].field, str)
    if isinstance(err, flux_errors.AccessDeniedError):
        assert_type(err.detail, flux_errors.JSONValue)  # no schema: the raw JSON value
"""


def _snippet(style: str) -> str:
    if style == "typeddict":
        parts = dict(
            field='["field"]',
            location='.get("location")',
            nope='["nope"]',
            nope_code="typeddict-item",
            window='["window"]',
        )
    else:
        parts = dict(field=".field", location=".location", nope=".nope", nope_code="attr-defined", window=".window")
    text = SNIPPET.format(pkg=USER_CODE[style], **parts)
    return text.replace("from typing import assert_type", "from typing import Literal, assert_type")


def test_user_code_type_checks_for_every_style(tmp_path: Path, case_output_dir: Path) -> None:
    files = []
    for style in STYLES:
        name = f"use_{style}.py"
        (tmp_path / name).write_text(textwrap.dedent(_snippet(style)))
        files.append(name)
    (tmp_path / "use_flux.py").write_text(textwrap.dedent(FLUX_SNIPPET))
    files.append("use_flux.py")
    path = ":".join(
        [str(case_output_dir / pkg) for pkg in USER_CODE.values()] + [str(ROOT / "generated" / "flux_errors")]
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"MYPYPATH": path, "PATH": "/usr/bin:/bin"},
    )
    # --strict reports unused "type: ignore"s: the wrong field names above must be errors.
    assert result.returncode == 0, result.stdout + result.stderr


# --- properties: valid instances round-trip, anything else never raises --------------


def _closed(schema: Any) -> Any:
    """The schema with no extra object members, so that instances round-trip exactly."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def _py_key(key: str) -> str:
    return key + "_" if keyword.iskeyword(key) else re.sub(r"\W", "_", key)


def _plain(value: Any) -> Any:
    """Models back to JSON-like data: Python field names, no None members, floats as floats."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump(exclude_none=True))
    if isinstance(value, dict):
        return {_py_key(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


OWNERS = ("InvalidError", "ConflictingFieldsError", "ThrottledError", "MissingError")
_STRATEGIES: dict[tuple[str, str], Any] = {}


def _instances(style: str, class_name: str, model: str) -> Any:
    """Instances of a model's schema (built once per model: from_schema is slow)."""
    key = (style, class_name)
    if key not in _STRATEGIES:
        details = load_spec(STYLE_CASE[style]).details
        assert details is not None
        defs = details.document["$defs"]
        _STRATEGIES[key] = from_schema(_closed({**defs[model], "$defs": defs}))
    return _STRATEGIES[key]


@pytest.mark.parametrize("style", STYLES)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data(), class_name=st.sampled_from(OWNERS))
def test_valid_details_round_trip(style: str, import_api: Any, data: st.DataObject, class_name: str) -> None:
    api = _api(import_api, style)
    cls = getattr(api, class_name)
    instance = data.draw(_instances(style, class_name, cls._DETAIL_PARSER.name))
    err = _error(api, cls, instance)
    assert err.detail_error is None, err.detail_error
    assert _plain(err.detail) == _plain(instance)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["field", "message", "location", "line", "limit", "window", "first", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("style", STYLES)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=json_values, class_name=st.sampled_from(OWNERS))
def test_any_detail_never_raises(style: str, import_api: Any, raw: Any, class_name: str) -> None:
    api = _api(import_api, style)
    err = _error(api, getattr(api, class_name), raw)
    detail, problem = err.detail, err.detail_error
    assert err.raw_detail == raw
    assert (detail is None) == (raw is None or problem is not None)


# --- bad schemas are spec errors with file:line:column ----------------------------------

GOOD = """\
errorsdk: 1
api: {name: demo, version: 1.0.0, title: Demo}
envelope: {code: code, detail: detail}
schemas:
  Item:
    type: object
    properties: {name: {type: string}}
errors:
  - code: bad
    status: 422
    message: Bad
    detail_schema: {type: array, items: {$ref: '#/schemas/Item'}}
"""

BAD = [
    (
        "invalid type",
        GOOD.replace("{name: {type: string}}", "{name: {type: strng}}"),
        "7:25: invalid JSON Schema at properties/name/type",
    ),
    (
        "dangling ref",
        GOOD.replace("'#/schemas/Item'", "'#/schemas/Iten'"),
        "12:42: $ref '#/schemas/Iten' names no schema",
    ),
    ("foreign ref", GOOD.replace("'#/schemas/Item'", "'other.json#/Item'"), "is not supported"),
    (
        "schema name",
        GOOD.replace("  Item:", "  item:").replace("/Item'", "/item'"),
        "5:3: schema name 'item' is not a PascalCase",
    ),
    (
        "properties list",
        GOOD.replace("properties: {name: {type: string}}", "properties: [name]"),
        "7:5: invalid JSON Schema at properties",
    ),
    ("model style", GOOD.replace("title: Demo", "title: Demo, models: attrs"), "api.models"),
    ("taken name", GOOD.replace("  Item:", "  BadDetail: {type: string}\n  Item:"), "would be named 'BadDetail'"),
    ("category", GOOD + "categories: {validaton: {detail_schema: {type: object}}}\n", "validaton"),
    (
        "no detail path",
        GOOD.replace(", detail: detail}", "}"),
        "12:5: a detail schema is given, but the envelope has no 'detail'",
    ),
]


@pytest.mark.parametrize("name,text,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_schema_is_reported_with_position(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert expected in str(info.value), str(info.value)


def test_good_schema_passes(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(GOOD, encoding="utf-8")
    details = load_spec(path).details
    assert details is not None and details.errors == ("BadDetail",)
    assert details.document["$defs"]["BadDetail"]["items"] == {"$ref": "#/$defs/Item"}


def test_every_schema_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace(
        "{name: {type: string}}", "{name: {type: strng}, other: {$ref: '#/schemas/Nope'}}\n    required: name"
    )
    text = text.replace("'#/schemas/Item'}}", "'http://x/y.json'}}")
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    messages = [d.message for d in info.value.diagnostics]
    assert len(messages) == 4, messages
    assert [d.line for d in info.value.diagnostics] == [7, 7, 8, 13]
