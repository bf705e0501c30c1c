"""Reject regular expressions that can backtrack catastrophically (ReDoS).

The rules' message and path patterns and ``codes.normalize`` search text a server
chose; Python's ``re`` is a backtracking engine, so a pattern such as ``(a+)+$``
takes time exponential in the length of a message like ``aaaa...!``. ``problems``
walks the tree of the standard library's regex parser (``re._parser``) and reports
the two shapes that cause it, the static approach of tools such as rxxr2, RegexStaticAnalysis
and eslint-plugin-regexp's ``no-super-linear-backtracking``, in a simple conservative form:

- **ambiguous repetition** (star height above one over overlapping content): inside a
  repeat that iterates (``+``, ``*``, ``{2,}``, ``{3}``), a choice point (a repeat with
  a range, ``a+``, ``a?``) whose characters overlap what may come right after it: the
  rest of the body, or, when that can be empty, the next iteration's first character
  and what follows the repeat. A failing match then tries every way to split the text
  between the iterations: exponential. The same for an alternation under such a
  repeat whose branches can start with the same character (``(a|ab)+``).
- **overlapping adjacent repeats**: two repeats with a range, one after the other with
  nothing required between them, over overlapping characters (``\\d+\\d+``, ``.*.*``):
  polynomial, a power of the text's length for each such pair.

Possessive repeats (``a++``) and atomic groups (``(?>...)``), new in Python 3.11, do
not backtrack once matched: what they hold is not split again, so they are the fix
the hints suggest (or making the characters disjoint). The analysis is conservative:
it may reject a pattern that is in fact safe (``(?:a|ab)+``), never the reverse for
the shapes above. Characters are compared over a sample: Latin-1, a few characters
that Unicode classes and case folding reach, and every literal and range endpoint
of the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from re import _compiler, _parser  # type: ignore[attr-defined]  # the stdlib's regex parser and compiler have no stubs
from typing import Any

_Item = tuple[Any, Any]
_CHOICE_REPEATS = (_parser.MAX_REPEAT, _parser.MIN_REPEAT)
_REPEATS = (*_CHOICE_REPEATS, _parser.POSSESSIVE_REPEAT)
_CHAR_NODES = (_parser.LITERAL, _parser.NOT_LITERAL, _parser.ANY, _parser.IN)
_EXTRA_SAMPLE = "\u0100\u017f\u0391\u03c9\u0660\u2003\u2028\u212a\u4e2d\U0001f600"


@dataclass(frozen=True)
class Problem:
    """One catastrophic shape: what it is, the piece of the pattern, and the fix."""

    message: str
    snippet: str
    column: int | None  # 1-based column of ``snippet`` in the pattern, when found
    hint: str


def problems(pattern: str) -> list[Problem]:
    """The catastrophic-backtracking shapes of ``pattern``; [] when it has none.

    Raises ``re.error`` for an invalid pattern, as ``re.compile`` would.
    """
    re.compile(pattern)
    tree = _parser.parse(pattern)
    analysis = _Analysis(pattern, tree.state.flags)
    analysis.sequence(list(tree), follow=frozenset(), looped=False, flags=tree.state.flags, cont=[])
    return analysis.found


class _Analysis:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self.found: list[Problem] = []
        self.loops: list[_Item] = []  # the enclosing iterating repeats, innermost last
        self.sample = sorted(set(map(chr, range(256))) | set(_EXTRA_SAMPLE) | set(_literals(pattern)))
        self.cache: dict[tuple[str, str, int], frozenset[str]] = {}

    # -- what items can match ------------------------------------------------------

    def chars(self, op: Any, av: Any, flags: int) -> frozenset[str]:
        """The sample characters one character node matches."""
        key = (str(op), repr(av), flags)
        found = self.cache.get(key)
        if found is None:
            state = _parser.State()
            state.flags = flags
            compiled = _compiler.compile(_parser.SubPattern(state, [(op, av)]))
            found = frozenset(c for c in self.sample if compiled.fullmatch(c))
            self.cache[key] = found
        return found

    def first(self, items: Iterable[_Item], flags: int) -> frozenset[str]:
        """Characters a match of the items in order can start with."""
        result: set[str] = set()
        for op, av in items:
            result |= self.item_first(op, av, flags)
            if not self.nullable(op, av):
                break
        return frozenset(result)

    def item_first(self, op: Any, av: Any, flags: int) -> frozenset[str]:
        if op in _CHAR_NODES:
            return self.chars(op, av, flags)
        if op is _parser.SUBPATTERN:
            return self.first(av[3], _scoped(flags, av))
        if op is _parser.ATOMIC_GROUP:
            return self.first(av, flags)
        if op in _REPEATS:
            return self.first(av[2], flags) if av[1] > 0 else frozenset()
        if op is _parser.BRANCH:
            return frozenset().union(*(self.first(b, flags) for b in av[1]))
        if op is _parser.GROUPREF_EXISTS:
            return self.first(av[1], flags) | (self.first(av[2], flags) if av[2] else frozenset())
        if op is _parser.GROUPREF:
            return frozenset(self.sample)  # whatever the group matched
        return frozenset()  # anchors and lookarounds consume nothing

    def last(self, items: list[_Item], flags: int) -> frozenset[str]:
        """Characters a match of the items in order can end with."""
        result: set[str] = set()
        for op, av in reversed(items):
            result |= self.item_last(op, av, flags)
            if not self.nullable(op, av):
                break
        return frozenset(result)

    def item_last(self, op: Any, av: Any, flags: int) -> frozenset[str]:
        if op is _parser.SUBPATTERN:
            return self.last(list(av[3]), _scoped(flags, av))
        if op is _parser.ATOMIC_GROUP:
            return self.last(list(av), flags)
        if op in _REPEATS:
            return self.last(list(av[2]), flags) if av[1] > 0 else frozenset()
        if op is _parser.BRANCH:
            return frozenset().union(*(self.last(list(b), flags) for b in av[1]))
        if op is _parser.GROUPREF_EXISTS:
            return self.last(list(av[1]), flags) | (self.last(list(av[2]), flags) if av[2] else frozenset())
        return self.item_first(op, av, flags)

    def nullable(self, op: Any, av: Any) -> bool:
        """Whether the item can match the empty string."""
        if op in _CHAR_NODES:
            return False
        if op is _parser.SUBPATTERN:
            return all(self.nullable(*item) for item in av[3])
        if op is _parser.ATOMIC_GROUP:
            return all(self.nullable(*item) for item in av)
        if op in _REPEATS:
            return av[0] == 0 or all(self.nullable(*item) for item in av[2])
        if op is _parser.BRANCH:
            return any(all(self.nullable(*item) for item in b) for b in av[1])
        if op is _parser.GROUPREF_EXISTS:
            return True  # conservatively: the referenced group may have matched ""
        return True  # GROUPREF (may be empty), anchors, lookarounds

    def alphabet(self, items: Iterable[_Item], flags: int) -> frozenset[str]:
        """Every sample character the items can consume anywhere."""
        result: set[str] = set()
        for op, av in items:
            if op in _CHAR_NODES:
                result |= self.chars(op, av, flags)
            elif op is _parser.SUBPATTERN:
                result |= self.alphabet(av[3], _scoped(flags, av))
            elif op is _parser.ATOMIC_GROUP:
                result |= self.alphabet(av, flags)
            elif op in _REPEATS:
                result |= self.alphabet(av[2], flags)
            elif op is _parser.BRANCH:
                for branch in av[1]:
                    result |= self.alphabet(branch, flags)
            elif op is _parser.GROUPREF_EXISTS:
                result |= self.alphabet(av[1], flags) | (self.alphabet(av[2], flags) if av[2] else set())
            elif op is _parser.GROUPREF:
                result |= set(self.sample)
        return frozenset(result)

    # -- the checks ------------------------------------------------------------------

    def sequence(self, items: list[_Item], follow: frozenset[str], looped: bool, flags: int, cont: list[_Item]) -> None:
        """Check the items; ``follow``: what may come after them; ``looped``: whether an
        enclosing repeat iterates (and can re-split them), with no atomic boundary between;
        ``cont``: the items after them, up to where backtracking into them ends."""
        for index, (op, av) in enumerate(items):
            rest = items[index + 1 :]
            after = self.first(rest, flags) | (follow if all(self.nullable(*i) for i in rest) else frozenset())
            self.adjacent(op, av, rest + cont, flags)
            self.item(op, av, after, looped, flags, rest + cont)

    def item(self, op: Any, av: Any, after: frozenset[str], looped: bool, flags: int, cont: list[_Item]) -> None:
        if op is _parser.SUBPATTERN:
            self.sequence(list(av[3]), after, looped, _scoped(flags, av), cont)
        elif op is _parser.ATOMIC_GROUP:
            self.sequence(list(av), frozenset(), False, flags, [])  # committed at its end
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            self.sequence(list(av[1]), frozenset(), False, flags, [])  # lookarounds are atomic
        elif op is _parser.BRANCH:
            branches = av[1]
            if looped:
                starts = [
                    self.first(b, flags) | (after if all(self.nullable(*i) for i in b) else frozenset())
                    for b in branches
                ]
                for i, j in _pairs(len(branches)):
                    if starts[i] & starts[j] and self.branches_overlap(branches[i], branches[j], after, flags):
                        self.report(
                            "an alternation under a repeat whose branches can match the same text",
                            self.loops[-1] if self.loops else (op, av),
                            "make the branches start differently, or put the alternation in an "
                            "atomic group (?>...) so that an iteration is not split again",
                        )
                        break
            for branch in branches:
                self.sequence(list(branch), after, looped, flags, cont)
        elif op is _parser.GROUPREF_EXISTS:
            self.sequence(list(av[1]), after, looped, flags, cont)
            if av[2]:
                self.sequence(list(av[2]), after, looped, flags, cont)
        elif op in _REPEATS:
            low, high, body = av
            body = list(body)
            if op is not _parser.POSSESSIVE_REPEAT and high > low and looped:
                if self.alphabet(body, flags) & after:
                    self.report(
                        "a repeat inside a repeat over overlapping characters (nested quantifiers): "
                        "a failing match tries every way to split the text, exponential in its length",
                        (op, av),
                        f"make the inner repeat possessive ({_possessive(op, av, self.flags)}) or atomic "
                        "((?>...)), or make it and what follows it match different characters",
                    )
                    return  # one report per repeat; its body is judged by the same fix
            iterates = high > 1
            if op is _parser.POSSESSIVE_REPEAT:
                self.sequence(body, frozenset(), False, flags, [])  # no iteration is split again
            else:
                inner = (self.first(body, flags) | after) if iterates else after
                if iterates:
                    self.loops.append((op, av))
                self.sequence(body, inner, looped or iterates, flags, cont)
                if iterates:
                    self.loops.pop()

    def branches_overlap(self, one: Any, two: Any, after: frozenset[str], flags: int) -> bool:
        """Whether two branches that start alike can match the same text (two ways through
        an iteration). Exact for branches of single characters (``ms|m``: only when what
        follows can start with ``s``); any other branches that start alike are taken to."""
        first, second = self.simple(list(one), flags), self.simple(list(two), flags)
        if first is None or second is None:
            return True
        for a, b in zip(first, second, strict=False):  # up to the shorter: the rest is `longer`'s
            if not a & b:
                return False  # they part at a character: one way only
        longer = first if len(first) > len(second) else second
        if len(first) == len(second):
            return True  # the same text both ways
        return bool(longer[min(len(first), len(second))] & after)

    def simple(self, items: list[_Item], flags: int) -> list[frozenset[str]] | None:
        """The characters of a branch that is a run of single characters, else None."""
        if not all(op in _CHAR_NODES for op, _ in items):
            return None
        return [self.chars(op, av, flags) for op, av in items]

    def adjacent(self, op: Any, av: Any, rest: list[_Item], flags: int) -> None:
        """A repeat that can give text back, then, with nothing between them it cannot
        read itself, another repeat over overlapping characters and something that can
        fail: every split between the two is tried, a power of the text's length."""
        for left_op, left_av in _trailing_repeats(op, av):
            left = self.alphabet(left_av[2], flags)
            if self.scan(left, rest, flags, outermost=True) is True:
                self.report(
                    "a repeat followed by another over overlapping characters, with nothing "
                    "between them that the first cannot read: a failing match tries every "
                    "split of the text between them (time a power of its length)",
                    (left_op, left_av),
                    f"make the first possessive ({_possessive(left_op, left_av, self.flags)}), "
                    "make the two match different characters, or drop a leading '.*' "
                    "(a rule's pattern is searched anywhere in the text)",
                )
                return

    def scan(self, left: frozenset[str], items: list[_Item], flags: int, outermost: bool) -> bool | None:
        """Whether a repeat over characters overlapping ``left`` is reached through items
        that ``left`` can read (True), a character it cannot read stops the way (None),
        or neither (False: the items end first)."""
        for index, (op, av) in enumerate(items):
            if op in _REPEATS and av[1] > av[0] and av[1] > 1 and left & self.alphabet(av[2], flags):
                if not outermost or index + 1 < len(items):  # something after it can fail
                    return True
            inner: list[list[_Item]] = []
            if op in _REPEATS:
                inner = [list(av[2])]
            elif op is _parser.SUBPATTERN:
                inner = [list(av[3])]
            elif op is _parser.ATOMIC_GROUP:
                inner = [list(av)]
            elif op is _parser.BRANCH:
                inner = [list(branch) for branch in av[1]]
            elif op is _parser.GROUPREF_EXISTS:
                inner = [list(av[1]), list(av[2] or [])]
            deeper = outermost and index + 1 == len(items) and op in (_parser.SUBPATTERN, _parser.ATOMIC_GROUP)
            if any(self.scan(left, body, flags, deeper) is True for body in inner):
                return True
            if not self.nullable(op, av) and not self.alphabet([(op, av)], flags) <= left:
                return None
        return False

    def report(self, message: str, node: _Item, hint: str) -> None:
        snippet = _unparse([node], self.flags)
        at = self.pattern.find(snippet)
        problem = Problem(message, snippet, at + 1 if at >= 0 else None, hint)
        if problem not in self.found:
            self.found.append(problem)


