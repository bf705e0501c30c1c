"""Plain data -> commented YAML text, deterministically (same input, same bytes).

Mappings and lists of mappings are written in block style; scalars plain when that
reads back as the same string, else double-quoted with escapes; other lists and
every value under a key in ``flow_keys`` in flow style on one line. Comments hang off
locations (tuples of keys and indexes): ``above`` lines before the entry,
``trailing`` text after it on the same line.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from ..rendering.literals import comment

Loc = tuple[str | int, ...]

_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_ .,/()'+-]*")
_WIDTH = 100


@dataclass
class Commented:
    """A document to write: its data and the comments around its values."""

    data: dict[str, Any]
    header: list[str] = field(default_factory=list)
    above: dict[Loc, list[str]] = field(default_factory=dict)
    trailing: dict[Loc, str] = field(default_factory=dict)
    flow_keys: frozenset[str] = frozenset({"example"})

    def note(self, loc: Loc, text: str) -> None:
        self.above.setdefault(loc, []).append(text)


_FLOW_PLAIN = re.compile(r"[A-Za-z0-9_./-]+")
_YAML_BREAKS = "\x85\u2028\u2029\ufeff"


def quote(text: str) -> str:
    """A YAML double-quoted scalar: printable text as is, everything else escaped."""
    out = []
    for ch in text:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and ch not in _YAML_BREAKS and not 0xD800 <= cp <= 0xDFFF:
            out.append(ch)
        elif cp < 0x100:
            out.append(f"\\x{cp:02x}")
        elif cp < 0x10000:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any, *, flow: bool = False) -> str:
    """One YAML scalar that loads back as ``value`` (``flow``: inside ``[...]``/``{...}``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    plain = (_FLOW_PLAIN if flow else _PLAIN).fullmatch(text)
    if plain and text == text.strip() and " #" not in text and _reads_back(text):
        return text
    return quote(text)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=8192)
def _reads_back(text: str) -> bool:
    """Whether ``text`` written plain loads back as the same string (YAML's parser decides)."""
    try:
        return bool(yaml.load(text, Loader=_LOADER) == text)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return False


def _inline(value: Any) -> str:
    """A value on one line: flow style for lists and mappings."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k, flow=True)}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return scalar(value, flow=True)


def _comment_lines(lines: list[str], indent: str) -> list[str]:
    out = []
    for line in lines:
        width = _WIDTH - len(indent) - 2
        wrapped = textwrap.wrap(comment(line), width, break_long_words=False, break_on_hyphens=False) or [""]
        out += [f"{indent}# {part}".rstrip() for part in wrapped]
    return out


class _Writer:
    def __init__(self, doc: Commented) -> None:
        self.doc = doc
        self.lines: list[str] = []

    def _tail(self, loc: Loc) -> str:
        text = self.doc.trailing.get(loc)
        return f"  # {comment(text)}" if text else ""

    def mapping(self, value: dict[Any, Any], loc: Loc, indent: int, first_prefix: str | None = None) -> None:
        for i, (key, item) in enumerate(value.items()):
            here = loc + (key,)
            pad = " " * indent
            lead = first_prefix if (first_prefix is not None and i == 0) else pad
            for line in _comment_lines(self.doc.above.get(here, []), pad):
                self.lines.append(line)
            head = f"{lead}{scalar(key)}:"
            flow = str(key) in self.doc.flow_keys
            if isinstance(item, dict) and item and not flow:
                self.lines.append(head + self._tail(here))
                self.mapping(item, here, indent + 2)
            elif isinstance(item, list) and item and all(isinstance(x, dict) and x for x in item) and not flow:
                self.lines.append(head + self._tail(here))
                for j, entry in enumerate(item):
                    for line in _comment_lines(self.doc.above.get(here + (j,), []), pad + "  "):
                        self.lines.append(line)
                    self.mapping(entry, here + (j,), indent + 4, first_prefix=pad + "  - ")
            else:
                text = _inline(item) if isinstance(item, (dict, list)) else scalar(item)
                self.lines.append(f"{head} {text}{self._tail(here)}")


def dump(doc: Commented) -> str:
    writer = _Writer(doc)
    writer.lines += _comment_lines(doc.header, "")
    writer.mapping(doc.data, (), 0)
    return "\n".join(writer.lines) + "\n"
