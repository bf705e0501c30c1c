"""The envelope path language: where a value sits in an error response.

Grammar (see specs/README.md)::

    path   := "header:" NAME            a response header, case-insensitive
            | "$" step*                 the whole JSON document, then steps
            | first step*
    first  := IDENT | "[" INDEX "]" | "[" QUOTED "]" | select
    step   := "." IDENT | ".@" IDENT | "[" INDEX "]" | "[" QUOTED "]" | select
    select := "[*]"                               first element for which the rest resolves
            | "[?" KEY "==" VALUE "]"             first element whose KEY equals VALUE
                                                  (and for which the rest resolves)
    KEY    := IDENT | QUOTED
    VALUE  := QUOTED | INDEX | "true" | "false" | "null"
    IDENT  := [A-Za-z_][A-Za-z0-9_-]*
    INDEX  := -?[0-9]+

A select step (``details[?"@type"=="type.googleapis.com/google.rpc.ErrorInfo"].reason``)
reads a list: the first element that passes its test and where the rest of the path
finds a value (not None) gives the value; an element the rest does not fit is skipped.

A path has at most ``MAX_STEPS`` steps and its indices are within ``MAX_INDEX``
(either sign): the compiled expression nests one parenthesis per step, and
to_response() writes a list long enough for the index.

A path is parsed and compiled to a Python expression once, at generation time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_INDEX = re.compile(r"-?[0-9]+")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class Select:
    """A step into a list: the first element (with ``key`` equal to ``value``, when
    ``key`` is set) for which the rest of the path resolves."""

    key: str | None = None
    value: str | int | bool | None = None

    @property
    def text(self) -> str:
        """The step as a path writes it."""
        if self.key is None:
            return "[*]"
        value = "null" if self.value is None else json.dumps(self.value)
        return f"[?{json.dumps(self.key)}=={value}]"

    def test(self, item: object) -> bool:
        """Whether a list element passes this step's test (the generator's twin of the compiled one)."""
        if self.key is None:
            return True
        if not isinstance(item, dict) or self.key not in item:
            return False
        found = item[self.key]
        return type(found) is type(self.value) and found == self.value


Step = str | int | Select

MAX_STEPS = 32
"""Steps a path may have (real envelopes use a handful; Python's parser refuses
expressions nested 200 deep)."""
MAX_INDEX = 100
"""The largest list index a path may use, either sign (to_response() writes that many items)."""


class PathError(ValueError):
    """A path that does not parse; ``column`` is 1-based within the path."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class EnvelopePath:
    """A parsed path: a header name, or steps into the JSON document (not a file path:
    ``pathlib.Path`` is another thing, hence the name)."""

    text: str
    steps: tuple[Step, ...] = ()
    header: str | None = None

    def expression(self, doc: str = "doc", headers: str = "headers") -> str:
        """Python expression reading this path; may raise LookupError, TypeError or AttributeError.

        Keys are read with ``.get`` so that a missing key (the common case for
        optional fields) costs no exception; a missing or empty step before the
        last reads on from ``_EMPTY`` (an empty dict), or from ``_NO_ITEMS`` (an
        empty tuple) before an index, so that the expression type-checks. What does not fit the path
        (a list where a key is expected, a document that is not JSON) raises,
        and the caller reads None, as for a missing key.
        """
        if self.header is not None:
            return f"{headers}.get({self.header!r})"
        return _compile(doc, self.steps, 0)

    @property
    def selects(self) -> bool:
        """Whether the path has a select step (its expression calls ``_first``)."""
        return any(isinstance(step, Select) for step in self.steps)


def _test(item: str, key: str, value: str | int | bool | None) -> str:
    """The filter ``key == value`` on the element ``item``, with JSON's equality (1 is not true)."""
    if value is None:
        return f"{key!r} in {item} and {item}[{key!r}] is None"
    if isinstance(value, bool):
        return f"{item}.get({key!r}) is {value!r}"
    if isinstance(value, int):
        return f"type({item}.get({key!r})) is int and {item}[{key!r}] == {value!r}"
    return f"{item}.get({key!r}) == {value!r}"


def _compile(text: str, steps: tuple[Step, ...], depth: int) -> str:
    """``steps`` read from the expression ``text``; ``depth`` counts the enclosing selects."""
    for index, step in enumerate(steps):
        if isinstance(step, Select):
            item = f"x{depth}"
            rest = _compile(item, steps[index + 1 :], depth + 1)
            test = "None" if step.key is None else f"lambda {item}: {_test(item, step.key, step.value)}"
            return f"_first({text}, {test}, lambda {item}: {rest})"
        if index:
            text = f"({text} or {'_EMPTY' if isinstance(step, str) else '_NO_ITEMS'})"
        text += f".get({step!r})" if isinstance(step, str) else f"[{step!r}]"
    return text


