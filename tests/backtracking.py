"""A backtracking matcher that counts its steps: the yardstick of tests/test_regex_safety.py.

It runs the tree of the standard library's regex parser the way a backtracking
engine such as ``re`` does (branches in order, greedy repeats longest first, lazy
ones shortest first, possessive repeats and atomic groups committed, lookaheads
atomic), and counts every node it tries. A pattern whose count grows polynomially
with the text's length cannot hang ``re`` either (``re`` does the same search,
with shortcuts that only make it faster); an exponential count shows up as a
ratio far above any power of two between two lengths. No clock involved.

Covers what the tests generate: literals, classes, ``.``, groups (capturing,
non-capturing, atomic), alternation, every repeat kind, ``^``, ``$``, lookaheads.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

_Item = tuple[Any, Any]
Cont = Callable[[int], bool]


class OverBudget(Exception):
    """More steps than allowed: the search was stopped."""


class Matcher:
    def __init__(self, pattern: str, budget: int) -> None:
        self.tree = _parser.parse(pattern)
        self.flags = self.tree.state.flags
        self.budget = budget
        self.steps = 0
        self.text = ""
        self.classes: dict[tuple[str, str, int], Any] = {}

    def search(self, text: str) -> bool:
        """Whether the pattern is found in ``text``; ``steps`` counts the nodes tried."""
        self.text = text
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))
        try:
            items = list(self.tree)
            return any(self.seq(items, 0, start, self.flags, lambda _end: True) for start in range(len(text) + 1))
        finally:
            sys.setrecursionlimit(limit)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise OverBudget(self.steps)

    def char_matches(self, op: Any, av: Any, flags: int, char: str) -> bool:
        key = (str(op), repr(av), flags)
        compiled = self.classes.get(key)
        if compiled is None:
            state = _parser.State()
            state.flags = flags
            compiled = self.classes[key] = _compiler.compile(_parser.SubPattern(state, [(op, av)]))
        return compiled.fullmatch(char) is not None

    def seq(self, items: list[_Item], index: int, pos: int, flags: int, k: Cont) -> bool:
        if index == len(items):
            return k(pos)
        op, av = items[index]
        return self.node(op, av, pos, flags, lambda end: self.seq(items, index + 1, end, flags, k))

    def first_end(self, items: list[_Item], pos: int, flags: int) -> int | None:
        found: list[int] = []

        def keep(end: int) -> bool:
            found.append(end)
            return True

        self.seq(items, 0, pos, flags, keep)
        return found[0] if found else None

    def node(self, op: Any, av: Any, pos: int, flags: int, k: Cont) -> bool:
        self.tick()
        text = self.text
        if op in (_parser.LITERAL, _parser.NOT_LITERAL, _parser.ANY, _parser.IN):
            return pos < len(text) and self.char_matches(op, av, flags, text[pos]) and k(pos + 1)
        if op is _parser.AT:
            if av is _parser.AT_BEGINNING or av is _parser.AT_BEGINNING_STRING:
                return pos == 0 and k(pos)
            if av is _parser.AT_END:
                return (pos == len(text) or (pos == len(text) - 1 and text[-1] == "\n")) and k(pos)
            if av is _parser.AT_END_STRING:
                return pos == len(text) and k(pos)
            raise NotImplementedError(av)
        if op is _parser.SUBPATTERN:
            scoped = (flags | av[1]) & ~av[2]
            return self.seq(list(av[3]), 0, pos, scoped, k)
        if op is _parser.BRANCH:
            return any(self.seq(list(branch), 0, pos, flags, k) for branch in av[1])
        if op is _parser.ATOMIC_GROUP:
            end = self.first_end(list(av), pos, flags)
            return end is not None and k(end)
        if op in (_parser.ASSERT, _parser.ASSERT_NOT):
            direction, body = av
            if direction != 1:
                raise NotImplementedError("lookbehind")
            matched = self.first_end(list(body), pos, flags) is not None
            return (matched if op is _parser.ASSERT else not matched) and k(pos)
        if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
            low, high, body = av
            body = list(body)
            greedy = op is _parser.MAX_REPEAT

            def rep(count: int, at: int) -> bool:
                self.tick()

                def more() -> bool:
                    return count < high and self.seq(
                        body, 0, at, flags, lambda end: (end != at or count < low) and rep(count + 1, end)
                    )

                if greedy:
                    return more() or (count >= low and k(at))
                return (count >= low and k(at)) or more()

            return rep(0, pos)
        if op is _parser.POSSESSIVE_REPEAT:
            low, high, body = av
            count, at = 0, pos
            while count < high:
                end = self.first_end(list(body), at, flags)
                if end is None or (end == at and count >= low):
                    break
                count, at = count + 1, end
            return count >= low and k(at)
        raise NotImplementedError(op)


def steps(pattern: str, text: str, budget: int) -> int:
    """The nodes a search of ``text`` tries; raises OverBudget past ``budget``."""
    matcher = Matcher(pattern, budget)
    matcher.search(text)
    return matcher.steps