def _pairs(count: int) -> Iterator[tuple[int, int]]:
    for i in range(count):
        for j in range(i + 1, count):
            yield i, j


def _scoped(flags: int, av: Any) -> int:
    """The flags inside a group ``(?flags-flags:...)``."""
    add: int = av[1]
    remove: int = av[2]
    return (flags | add) & ~remove


def _trailing_repeats(op: Any, av: Any) -> Iterator[_Item]:
    """Iterating repeats with a range the item can end with (that can give text back)."""
    if op in _CHOICE_REPEATS and av[1] > av[0] and av[1] > 1:
        yield op, av
    elif op in _CHOICE_REPEATS:  # ``?`` or a fixed count: what its body ends with
        yield from _edge(list(av[2]), reverse=True)
    elif op is _parser.SUBPATTERN:
        yield from _edge(list(av[3]), reverse=True)
    elif op is _parser.BRANCH:
        for branch in av[1]:
            yield from _edge(list(branch), reverse=True)


def _leading_repeats(op: Any, av: Any) -> Iterator[_Item]:
    """Iterating repeats with a range the item can start with."""
    if op in _REPEATS and av[1] > av[0] and av[1] > 1:
        yield op, av
    elif op in _REPEATS:
        yield from _edge(list(av[2]), reverse=False)
    elif op in (_parser.SUBPATTERN, _parser.ATOMIC_GROUP):
        yield from _edge(list(av[3] if op is _parser.SUBPATTERN else av), reverse=False)
    elif op is _parser.BRANCH:
        for branch in av[1]:
            yield from _edge(list(branch), reverse=False)


