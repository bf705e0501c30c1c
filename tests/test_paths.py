"""The envelope path language: parsing, and compiled expressions agreeing with a walk."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from errorsdk.spec.paths import PathError, parse


@pytest.mark.parametrize(
    "text,expression",
    [
        ("message", "doc.get('message')"),
        ("error.reason", "(doc.get('error') or _EMPTY).get('reason')"),
        (
            "errors[0].extensions.code",
            "(((doc.get('errors') or _NO_ITEMS)[0] or _EMPTY).get('extensions') or _EMPTY).get('code')",
        ),
        ("errors[-1]", "(doc.get('errors') or _NO_ITEMS)[-1]"),
        ("$", "doc"),
        ("$[2]", "doc[2]"),
        ('["odd.key"].x', "(doc.get('odd.key') or _EMPTY).get('x')"),
        ("['it''s']", None),
        ("header:X-Error-Code", "headers.get('x-error-code')"),
        ("a-b.c_d", "(doc.get('a-b') or _EMPTY).get('c_d')"),
    ],
)
def test_parse(text: str, expression: str | None) -> None:
    if expression is None:
        with pytest.raises(PathError):
            parse(text)
    else:
        assert parse(text).expression() == expression


@pytest.mark.parametrize("text", ["", " a", "a..b", "a[", "a[x]", "a[0", "1a", "a.", "header:", "header:a b", "a b"])
def test_invalid_paths(text: str) -> None:
    with pytest.raises(PathError):
        parse(text)


keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True) | st.text(max_size=6).filter(
    lambda s: '"' not in s
)
steps = st.lists(st.one_of(keys, st.integers(min_value=-3, max_value=3)), max_size=5)


def _text(path_steps: list[str | int]) -> str:
    out = "$"
    for step in path_steps:
        out += f"[{step}]" if isinstance(step, int) else f'["{step}"]'
    return out


def _walk(doc: Any, path_steps: list[str | int]) -> Any:
    for step in path_steps:
        doc = doc[step]
    return doc


@given(steps, st.integers())
def test_compiled_expression_reads_what_a_walk_reads(path_steps: list[str | int], leaf: int) -> None:
    doc: Any = leaf
    for step in reversed(path_steps):
        doc = [0] * (abs(step) + 1) if isinstance(step, int) else {step: None}
        doc[step] = leaf if doc is None else doc[step]
    # Build a document where the path leads to `leaf`.
    built: Any = leaf
    for step in reversed(path_steps):
        if isinstance(step, int):
            container: Any = [None] * (abs(step) + 1)
            container[step] = built
        else:
            container = {step: built}
        built = container
    path = parse(_text(path_steps))
    assert (
        eval(path.expression(), {"doc": built, "headers": {}, "_EMPTY": {}, "_NO_ITEMS": ()})
        == _walk(built, path_steps)
        == leaf
    )  # noqa: S307


json_docs = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-3, max_value=3) | st.sampled_from(["", "x", "abc"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


def _read(expression: str, doc: Any) -> Any:
    try:
        return eval(expression, {"doc": doc, "headers": {}, "_EMPTY": {}, "_NO_ITEMS": ()})  # noqa: S307
    except (LookupError, TypeError, AttributeError):  # as the generated readers catch
        return None


def _subscript_read(doc: Any, path_steps: list[str | int]) -> Any:
    try:  # the reference: plain subscripts, as paths read before .get chains
        return _walk(doc, path_steps)
    except (LookupError, TypeError):
        return None


@given(steps, json_docs)
def test_compiled_expression_reads_like_subscripts_on_any_document(path_steps: list[str | int], doc: Any) -> None:
    # The .get chain must read what subscripts would on any document, whatever is
    # missing, null, empty or of the wrong type along the way.
    assert _read(parse(_text(path_steps)).expression(), doc) == _subscript_read(doc, path_steps)
