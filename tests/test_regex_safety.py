"""Patterns that can backtrack catastrophically are rejected; the ones accepted stay polynomial.

The yardstick is tests/backtracking.py, a backtracking matcher that counts steps
(no clock): for every pattern the checker accepts, the steps of a search of
adversarial text grow at most like a small power of its length.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.regex_safety import problems
from errorsdk.spec.validation import load_spec

from .backtracking import Matcher, OverBudget, steps

REJECTED = [
    r"^(a+)+$",  # the message pattern
    r"(\w+\s?)+$",
    r"(a*)*b",
    r"(.*)*x",
    r"(a+){10}$",  # a fixed count of a range repeat: C(n, 10) splits
    r"(?:a?a)+b",
    r"(?i)(?:ab|AB)+c",
    r"(x+x+)+y",
    r"\d+\d+$",  # adjacent, overlapping, then something that can fail
    r".*.*=",
    r".*quota.*exceeded",  # the first .* can read "quota": every split is tried
    r"(?:ab)*(?:ab)*c",
    r"(\d+)(\d+)$",
    r"[^:]*[^#]*$",
    r"(?>(a+)+b)",  # atomic outside, exponential inside
]
ACCEPTED = [
    r"([^:]+)$",  # quadratic under search at most; the text is capped
    r"^(?:[^#]*#)?([^:]*)",
    r"(?i)\bvariables?\b|\bpayload\b|input schema|got invalid value|not defined by type|expected type",
    r"(?i)webhook",
    r"/webhooks$",
    r"(?:\w+\s)+x",
    r"(?:a+b)+",
    r"(a|ab)+",  # the parser factors it into a(?:|b): unambiguous
    r"(\w|\d)+$",  # the parser makes it one class
    r"(?>a+)+$",  # the fixes the hints suggest
    r"(a++)+$",
    r"\d++\d+",
    r"(?:\d{2})+",
    r"^\s*(\w+)\s*$",
    r"(?:[a-z]+\.)++[a-z]+$",  # the fix for (?:[a-z]+\.)+[a-z]+$, which is refused (conservatively)
    r".*foo",
    r".*foo.*",  # the second repeat ends the pattern: nothing after it fails
    r"\d+\d+",
    r"\w+(:.*)",
]


@pytest.mark.parametrize("pattern", REJECTED)
def test_catastrophic_patterns_are_rejected(pattern: str) -> None:
    found = problems(pattern)
    assert found, pattern
    assert all(p.hint and p.snippet for p in found)


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_safe_patterns_are_accepted(pattern: str) -> None:
    assert problems(pattern) == []


@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"(\w+\s?)+$", r"(a*)*b", r"(?:a?a)+b", r".*a.*b", r"a*a*$"])
def test_the_yardstick_sees_the_growth_of_refused_patterns(pattern: str) -> None:
    """The steps of refused patterns grow past the bound: the property below could fail."""
    few = steps(pattern, "a" * SHORT + "!", BUDGET)
    assert few * MAX_RATIO < _steps_or_budget(pattern, "a" * LONG + "!")


def test_a_suggested_fix_is_accepted() -> None:
    (problem,) = problems(r"^(a+)+$")
    assert problem.snippet == "a+" and problem.column == 3
    assert "a++" in problem.hint and "(?>" in problem.hint
    assert problems(r"^(a++)+$") == [] and problems(r"^(?>a+)+$") == []


# -- the property -------------------------------------------------------------------

BUDGET = 400_000
SHORT, LONG = 10, 30
# From 10 to 30 characters a polynomial of degree d grows at most 3**d times
# (lower-order terms only lower the ratio), an exponential past the budget. What
# the checker accepts is linear per match attempt, so quadratic with search's start
# positions (which the length caps bound): at most 9 times; cubic would be 27.
MAX_RATIO = 12

_atoms = st.sampled_from(["a", "b", ".", "[ab]", "[^a]", "a", "(?i:A)"])
_quantifiers = st.sampled_from(["*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "??", "*+", "++", "?+"])


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    repeat = st.tuples(children, _quantifiers).map(lambda t: f"(?:{t[0]}){t[1]}")
    return st.one_of(
        repeat,  # weighted: nested and adjacent repeats are what is under test
        repeat,
        st.lists(children, min_size=2, max_size=3).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        children.map(lambda x: f"({x})"),
        children.map(lambda x: f"(?>{x})"),
        children.map(lambda x: f"(?=a){x}"),
    )


_pieces = st.sampled_from(
    [".*", "a", "b", "[ab]*", "a+", "(?:ab)*", "b+?", "(a|b)+", "(?:a+b)*", "a*+", "(?>.*)", "(?:a|ab)*", "[^b]*"]
)
patterns = st.tuples(
    st.sampled_from(["", "^"]),
    st.one_of(
        st.recursive(_atoms, _extend, max_leaves=5),  # nesting
        st.lists(_pieces, min_size=2, max_size=4).map("".join),  # repeats in a row, literals between
    ),
    st.sampled_from(["", "$", "b", "!"]),
).map("".join)
_units = st.text(alphabet="ab", min_size=1, max_size=3)


def _steps_or_budget(pattern: str, text: str) -> int:
    try:
        return steps(pattern, text, BUDGET)
    except OverBudget:
        return BUDGET


def _quantified(pattern: str) -> int:
    return sum(pattern.count(q) for q in "*+?{") - pattern.count("(?")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(patterns, _units, st.sampled_from(["", "!", "c"]))
def test_what_the_checker_accepts_stays_polynomial(pattern: str, unit: str, tail: str) -> None:
    assume(_quantified(pattern) <= 3)
    assume(not problems(pattern))
    short = (unit * SHORT)[:SHORT] + tail
    long = (unit * LONG)[:LONG] + tail
    few = _steps_or_budget(pattern, short)
    many = _steps_or_budget(pattern, long)
    assert many < BUDGET, f"{pattern!r} on {long!r}: over {BUDGET} steps"
    assert many <= MAX_RATIO * few, f"{pattern!r}: {few} -> {many} steps from {len(short)} to {len(long)} characters"


@settings(max_examples=200, deadline=None)
@given(patterns, st.text(alphabet="ab!", max_size=6))
def test_the_yardstick_agrees_with_re(pattern: str, text: str) -> None:
    """The step counter searches as re does: same answer on every input."""
    assume(_quantified(pattern) <= 3)
    matcher = Matcher(pattern, BUDGET)
    try:
        found = matcher.search(text)
    except OverBudget:
        return
    assert found == bool(re.search(pattern, text)), (pattern, text)


# -- in a spec ------------------------------------------------------------------------

SPEC = """\
errorsdk: 1
api: {{name: redos, version: 1.0.0, title: ReDoS API}}
envelope: {{code: code, message: message}}
codes: {{normalize: '{normalize}'}}
errors:
  - {{code: busy, status: 503, message: Busy}}
rules:
  - {{error: busy, message: '{message}'}}
"""


def test_a_spec_with_a_catastrophic_pattern_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "redos.yaml"
    spec.write_text(SPEC.format(message="^(a+)+$", normalize="(\\w+\\s?)+$"))
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    text = str(caught.value)
    assert "redos.yaml:8:" in text and "redos.yaml:4:" in text, text
    assert "column 3 of the pattern" in text and "a++" in text and "(?>" in text
    spec.write_text(SPEC.format(message="^(a++)+$", normalize="(\\w++\\s?)+$"))
    load_spec(spec)


def test_the_packages_own_patterns_pass_the_check() -> None:
    """Every pattern a generated package compiles (its own and the spec's) passes too."""
    import ast

    from .conftest import GENERATED

    seen = set()
    for source in sorted(GENERATED.glob("*/*/*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "compile" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, (str, bytes)):
                    text = arg.value if isinstance(arg.value, str) else arg.value.decode("latin-1")
                    seen.add(text)
                    assert problems(text) == [], (source, text)
    assert len(seen) >= 5  # the URL, duration and JSON-start patterns at least
