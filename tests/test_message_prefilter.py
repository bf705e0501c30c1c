"""The literals of a message regex's prefilter: some of them is in any ASCII text it matches.

ERRORSDK_HEAVY=1 runs many more examples of the property tests.
"""

from __future__ import annotations

import functools
import itertools
import os
import re

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from errorsdk.model.prefilter import MAX_LITERALS, required_literals

HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))
PROPERTY = settings(
    max_examples=20_000 if HEAVY else 250,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)

GRAPHQL = r"(?i)\bvariables?\b|\bpayload\b|input schema|got invalid value|not defined by type|expected type"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (GRAPHQL, ("variable", "payload", "input schema", "got invalid value", "not defined by type", "expected type")),
        ("abc|.*", None),
        ("(?i)FOO", ("foo",)),
        ("a", None),
        ("a.b", None),
        ("(foo)?bar", ("bar",)),
        ("foo|foobar", ("foo",)),  # a member that holds another adds nothing
        (r"\bno\b", ("no",)),
        ("(?i:ab)(?-i:Cd)", ("abcd",)),  # groups are opened in place, whatever their flags
        ("(?>abc)d", ("abcd",)),
        ("(?x) f o o  # comment", ("foo",)),
        ("abc[de]fg", ("abc",)),
        ("x(?:abc)+y", ("abc",)),
        ("x(?:abc)*y", None),
        ("x(?:abc){0,3}yz", ("yz",)),
        ("a{0}bc", ("bc",)),
        ("(?:abc|de)+", ("abc", "de")),
        ("(?:ab|cd)(?:efg|hij)", ("efg", "hij")),  # the longer shortest member wins
        ("(?i)(?:bad|invalid) request", (" request",)),
        ("(?=.*payload)", ("payload",)),
        ("(?!foo)bar", ("bar",)),
        ("(?<=foo)bar", ("foo",)),
        (r"(ab)\1", ("ab",)),
        (r"(a)?(?(1)xy|zw)", None),
        ("caf\xe9s", ("caf",)),  # a non-ASCII character breaks a run
        ("(?i)\u212aelvin", ("elvin",)),  # U+212A matches an ASCII k under (?i)
    ],
)
def test_literals_of(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_literals(pattern) == expected


def test_flags_are_those_of_the_compiled_pattern() -> None:
    assert required_literals("FOO", re.IGNORECASE) == ("foo",)
    assert required_literals(" f o o ", re.VERBOSE) == ("foo",)


def test_at_most_max_literals() -> None:
    words = [chr(ord("a") + i) * 2 for i in range(MAX_LITERALS + 1)]  # no common prefix
    assert required_literals("|".join(words[:MAX_LITERALS])) == tuple(words[:MAX_LITERALS])
    assert required_literals("|".join(words)) is None


@pytest.mark.parametrize("pattern", ["(", "(?<=a+)b"])
def test_an_invalid_pattern_raises_as_compile_does(pattern: str) -> None:
    with pytest.raises(re.error):
        required_literals(pattern)


def test_only_ascii_text_may_be_prefiltered() -> None:
    """Why the generated code checks isascii(): U+017F matches s under (?i) and lowers to itself."""
    assert required_literals("(?i)sx") == ("sx",)
    assert re.search("(?i)sx", "\u017fx") and "sx" not in "\u017fx".lower()


# A small grammar of patterns: what rules' message regexes are made of. Literal atoms
# come several times over so that most patterns have literals to find.
LITERALS = ["foo", "ab", "Ab", "BAR", "xyz", "x-Y"] * 2 + ["a", "b", "k", "s", " ", "-", r"\.", r"\x41", r"\n"]
OTHERS = [
    ".",
    "[ab]",
    "[^a]",
    r"\d",
    r"\w",
    r"\s",
    "^",
    "$",
    r"\b",
    r"\B",
    r"\A",
    r"\Z",
    "(?<=ab)",
    "(?<!b)",
    "(?<=A )",
]
NON_ASCII = ["\u212a", "\u017f", "\xe9", "[\u212ax]"]  # K and long s match k and s under (?i)
TWINS = str.maketrans({"\u212a": "k", "\u017f": "s", "\xe9": "e"})
GROUPS = ["(", "(?:", "(?i:", "(?-i:", "(?>", "(?=", "(?!"]
UNBOUNDED = ["*", "+", "*?", "+?", "*+", "++"]
BOUNDED = ["?", "??", "?+", "{2}", "{0,2}", "{1,3}", "{0}", "{1,2}?"]
TOPS = ["{}", "{}", "{}|{}", "{}|{}|{}", "({}){}\\1", "({})?{}(?(1){}|{})"]
GLOBAL_FLAGS = ["", "", "(?i)", "(?x)", "(?ai)"]
ASCII = st.characters(codec="ascii")


def _pattern(code: bytes, atoms: list[str]) -> str:
    """The pattern that the bytes choose, one production a byte (read again once they run out).

    Drawing bytes and reading them as choices is much faster than a recursive
    strategy, and shrinks as well: fewer bytes, a smaller pattern. At most four
    repeats, one of them unbounded and not inside another: more, or nested, some
    texts take the regex engine exponential time.
    """
    choices = itertools.cycle(code)
    repeats, unbounded = 4, 1

    def pick(options: list[str]) -> str:
        return options[next(choices) % len(options)]

    def repeat(body: str, may_be_unbounded: bool) -> str:
        nonlocal repeats, unbounded
        if not repeats:
            return body
        repeats -= 1
        if may_be_unbounded and unbounded:
            unbounded -= 1
            return f"(?:{body}){pick(UNBOUNDED)}"
        return f"(?:{body}){pick(BOUNDED)}"

    def node(depth: int, in_repeat: bool) -> str:
        kind = next(choices) % 6 if depth < 3 else next(choices) % 2
        if kind == 0:
            return pick(atoms)
        if kind == 1:
            return repeat(pick(atoms), not in_repeat)
        if kind == 2:
            return "".join(node(depth + 1, in_repeat) for _ in range(2 + next(choices) % 2))
        if kind == 3:
            return "(?:" + "|".join(node(depth + 1, in_repeat) for _ in range(2 + next(choices) % 2)) + ")"
        if kind == 4:
            return f"{pick(GROUPS)}{node(depth + 1, in_repeat)})"
        return repeat(node(depth + 1, True), False)

    flags, top = pick(GLOBAL_FLAGS), pick(TOPS)
    return flags + top.format(*(node(0, False) for _ in range(top.count("{}"))))


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def patterns(non_ascii: bool) -> st.SearchStrategy[str]:
    atoms = LITERALS * 2 + OTHERS + (NON_ASCII if non_ascii else [])
    return st.binary(min_size=8, max_size=48).map(lambda code: _pattern(code, atoms)).filter(_compiles)


ASCII_PATTERNS = patterns(non_ascii=False)
ANY_PATTERNS = patterns(non_ascii=True)


@functools.lru_cache(maxsize=4096)
def _matches(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(pattern, alphabet=ASCII)


def _check(pattern: str, text: str) -> None:
    """If the pattern matches the text and has literals, one of them is in the lowered text."""
    literals = required_literals(pattern)
    if literals is not None and re.search(pattern, text):
        event("matched")
        assert any(literal in text.lower() for literal in literals), (pattern, literals, text)


@PROPERTY
@given(st.data())
def test_any_match_holds_a_literal(data: st.DataObject) -> None:
    pattern = data.draw(ASCII_PATTERNS, label="pattern")
    assume(required_literals(pattern) is not None)
    text = data.draw(_matches(pattern), label="text")
    assert re.search(pattern, text)
    _check(pattern, text)


@PROPERTY
@given(st.data())
def test_any_ascii_text_that_matches_holds_a_literal(data: st.DataObject) -> None:
    """Texts near matches: of the pattern with its non-ASCII letters made ASCII, then recased."""
    pattern = data.draw(ANY_PATTERNS, label="pattern")
    assume(required_literals(pattern) is not None)
    near = data.draw(_matches(pattern.translate(TWINS)), label="near")
    flips = data.draw(st.lists(st.booleans(), min_size=len(near), max_size=len(near)), label="flips")
    _check(pattern, "".join(c.swapcase() if flip else c for c, flip in zip(near, flips)))


@PROPERTY
@given(st.from_regex(GRAPHQL, alphabet=ASCII))
def test_the_graphql_rule(text: str) -> None:
    _check(GRAPHQL, text)