def _quoted(text: str, i: int) -> tuple[str, int]:
    quote = text[i]
    end = text.find(quote, i + 1)
    if end < 0:
        raise PathError(f"unterminated quoted key in {text!r}", i + 1)
    return text[i + 1 : end], end + 1


_VALUE = re.compile(r"-?[0-9]+|true|false|null")


def _select(text: str, i: int) -> tuple[Select, int]:
    """A select step; ``i`` is past '[' (at '*' or '?')."""
    if text[i] == "*":
        i += 1
        if i >= len(text) or text[i] != "]":
            raise PathError(f"expected ']' after '[*' in {text!r}", i + 1)
        return Select(), i + 1
    i += 1
    if i < len(text) and text[i] in "\"'":
        key, i = _quoted(text, i)
    else:
        m = _IDENT.match(text, i)
        if not m:
            raise PathError(f"expected a key (a name or a quoted key) after '[?' in {text!r}", i + 1)
        key, i = m.group(), m.end()
    if not text.startswith("==", i):
        raise PathError(f"expected '==' after the key of a filter in {text!r}", i + 1)
    i += 2
    value: str | int | bool | None
    if i < len(text) and text[i] in "\"'":
        value, i = _quoted(text, i)
    else:
        m = _VALUE.match(text, i)
        if not m:
            raise PathError(f"expected a quoted string, an integer, true, false or null after '==' in {text!r}", i + 1)
        word = m.group()
        value = {"true": True, "false": False, "null": None}.get(word, word)
        if isinstance(value, str):
            if len(value.lstrip("-")) > 18:
                raise PathError(f"integer {value[:20]} in a filter is too long (at most 18 digits)", i + 1)
            value = int(value)
        i = m.end()
    if i >= len(text) or text[i] != "]":
        raise PathError(f"expected ']' to close the filter in {text!r}", i + 1)
    return Select(key, value), i + 1


def _bracket(text: str, i: int) -> tuple[Step, int]:
    i += 1
    if i < len(text) and text[i] in "*?":
        return _select(text, i)
    if i < len(text) and text[i] in "\"'":
        key, i = _quoted(text, i)
        step: Step = key
    else:
        m = _INDEX.match(text, i)
        if not m:
            raise PathError(f"expected a list index or a quoted key after '[' in {text!r}", i + 1)
        digits = m.group().lstrip("-")
        if len(digits) > len(str(MAX_INDEX)) or int(digits) > MAX_INDEX:  # length first: int() of 5,000 digits raises
            shown = m.group() if len(m.group()) <= 20 else m.group()[:20] + "..."
            raise PathError(f"list index {shown} is beyond {MAX_INDEX} (either sign)", i + 1)
        step, i = int(m.group()), m.end()
    if i >= len(text) or text[i] != "]":
        raise PathError(f"expected ']' in {text!r}", i + 1)
    return step, i + 1


def parse(text: str) -> EnvelopePath:
    """Parse a path; raises PathError saying what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise PathError("a path may not be empty", 1)
    if text != text.strip():
        raise PathError(f"path {text!r} has surrounding spaces", 1)
    if text.lower().startswith("header:"):
        name = text[len("header:") :]
        if not _HEADER_NAME.fullmatch(name):
            raise PathError(f"{name!r} is not a valid header name", len("header:") + 1)
        return EnvelopePath(text, header=name.lower())
    steps: list[Step] = []
    i = 0
    if text[0] == "$":
        i = 1
    elif text[0] != "[":
        m = _IDENT.match(text)
        if not m:
            raise PathError(f"a path starts with a key, '[' or '$', not {text[0]!r}", 1)
        steps.append(m.group())
        i = m.end()
    while i < len(text):
        ch = text[i]
        if ch == ".":
            at = text.startswith("@", i + 1)  # ".@name": the key "@name" (in XML, an attribute)
            m = _IDENT.match(text, i + 1 + at)
            if not m:
                raise PathError(f"expected a key after '.' in {text!r}", i + 2 + at)
            steps.append("@" * at + m.group())
            i = m.end()
        elif ch == "[":
            step, i = _bracket(text, i)
            steps.append(step)
        else:
            raise PathError(f"unexpected {ch!r} in path {text!r}", i + 1)
    if len(steps) > MAX_STEPS:
        raise PathError(f"path has {len(steps)} steps; at most {MAX_STEPS} are allowed", 1)
    return EnvelopePath(text, steps=tuple(steps))
