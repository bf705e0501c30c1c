"""Read a YAML spec into plain data, remembering where every value came from.

Only YAML's safe core types are built (no ``!!python/...`` tags), duplicate mapping
keys are errors (PyYAML silently keeps the last one), and alias expansion is
bounded so that an alias bomb costs bounded time and memory.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, SpecError
from .files import NotAFile, read_regular

MAX_SPEC_BYTES = 8 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64  # nesting levels; a catalogue needs about six
# Text repeated through aliases, beyond the text itself: aliases bound by MAX_NODES
# alone can still turn a 200 KB string into 40 MB of output.
MAX_ALIASED_CHARS = 256 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def join_surrogate_pairs(text: str) -> str:
    """``text`` with each UTF-16 surrogate pair (two \\u escapes) made the one character it encodes."""
    return _PAIR.sub(lambda m: chr(0x10000 + ((ord(m[0][0]) - 0xD800) << 10) + (ord(m[0][1]) - 0xDC00)), text)


_SAFE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

Loc = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it (about 10x faster); its error
# texts differ from the pure-Python parser's, so a spec that fails to parse is
# parsed again with the latter, whose messages (and positions) are reported.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A loaded spec: its data and the source position of every value and key."""

    file: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int, int]:
        """The nearest known (line, column) for ``loc`` (a key's own position wins)."""
        loc = tuple(loc)
        while True:
            if loc in self.key_positions:
                return self.key_positions[loc]
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (0, 0)
            loc = loc[:-1]

    def diagnostic(self, loc: Loc, message: str, hint: str = "") -> Diagnostic:
        line, column = self.position(loc)
        return Diagnostic(self.file, line, column, message, hint)


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.constructor = yaml.SafeLoader("")
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()  # ids of the scalar nodes built so far
        self.aliased = 0  # characters of text built again through aliases

    def _count_text(self, node: ScalarNode) -> None:
        """Count the text an alias repeats (a scalar node seen before is built again)."""
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return
        self.aliased += len(node.value)
        if self.aliased > MAX_ALIASED_CHARS:
            raise SpecError(
                [
                    Diagnostic(
                        self.doc.file,
                        *_mark(node),
                        f"aliases (*name) repeat more than {MAX_ALIASED_CHARS} characters of text "
                        "(an alias bomb, or long text aliased many times)",
                        "write long text once, or shorten it; aliases are for short repeated values",
                    )
                ]
            )

    def problem(self, node: Node, message: str, hint: str = "") -> None:
        line, column = _mark(node)
        self.problems.append(Diagnostic(self.doc.file, line, column, message, hint))

    def build(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError(
                [
                    Diagnostic(
                        self.doc.file,
                        *_mark(node),
                        f"the document expands to more than {MAX_NODES} values "
                        "(an alias bomb, or a spec far larger than any catalogue)",
                        "remove the nested aliases (*name) or split the spec",
                    )
                ]
            )
        self.doc.positions.setdefault(loc, _mark(node))
        if node.tag not in _SAFE_TAGS:
            self.problem(
                node,
                f"YAML tag {node.tag!r} is not allowed: specs hold plain data only",
                "remove the tag (specs are loaded with safe YAML)",
            )
            return None
        if isinstance(node, ScalarNode):
            self._count_text(node)
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                self.problem(node, f"invalid value {_clip(node.value)!r}: {exc}", "quote it to keep it as text")
                return None
            if isinstance(value, str) and _SURROGATE.search(value):
                value = join_surrogate_pairs(value)  # "\\ud83d\\ude00", as JSON escapes an emoji
            if isinstance(value, str) and (lone := _SURROGATE.search(value)):
                self.problem(
                    node,
                    f"U+{ord(lone.group()):04X} is a lone surrogate: it is not a character, and cannot be written as UTF-8",
                    "write the character itself, or its escape (\\U0001F600 or \\ud83d\\ude00 for an emoji)",
                )
            return value
        if isinstance(node, SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "YAML merge keys (<<) are not supported", "write the keys out")
                continue
            key = self.build(key_node, loc + ("<key>",))
            if not isinstance(key, (str, int, bool)) or key is None:
                self.problem(key_node, "mapping keys must be plain scalars")
                continue
            if key in result:
                first = self.doc.key_positions.get(loc + (key,), (0, 0))
                self.problem(
                    key_node,
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    "remove one of the two entries; YAML keeps only the last",
                )
                continue
            self.doc.key_positions[loc + (key,)] = _mark(key_node)
            result[key] = self.build(value_node, loc + (key,))
        return result


def _decode(file: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SpecError(
            [
                Diagnostic(
                    file,
                    line,
                    column,
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                    "save the spec as UTF-8",
                )
            ]
        ) from None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _yaml_error(file: str, exc: yaml.YAMLError, text: str) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_column(text, exc.position)
        return Diagnostic(
            file,
            line,
            column,
            f"control character U+{exc.character:04X} is not allowed in YAML",
            'remove it, or write it as an escape inside double quotes ("\\x07")',
        )
    mark = getattr(exc, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    problem = getattr(exc, "problem", None) or str(exc)
    hint = "check the indentation and quoting around this position"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and (context_mark.line + 1, context_mark.column + 1) != (line, column):
        problem += f" ({context} at line {context_mark.line + 1}, column {context_mark.column + 1})"
    if problem == "but found another document":
        problem = "a second YAML document (---): a spec is one document"
        hint = "remove the second document, or move it into its own spec file"
    lines = text.splitlines()
    if "\\t" in problem or (0 < line <= len(lines) and "\t" in lines[line - 1]):
        problem = "a tab character: YAML indents with spaces only"
        hint = "replace the tabs on this line with spaces"
    return Diagnostic(file, line, column, f"YAML syntax error: {problem}", hint)


def _too_deep(file: str, text: str) -> Diagnostic | None:
    """A problem when collections nest deeper than MAX_DEPTH (found without recursion).

    libyaml's scanner refuses deep flow nesting on its own (PyYAML 6.0.4 and later:
    "exceeded maximum nesting depth") before it yields the events that show the
    depth, so a text libyaml refuses is counted again with the pure-Python parser,
    whose event stream is iterative and has no such limit.
    """
    if text.count("[") + text.count("{") + text.count(":") < MAX_DEPTH:
        return None
    try:
        return _depth_problem(file, text, _FAST_LOADER)
    except yaml.YAMLError:
        pass
    try:
        return _depth_problem(file, text, yaml.SafeLoader)
    except yaml.YAMLError:
        return None  # reported with its position by the full load


def _depth_problem(file: str, text: str, loader: type[yaml.SafeLoader]) -> Diagnostic | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
                return Diagnostic(
                    file,
                    line,
                    column,
                    f"values nest more than {MAX_DEPTH} levels deep",
                    "flatten the structure; a spec needs only a few levels",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _too_large(file: str, size: int) -> Diagnostic:
    return Diagnostic(
        file,
        0,
        0,
        f"the spec is {size} bytes; the limit is {MAX_SPEC_BYTES}",
        "split the catalogue into several specs",
    )


def _read_problem(file: str, exc: OSError) -> Diagnostic:
    hint = {
        errno.ENOENT: "check the file name",
        errno.ELOOP: "the path is a loop of symbolic links: point the link at a spec file",
        errno.EACCES: "make the file readable",
        errno.ENAMETOOLONG: "use a shorter path",
    }.get(exc.errno or 0, "check the file")
    return Diagnostic(file, 0, 0, f"cannot read the spec: {exc.strerror or exc}", hint)


def read_spec(path: Path | str) -> bytes:
    """The bytes of a spec file; never reads more than MAX_SPEC_BYTES + 1 of them.

    Only a regular file is read (``files.read_regular``): a FIFO, a device or a folder
    is refused without waiting or reading.
    """
    file = str(path)
    try:
        os.fsencode(file).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(
            [
                Diagnostic(
                    os.fsencode(file).decode("utf-8", "backslashreplace"),
                    0,
                    0,
                    f"the file name has byte 0x{exc.object[exc.start]:02x}, which is not UTF-8 "
                    "(the name is written into the generated package)",
                    "rename the spec file to a UTF-8 name",
                )
            ]
        ) from None
    try:
        raw, size = read_regular(path, MAX_SPEC_BYTES + 1)
    except NotAFile as exc:
        raise SpecError(
            [Diagnostic(file, 0, 0, f"the spec is {exc.kind}, not a file", "name a spec file (.yaml)")]
        ) from None
    except OSError as exc:
        raise SpecError([_read_problem(file, exc)]) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError([_too_large(file, size)])
    return raw


def _loader_for(text: str) -> type[yaml.SafeLoader]:
    """libyaml's loader, except for texts where the two parsers are known to differ:
    libyaml accepts tabs where the Python parser does not, and reads tags ("!")
    differently. Those take the Python parser (tests/test_loader.py compares them)."""
    if "\t" in text or "!" in text:
        return yaml.SafeLoader
    return _FAST_LOADER


def load_document(path: Path | str, raw: bytes | None = None) -> Document:
    """Load ``path`` (or ``raw``, the bytes read from it) into a Document.

    Raises SpecError with every problem found; never anything else for bad input.
    """
    file = str(path)
    if raw is None:
        raw = read_spec(path)
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError([_too_large(file, len(raw))])
    text = _decode(file, raw)
    if not text.strip():
        raise SpecError([Diagnostic(file, 1, 1, "the spec is empty", "start from specs/README.md")])
    deep = _too_deep(file, text)
    if deep is not None:
        raise SpecError([deep])
    try:
        node = yaml.compose(text, Loader=_loader_for(text))
    except yaml.YAMLError:
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise SpecError([_yaml_error(file, exc, text)]) from None
    doc = Document(file, None)
    if node is None:
        raise SpecError([Diagnostic(file, 1, 1, "the spec holds no YAML document")])
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    if builder.problems:
        raise SpecError(builder.problems)
    return doc
