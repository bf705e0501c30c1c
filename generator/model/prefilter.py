"""Literals that any match of a rule's message regex must contain: a cheap prefilter.

``required_literals(pattern)`` returns lowercase ASCII strings such that, for every
ASCII string ``s``, ``re.search(pattern, s)`` implies that one of them is in
``s.lower()``; or None when it finds no such set worth using. Generated code can then
skip a regex search when none of the literals is in the lowered message, which
costs far less than a failed search of an alternation that has no literal prefix.

Only for ASCII text. Under ``re.IGNORECASE`` (the Unicode default), ASCII letters
also match some non-ASCII characters: ``k`` matches U+212A KELVIN SIGN and ``s``
matches U+017F LATIN SMALL LETTER LONG S, whose ``lower()`` is itself. So
``(?i)sx`` matches ``"\\u017fx"``, in whose lowercase ``"sx"`` does not appear, and
``str.lower()`` of non-ASCII text may change its length. The caller must check
``text.isascii()`` and run the regex unfiltered otherwise. For the same reason a
non-ASCII literal character of the pattern is never part of a literal (``(?i)`` with
U+212A matches an ASCII ``k``).

The approach is a small form of the required-substring analysis of RE2's
prefilter (an AND/OR tree of strings) and Russ Cox's codesearch trigram index,
and of the inner-literal extraction of Rust's regex-syntax: here only one OR-set
of required strings is kept, chosen per sequence, with no trigrams and no
prefix/suffix tracking. It walks the tree of the standard library's regex parser:

- a run of consecutive ASCII literal characters (groups are opened in place, and
  zero-width anchors and lookarounds do not break it) is a required string;
- an alternation requires the union of what its branches require, and nothing if a
  branch requires nothing;
- a repeat with a minimum of at least one requires what its body requires (runs do
  not cross its boundary); a repeat that may be absent requires nothing;
- a positive lookaround requires what its body requires (it matched inside ``s``);
- everything else (classes, ``.``, negative lookarounds, back-references,
  conditionals) requires nothing and breaks a run.

A sequence keeps its best required set: the one whose shortest member is longest,
then the smallest. The result is None unless every member has at least
``MIN_LENGTH`` characters and there are at most ``MAX_LITERALS`` of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from re import _parser  # type: ignore[attr-defined]  # the stdlib's parser has no stub under this name
from typing import Any

MIN_LENGTH = 2
"""The fewest characters a literal may have; shorter ones filter out too little."""

MAX_LITERALS = 16
"""The most literals a prefilter may have; more would cost about as much as the search they spare."""

Literals = tuple[str, ...]
"""A required set: one member appears in any match; non-empty, none inside another."""

# (opcode, argument) as the parser gives them; the argument's type depends on the opcode.
_Item = tuple[Any, Any]

_ZERO_WIDTH = (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT)
_REPEATS = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT)


def required_literals(pattern: str, flags: int = 0) -> Literals | None:
    """Lowercase ASCII strings, one of which is in ``s.lower()`` for any ASCII ``s``
    that ``re.search(pattern, s, flags)`` matches; None when there is no useful set.

    The rules' patterns are compiled with no flags (``re.compile(pattern)``); inline
    flags such as ``(?i)`` and ``(?x)`` are read by the parser. Raises ``re.error``
    for an invalid pattern, as ``re.compile`` would.
    """
    re.compile(pattern, flags)  # the compiler's checks too (e.g. fixed-width lookbehinds)
    return _sequence(_parser.parse(pattern, flags))


def _sequence(items: Iterable[_Item]) -> Literals | None:
    """The best set that a match of these items in order requires."""
    best: Literals | None = None
    run = ""
    for op, av in _opened(items):
        if op is _parser.LITERAL and av < 128:  # av: the code point
            run += chr(av).lower()
            continue
        if op in _ZERO_WIDTH:  # consumes nothing: the run goes on across it
            found = _sequence(av[1]) if op is _parser.ASSERT else None
        else:
            best = _better(best, _run(run))
            run = ""
            found = _element(op, av)
        best = _better(best, found)
    return _better(best, _run(run))


def _opened(items: Iterable[_Item]) -> Iterator[_Item]:
    """The items with groups (capturing, flag-scoped, atomic) replaced by their contents."""
    for op, av in items:
        if op is _parser.SUBPATTERN:
            yield from _opened(av[3])
        elif op is _parser.ATOMIC_GROUP:
            yield from _opened(av)
        else:
            yield op, av


def _element(op: Any, av: Any) -> Literals | None:
    """What one item that consumes text requires; None for anything not understood."""
    if op is _parser.BRANCH:
        return _union([_sequence(branch) for branch in av[1]])
    if op in _REPEATS:
        low, _high, body = av
        return _sequence(body) if low >= 1 else None
    return None


def _run(text: str) -> Literals | None:
    """A run of literal characters as a required set, if it is long enough."""
    return (text,) if len(text) >= MIN_LENGTH else None


def _union(sets: list[Literals | None]) -> Literals | None:
    """One of the sets is required: all their members, without those holding another."""
    members: dict[str, None] = {}  # in order of appearance, once each
    for each in sets:
        if each is None:
            return None
        members.update(dict.fromkeys(each))
    kept = tuple(m for m in members if not any(other != m and other in m for other in members))
    return kept if len(kept) <= MAX_LITERALS else None


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective set: the longer shortest member, then fewer members; ``a`` on a tie."""
    if a is None or b is None:
        return a if b is None else b
    return b if _score(b) > _score(a) else a


def _score(literals: Literals) -> tuple[int, int]:
    """Higher is more selective: the shortest member's length, then fewer members."""
    return min(map(len, literals)), -len(literals)
