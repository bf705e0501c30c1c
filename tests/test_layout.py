"""The to_response() layout: every envelope ``plan`` accepts reads back what it writes.

Pure Python, so it runs many examples: random paths for every field (keys that
meet, indices of either sign, ``$``, headers, fallback lists, a list of errors, a
success flag), written with ``layout.put`` in the writers' order and read back
with the compiled readers, as the generated package does. Whatever ``plan``
accepts must give back the code, message and status, and read nothing for a
field that was not written; a refused envelope must name a field and a path.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.spec.layout import Layout, header_text, plan, put
from errorsdk.spec.paths import Path, parse

KEYS = ["code", "message", "error", "errors", "detail", "x"]
FIELDS = ("code", "message", "detail", "status", "request_id")


def _text(steps: list[str | int]) -> str:
    out = "".join(f"[{s}]" if isinstance(s, int) else f'["{s}"]' for s in steps)
    return "$" + out


body = st.lists(st.one_of(st.sampled_from(KEYS), st.integers(-2, 2)), max_size=4).map(_text)
one_path = st.one_of(body, body, body, st.sampled_from(["header:X-A", "header:X-B"]))


@st.composite
def envelopes(draw: st.DrawFn) -> tuple[dict[str, tuple[Path, ...]], Path | None, Path | None]:
    paths = {f: tuple(parse(t) for t in draw(st.lists(one_path, max_size=2))) for f in FIELDS}
    items = parse(draw(body)) if draw(st.integers(0, 3)) == 1 else None
    flag = parse(draw(body)) if draw(st.integers(0, 3)) == 1 else None
    return paths, items, flag


def _read(expressions: list[str], doc: Any, headers: dict[str, str]) -> Any:
    for expression in expressions:
        try:
            value = eval(expression, {"doc": doc, "headers": headers, "_EMPTY": {}, "_NO_ITEMS": ()})  # noqa: S307
        except (LookupError, TypeError, AttributeError):
            continue
        if value is not None:
            return value
    return None


def _as_code(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _as_text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value)


def _as_status(value: Any) -> int | None:
    if isinstance(value, str) and value.isdigit() and len(value) == 3:
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599 else None


def render(layout: Layout, values: dict[str, Any], flag_value: Any = False) -> tuple[dict[str, str], Any]:
    """What the generated render_response writes (one error)."""
    headers = {name: header_text(values[f]) for f, name in layout.header_writers if values[f] is not None}
    doc: Any = None
    if layout.items_steps is not None:
        item: Any = None
        for f, steps in layout.item_writers:
            if values[f] is not None:
                item = put(item, steps, values[f])
        doc = put(doc, layout.items_steps, [item if item is not None else {}])
    for f, steps in layout.body_writers:
        if values[f] is not None:
            doc = put(doc, steps, values[f])
    if layout.flag_steps is not None:
        doc = put(doc, layout.flag_steps, flag_value)
    if not isinstance(doc, (dict, list)):
        doc = None  # parse_body reads only a JSON object or array
    return headers, doc


def read_back(
    paths: dict[str, tuple[Path, ...]], items: Path | None, headers: dict[str, str], doc: Any
) -> dict[str, Any]:
    """What the generated dispatch reads: each field from its paths, in the item where there is a list."""
    where = doc
    if items is not None:
        found = _read([items.expression()], doc, headers)
        kept = [i for i in found if isinstance(i, dict)] if isinstance(found, list) else []
        assert kept, (found, doc)
        where = kept[0]
    read = {f: _read([p.expression() for p in paths[f]], doc if f == "request_id" else where, headers) for f in FIELDS}
    return {
        "code": _as_code(read["code"]),
        "message": _as_text(read["message"]),
        "status": _as_status(read["status"]),
        "detail": read["detail"],
        "request_id": _as_text(read["request_id"]),
    }


@settings(max_examples=300)
@given(envelopes(), st.booleans(), st.sampled_from([None, {"k": 1}, [1, 2], "text"]))
def test_every_accepted_layout_reads_back_what_it_writes(envelope: Any, codeless: bool, detail: Any) -> None:
    paths, items, flag = envelope
    layout, conflicts = plan(paths, items, flag, codeless=codeless)
    if conflicts:
        for conflict in conflicts:
            assert conflict.field in (*FIELDS, "items", "flag") and conflict.message and conflict.hint
            if conflict.field in FIELDS:
                assert 0 <= conflict.index < len(paths[conflict.field])
        return
    scenarios = [{"code": "C1", "message": "M", "status": 404, "detail": None, "request_id": None}]
    if codeless:
        scenarios.append({**scenarios[0], "code": None})
    scenarios.append({**scenarios[0], "detail": detail, "request_id": "R"})
    for values in scenarios:
        headers, doc = render(layout, values)
        got = read_back(paths, items, headers, doc)
        for f in ("code", "message", "status", "request_id"):
            if paths[f]:
                assert got[f] == (None if values[f] is None else _as_text(values[f]) if f != "status" else values[f]), (
                    f, got, values, doc, headers
                )
        if values["detail"] is None and paths["detail"]:
            assert got["detail"] is None or isinstance(got["detail"], (dict, list)), (got, doc)


@pytest.mark.parametrize(
    "code,message,detail",
    [
        ("errors[0].code", "errors[-1].message", "errors"),
        ("details[0].issue", "message", "details"),
        ("error.code", "error.message", "error"),
        ("extensions.code", "message", "extensions"),
    ],
)
def test_a_detail_holding_the_other_fields_keeps_its_own_items(code: str, message: str, detail: str) -> None:
    paths = {f: () for f in FIELDS} | {"code": (parse(code),), "message": (parse(message),), "detail": (parse(detail),)}
    layout, conflicts = plan(paths, None, None, codeless=False)
    assert conflicts == []
    given_detail: Any = [{"a": 1}, {"b": 2}, {"c": 3}] if "[" in code else {"kept": True}
    original = json.dumps(given_detail)
    headers, doc = render(layout, {"code": "C", "message": "M", "status": 400, "detail": given_detail, "request_id": None})
    assert json.dumps(given_detail) == original  # the error's own detail is not changed
    got = read_back(paths, None, headers, doc)
    assert (got["code"], got["message"]) == ("C", "M")
    if isinstance(given_detail, list):
        assert len(got["detail"]) == 3 and got["detail"][1] == given_detail[1]  # the others hold code, message
    else:
        assert got["detail"]["kept"] is True
