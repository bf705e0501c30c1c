"""Docstring literals stay exact through black, whatever the text ends with."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.rendering import literals
from errorsdk.rendering.formatting import format_code


def _doc_after_black(text: str) -> str | None:
    source = format_code(f"class X:\n    {literals.doc(text)}\n")
    namespace: dict[str, object] = {}
    exec(source, namespace)  # noqa: S102 - our own generated source
    doc: str | None = namespace["X"].__doc__  # type: ignore[attr-defined]
    return doc


@pytest.mark.parametrize(
    "text", ["a \\'", 'it\'s "quoted"', "ends in '", 'ends in "', "both ' and \"", "back\\", "x\\'"]
)
def test_docstring_ending_in_a_quote_or_backslash_is_exact(text: str) -> None:
    assert _doc_after_black(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab '\"\\\n\t\x1f")), min_size=1, max_size=12).filter(
        lambda t: t.strip() == t
    )
)
def test_any_stripped_docstring_is_exact_after_black(text: str) -> None:
    assert _doc_after_black(text) == text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_py_literal_evaluates_to_the_value(value: object) -> None:
    """Any plain value, infinities and NaN included (max_retry_after: .inf), is a literal that evaluates back."""
    source = literals.py(value)
    again = eval(source, {"__builtins__": {"float": float}})  # noqa: S307 - the generator's own output
    assert repr(again) == repr(value)  # repr: NaN != NaN, and -0.0 == 0.0
