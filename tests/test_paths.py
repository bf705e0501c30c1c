"""The envelope path language: parsing, and compiled expressions agreeing with a walk."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.paths import PathError, parse


@pytest.mark.parametrize(
    "text,expression",
    [
        ("message", "doc['message']"),
        ("error.reason", "doc['error']['reason']"),
        ("errors[0].extensions.code", "doc['errors'][0]['extensions']['code']"),
        ("errors[-1]", "doc['errors'][-1]"),
        ("$", "doc"),
        ("$[2]", "doc[2]"),
        ('["odd.key"].x', "doc['odd.key']['x']"),
        ("['it''s']", None),
        ("header:X-Error-Code", "headers.get('x-error-code')"),
        ("a-b.c_d", "doc['a-b']['c_d']"),
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
    assert eval(path.expression(), {"doc": built, "headers": {}}) == _walk(built, path_steps) == leaf  # noqa: S307
