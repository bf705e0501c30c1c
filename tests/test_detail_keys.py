"""Typed details lose nothing: JSON keys that are not Python names, unknown members,
null against absent, NFKC-equal names, unions that recurse (bounded work), in every style."""

from __future__ import annotations

import copy
import importlib
import itertools
import json
import os
import re
import subprocess
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from errorsdk.model.data import DetailModels
from errorsdk.rendering.models import depth_limits, render_models

from .conftest import CASES

STYLES = ("dataclasses", "pydantic", "typeddict")
CASE = {p.stem: p for p in CASES}
PACKAGE = {"dataclasses": "details_dc_errors", "pydantic": "details_pd_errors", "typeddict": "details_td_errors"}


def _api(import_api: Any, style: str) -> Any:
    return import_api(CASE[f"details_{style}"])[1]


def _detail_module(api: Any) -> Any:
    return importlib.import_module(api.__name__ + "._detail")


def _send(api: Any, cls: type, detail: Any) -> Any:
    err = api.from_response(cls.STATUS, json.dumps({"code": cls.CODE, "message": "m", "detail": detail}))
    assert type(err) is cls
    return err


DISCORD = {"code": 50035, "errors": {"name": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "Required"}]}}}
HAL = {
    "_links": {"self": {"href": "/orders/1"}, "next": {"href": "/orders/2"}},
    "_embedded": {"items": [1, 2]},
    "@type": "Order",
    "$ref": "#/x",
    "a-b": 1,
    "a.b": 2.5,
    "a_b": True,
    "__x": "dunder",
    "field": "plain",
    "\ufb01eld": "ligature",
    "class": None,
    "unknown": {"kept": [1, None]},
}


@pytest.mark.parametrize("style", STYLES)
def test_discord_errors_keep_their_underscore_keys(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    err = _send(api, api.InvalidFormBodyError, DISCORD)
    assert err.detail_error is None, err.detail_error
    detail = err.detail
    if style == "typeddict":
        assert detail["errors"]["name"]["_errors"][0]["code"] == "BASE_TYPE_REQUIRED"
    else:
        assert detail.errors["name"].field_errors[0].code == "BASE_TYPE_REQUIRED"
    assert _detail_module(api).to_json(detail) == DISCORD
    assert json.loads(err.to_response()[2])["detail"] == DISCORD


@pytest.mark.parametrize("style", STYLES)
def test_every_awkward_key_and_unknown_member_round_trips(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    err = _send(api, api.HalConflictError, HAL)
    assert err.detail_error is None, err.detail_error
    detail = err.detail
    if style == "typeddict":
        assert detail == HAL  # the declared keys are the JSON keys; unknown members stay
    else:
        assert (detail.field, detail.field_1) == ("plain", "ligature")  # NFKC-equal names kept apart
        assert (detail.a_b, detail.a_b_1, detail.a_b_2, detail.field__x) == (1, 2.5, True, "dunder")
        assert detail.field_links.self.href == "/orders/1" and detail.field_type == "Order"
    assert _detail_module(api).to_json(detail) == HAL
    # null and absent stay apart, as do present and absent optional members
    for partial in ({"class": None}, {}, {"field": "x"}):
        assert _detail_module(api).to_json(_send(api, api.HalConflictError, partial).detail) == partial


@pytest.mark.parametrize("style", STYLES)
def test_an_integer_where_the_schema_says_number_stays_exact(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    for number in (2**53 + 1, 10**30 + 7, -(2**63) - 1, 0.1):
        err = _send(api, api.HalConflictError, {"a.b": number})
        got = err.detail["a.b"] if style == "typeddict" else err.detail.a_b_1
        assert got == number and type(got) is type(number), (got, err.detail_error)
        assert _detail_module(api).to_json(err.detail) == {"a.b": number}


@pytest.mark.parametrize("style", STYLES)
def test_a_closed_model_reports_unknown_members(style: str, import_api: Any) -> None:
    api = _api(import_api, style)
    bad = copy.deepcopy(DISCORD)
    bad["errors"]["name"]["_errors"][0]["extra"] = 1  # Problem says additionalProperties: false
    err = _send(api, api.InvalidFormBodyError, bad)
    assert err.detail is None and err.raw_detail == bad
    assert err.detail_error is not None and re.search("extra|unexpected|Extra", err.detail_error), err.detail_error


# --- the declared types agree with the runtime keys (mypy --strict), for TypedDicts ----------

TYPEDDICT_USE = """
from typing import assert_type

import details_td_errors as api
from details_td_errors import models


def use(err: api.DetailsTdError | None) -> list[str]:
    seen: list[str] = []
    if isinstance(err, api.InvalidFormBodyError) and err.detail is not None:
        assert_type(err.detail, models.Discord)
        problems = err.detail.get("errors", {})["name"]["_errors"]
        assert_type(problems, list[models.Problem])
        seen.append(problems[0]["code"])
    if isinstance(err, api.HalConflictError) and err.detail is not None:
        hal = err.detail
        assert_type(hal.get("\ufb01eld"), str | None)
        assert_type(hal.get("__x"), str | None)
        assert_type(hal.get("a-b"), int | None)
        assert_type(hal.get("_links", {}).get("self", {"href": ""})["href"], str)
        seen += [hal["field"], hal["\ufb01eld"], hal["__x"], hal["@type"], hal["$ref"], str(hal["a_b"])]
        hal["field_errors"]  # type: ignore[typeddict-item]
    return seen
"""


def test_typeddict_keys_type_check_and_exist_at_runtime(tmp_path: Path, case_output_dir: Path, import_api: Any) -> None:
    (tmp_path / "use_td.py").write_text(textwrap.dedent(TYPEDDICT_USE), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", "use_td.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(case_output_dir / PACKAGE["typeddict"]), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr  # --strict: the ignore above must be needed
    api = _api(import_api, "typeddict")
    namespace: dict[str, Any] = {}
    exec(compile(TYPEDDICT_USE.replace('        hal["field_errors"]', "        pass"), "use_td.py", "exec"), namespace)
    assert namespace["use"](_send(api, api.InvalidFormBodyError, DISCORD)) == ["BASE_TYPE_REQUIRED"]
    assert namespace["use"](_send(api, api.HalConflictError, HAL)) == [
        "plain",
        "ligature",
        "dunder",
        "Order",
        "#/x",
        "True",
    ]


# --- unions that recurse: linear (standard library) or bounded (pydantic) -------------------

COND = {
    "anyOf": [
        {
            "type": "object",
            "required": ["all"],
            "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/Cond"}}},
        },
        {
            "type": "object",
            "required": ["all", "flag"],
            "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/Cond"}}, "flag": {"type": "boolean"}},
        },
    ]
}
_COUNTER = itertools.count()