def _edge(items: list[_Item], *, reverse: bool) -> Iterator[_Item]:
    """The repeats at one end of a sequence, through the items that consume nothing."""
    for op, av in reversed(items) if reverse else items:
        if op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
            continue
        yield from (_trailing_repeats(op, av) if reverse else _leading_repeats(op, av))
        break


def _literals(pattern: str) -> Iterator[str]:
    """Every character the pattern names (literals, range endpoints), and its case partners."""
    for char in pattern:
        yield char
        yield char.lower()
        yield char.upper()


def _possessive(op: Any, av: Any, flags: int) -> str:
    return _unparse([(_parser.POSSESSIVE_REPEAT, av)], flags)


_CATEGORIES = {
    _parser.CATEGORY_DIGIT: r"\d",
    _parser.CATEGORY_NOT_DIGIT: r"\D",
    _parser.CATEGORY_SPACE: r"\s",
    _parser.CATEGORY_NOT_SPACE: r"\S",
    _parser.CATEGORY_WORD: r"\w",
    _parser.CATEGORY_NOT_WORD: r"\W",
}


def _char(code: int, in_class: bool = False) -> str:
    char = chr(code)
    special = "\\]^-[" if in_class else ".^$*+?{}[]\\|()"
    if char in special:
        return "\\" + char
    if char.isprintable():
        return char
    return f"\\x{code:02x}" if code < 256 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def _unparse(items: Iterable[_Item], flags: int) -> str:
    """A pattern text for parsed items (the usual spelling; used to show a problem)."""
    items = list(items)
    out: list[str] = []
    for op, av in items:
        if op is _parser.LITERAL:
            out.append(_char(av))
        elif op is _parser.NOT_LITERAL:
            out.append(f"[^{_char(av, True)}]")
        elif op is _parser.ANY:
            out.append(".")
        elif op is _parser.IN:
            out.append(_class(av))
        elif op is _parser.SUBPATTERN:
            group, add, remove, body = av
            text = _unparse(body, flags)
            if group is None:
                out.append(f"(?:{text})" if not (add or remove) else f"(?{_flag_text(add, remove)}:{text})")
            else:
                out.append(f"({text})")
        elif op is _parser.ATOMIC_GROUP:
            out.append(f"(?>{_unparse(av, flags)})")
        elif op is _parser.BRANCH:
            text = "|".join(_unparse(b, flags) for b in av[1])
            out.append(text if len(items) == 1 else f"(?:{text})")
        elif op in _REPEATS:
            low, high, body = av
            text = _unparse(body, flags)
            if len(body) != 1 or body[0][0] is _parser.BRANCH or body[0][0] in _REPEATS:
                text = f"(?:{text})"
            quantifier = {(0, _parser.MAXREPEAT): "*", (1, _parser.MAXREPEAT): "+", (0, 1): "?"}.get(
                (low, high), f"{{{low},{'' if high is _parser.MAXREPEAT else high}}}" if low != high else f"{{{low}}}"
            )
            suffix = "?" if op is _parser.MIN_REPEAT else "+" if op is _parser.POSSESSIVE_REPEAT else ""
            out.append(text + quantifier + suffix)
        elif op is _parser.AT:
            out.append(
                {
                    _parser.AT_BEGINNING: "^",
                    _parser.AT_END: "$",
                    _parser.AT_BEGINNING_STRING: r"\A",
                    _parser.AT_END_STRING: r"\Z",
                    _parser.AT_BOUNDARY: r"\b",
                    _parser.AT_NON_BOUNDARY: r"\B",
                }.get(av, "")
            )
        elif op is _parser.GROUPREF:
            out.append(f"\\{av}")
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            direction, body = av
            kind = "=" if op is _parser.ASSERT else "!"
            out.append(f"(?{'<' if direction < 0 else ''}{kind}{_unparse(body, flags)})")
        else:
            out.append("...")
    return "".join(out)


def _flag_text(add: int, remove: int) -> str:
    letters = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: "x", re.ASCII: "a"}
    on = "".join(c for f, c in letters.items() if add & f)
    off = "".join(c for f, c in letters.items() if remove & f)
    return on + (f"-{off}" if off else "")


def _class(items: list[_Item]) -> str:
    parts: list[str] = []
    negate = False
    for op, av in items:
        if op is _parser.NEGATE:
            negate = True
        elif op is _parser.LITERAL:
            parts.append(_char(av, True))
        elif op is _parser.RANGE:
            parts.append(f"{_char(av[0], True)}-{_char(av[1], True)}")
        elif op is _parser.CATEGORY:
            parts.append(_CATEGORIES.get(av, ""))
    if not negate and len(parts) == 1 and parts[0].startswith("\\") and len(parts[0]) == 2 and parts[0][1] in "dDsSwW":
        return parts[0]
    return f"[{'^' if negate else ''}{''.join(parts)}]"