def _models_package(tmp: Path, style: str, defs: dict[str, Any], case_output_dir: Path) -> tuple[Any, Any]:
    """models.py for ``defs`` beside the style's own _detail.py, imported under a fresh name."""
    name = f"detail_keys_{style}_{next(_COUNTER)}"
    folder = tmp / name
    folder.mkdir(parents=True)
    document = {"$defs": defs}
    source = render_models(DetailModels(style, json.dumps(document), tuple(defs)), "spec.yaml", "# test")
    (folder / "models.py").write_text(source, encoding="utf-8")
    (folder / "_detail.py").write_bytes((case_output_dir / PACKAGE[style] / PACKAGE[style] / "_detail.py").read_bytes())
    (folder / "__init__.py").write_text("", encoding="utf-8")
    if str(tmp) not in sys.path:
        sys.path.insert(0, str(tmp))
    return importlib.import_module(f"{name}.models"), importlib.import_module(f"{name}._detail")


def _nested(depth: int) -> Any:
    """A Cond nested ``depth`` deep whose innermost object matches no arm (both miss 'all')."""
    value: Any = {}
    for _ in range(depth):
        value = {"all": [value]}
    return value


@pytest.mark.parametrize("style", ["dataclasses", "typeddict"])
def test_recursive_unions_are_checked_in_linear_work(
    style: str, tmp_path: Path, case_output_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models, detail = _models_package(tmp_path, style, {"Cond": COND}, case_output_dir)
    calls = 0
    inner = detail._Check._convert

    def counted(self: Any, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        return inner(self, *args)

    monkeypatch.setattr(detail._Check, "_convert", counted)
    work = {}
    for depth in (9, 18, 36):
        calls = 0
        with pytest.raises(detail.DetailMismatch) as info:
            detail.DetailParser("Cond")(_nested(depth))
        assert len(str(info.value)) <= 2 * detail._MESSAGE_LIMIT  # 86 MB before: every arm's message, nested
        work[depth] = calls
    assert work[36] <= 2.5 * work[18] and work[18] <= 2.5 * work[9], work  # linear, not 2**depth
    good = {"all": [_nested(3) | {"flag": True}]}
    good["all"][0]["all"] = [{"all": []}]
    assert detail.to_json(detail.DetailParser("Cond")(good)) == good
    deep = _nested(detail.MAX_DEPTH)  # beyond the bound: refused with a reason, not a RecursionError
    with pytest.raises(detail.DetailMismatch, match="deeper than"):
        detail.DetailParser("Cond")(deep)


def test_pydantic_recursive_unions_are_bounded(tmp_path: Path, case_output_dir: Path) -> None:
    limit = depth_limits({"$defs": {"Cond": COND}}, ("Cond",))["Cond"]
    assert depth_limits({"$defs": {"Cond": COND, "Flat": {"type": "object"}}}, ("Flat",)) == {}
    models, detail = _models_package(tmp_path, "pydantic", {"Cond": COND}, case_output_dir)
    assert models.DEPTH_LIMITS == {"Cond": limit}
    parse = detail.DetailParser("Cond")
    for depth in range(1, 10):
        raw = _nested(depth)
        with pytest.raises(detail.DetailMismatch) as info:
            parse(raw)
        message = str(info.value)
        assert len(message) <= detail._MESSAGE_LIMIT
        if detail.nesting(raw) > limit:
            assert "checked to" in message
        else:  # pydantic's own count of what it tried: bounded by the budget
            found = re.match(r"(\d+) validation errors", message)
            assert found and int(found.group(1)) <= 4096, message
    ok = {"all": [{"all": [], "flag": True}]}
    assert detail.to_json(parse(ok)) == ok


# --- property: random schemas with renamed keys round-trip in every style -------------------

AWKWARD = [
    "_errors",
    "_links",
    "_embedded",
    "@type",
    "$ref",
    "$id",
    "class",
    "def",
    "None",
    "True",
    "a-b",
    "a.b",
    "a_b",
    "aB",
    "a b",
    "__x",
    "__init__",
    "field",
    "\ufb01eld",
    "\uff46ield",
    "1st",
    "",
    "model_config",
    "self",
    "dict",
    "str",
    "json",
    "x-y-z",
    "\u00fc",
    "\u00b5",
    "schema",
    "copy",
    "fields",
    "__errorsdk_json__",
    "id",
    "type",
]
SCALARS = st.sampled_from(
    [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": ["string", "null"]}, {"type": "number"}]
)


def _object(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    @st.composite
    def build(draw: st.DrawFn) -> Any:
        keys = draw(st.lists(st.sampled_from(AWKWARD), min_size=1, max_size=6, unique=True))
        schema: dict[str, Any] = {"type": "object", "properties": {k: draw(children) for k in keys}}
        required = [k for k in keys if draw(st.booleans())]
        if required:
            schema["required"] = required
        closed = draw(st.sampled_from([None, False]))
        if closed is not None:
            schema["additionalProperties"] = closed
        return schema

    return build()


SCHEMAS = st.recursive(
    SCALARS,
    lambda inner: (
        _object(inner)
        | st.builds(lambda s: {"type": "array", "items": s}, inner)
        | st.builds(lambda a, b: {"anyOf": [a, b]}, _object(inner), _object(inner) | SCALARS)
    ),  # unions of models
    max_leaves=8,
)
TOP = _object(SCHEMAS)


def _declared(style: str, models: Any, detail: Any, name: str) -> set[str]:
    """The JSON keys a model declares, read the way its style declares them."""
    cls = getattr(models, name)
    if style == "typeddict":
        return set(typing.get_type_hints(cls))
    if style == "pydantic":
        return {n if f.alias is None else f.alias for n, f in cls.model_fields.items()}
    return {key for _, key, _, _ in detail._dataclass_fields(cls)}


@pytest.mark.parametrize("style", STYLES)
@settings(
    max_examples=25 if os.environ.get("ERRORSDK_HEAVY") else 3,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example generates models (~1 s)
    # hypothesis-jsonschema filters the instances of some unions a lot
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data(), schemas=st.lists(TOP, min_size=1, max_size=3))
def test_random_awkward_keys_round_trip(
    style: str, tmp_path: Path, case_output_dir: Path, import_api: Any, data: st.DataObject, schemas: list[Any]
) -> None:
    defs = {f"Model{i}": s for i, s in enumerate(schemas)}
    models, detail = _models_package(tmp_path, style, defs, case_output_dir)
    api = _api(import_api, style)

    class Carrier(api.InvalidError):  # a real error class, checking against the drawn model
        pass

    for name, schema in defs.items():
        assert _declared(style, models, detail, name) == set(schema["properties"]), name
        Carrier._DETAIL_PARSER = detail.DetailParser(name)
        for _ in range(3):
            instance = data.draw(from_schema(schema), label=name)
            err = Carrier("m", detail=instance)
            assert err.detail_error is None, (name, err.detail_error, instance)
            assert detail.to_json(err.detail) == instance  # detail holds every value
            assert json.loads(err.to_response()[2])["detail"] == instance
            if style == "typeddict":
                assert err.detail == instance


# --- whatever from_response accepts, pickling, copying and to_response work ----------------


def _deep(depth: int, shape: str) -> bytes:
    if shape == "list":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("depth", [10, 70, 500, 990])
@pytest.mark.parametrize("shape", ["list", "object"])
def test_deeply_nested_details_pickle_and_copy(style: str, depth: int, shape: str, import_api: Any) -> None:
    import pickle

    api = _api(import_api, style)
    body = b'{"code": "hal_conflict", "detail":' + _deep(depth, shape) + b"}"
    err = api.from_response(409, body)
    if err.raw_detail is None:  # the parser refused it: nothing further to keep
        return
    raw = err.raw_detail
    _ = err.detail_error  # a checked detail is part of the state too
    copies = [pickle.loads(pickle.dumps(err, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)]
    copies += [copy.deepcopy(err), copy.copy(err)]
    # The test's own comparisons (== and json.loads) recurse once a level: room for them,
    # however deep this test is called (the package's operations above needed none).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + 4 * depth)
    try:
        for again in copies:
            assert type(again) is type(err) and again.raw_detail == raw and again.message == err.message
            assert again.detail_error == err.detail_error
        assert json.loads(err.to_response()[2])["detail"] == raw
    finally:
        sys.setrecursionlimit(limit)
