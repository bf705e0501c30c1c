# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""XML error bodies (``envelope.format: xml``): read into the nested dicts and lists
the envelope's compiled readers walk, and written back by ``to_response()``.

A document becomes ``{root name: value}``; an element with child elements is a dict
of child name to value (a name repeated among siblings: a list of their values, in
document order); an element without child elements is its text (``""`` when empty).
Namespaces are ignored (``s3:Error`` is ``Error``; ``xmlns`` declarations are not
read); attributes, comments and processing instructions are not read; text beside
child elements (mixed content) is not read. The raw body is kept on the error
whatever this reads.

Hostile XML is refused, never expanded: a document type declaration (``<!DOCTYPE``:
every entity definition, billion laughs, external entities and XXE need one), an
entity declaration, elements nested deeper than ``MAX_DEPTH`` and bodies longer than
``MAX_BYTES`` make ``parse_body`` return None, as for a body that is not XML (HTML,
JSON, truncated or malformed XML): ``from_response`` then falls back to the status
class, with the body kept as sent. Only expat (the standard library's C parser) reads.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

MAX_DEPTH = 2_000
"""Elements nested deeper than this: the body is not read (as JSON's depth budget)."""
MAX_BYTES = 1 << 20
"""A longer body (1 MiB, in bytes or characters) is not read: error bodies are small
(S3's, IAM's: under 2 KB), and a MiB of tiny elements takes about half a second."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A raw CR would read back as LF: written as a character reference.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SPACE = b" \t\r\n"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class _Refused(Exception):
    """A declaration or a depth that the reader does not take."""


def _refuse(*_: object) -> None:
    raise _Refused()


def _refuse_entity(*_: object) -> int:
    raise _Refused()


def _read(data: bytes, encoding: str | None) -> Any:
    parser = expat.ParserCreate(encoding)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.buffer_text = True
    # The open elements, innermost last: [name, its children (name -> value) or None, its
    # text: the parts expat reports, in a list (joined once: no quadratic concatenation)].
    stack: list[list[Any]] = [["", None, None]]
    push = stack.append

    def start(name: str, _attributes: object) -> None:
        if len(stack) > MAX_DEPTH:
            raise _Refused()
        push([name.rpartition(":")[2] if ":" in name else name, None, []])

    def end(_name: str) -> None:
        name, kids, parts = stack.pop()
        text = "".join(parts) if kids is None else ""
        parent = stack[-1]
        siblings = parent[1]
        if siblings is None:
            parent[1] = {name: kids if kids is not None else text}
        elif name in siblings:  # repeated: a list (values read are never lists)
            known = siblings[name]
            if type(known) is list:
                known.append(kids if kids is not None else text)
            else:
                siblings[name] = [known, kids if kids is not None else text]
        else:
            siblings[name] = kids if kids is not None else text

    def text(data: str) -> None:
        frame = stack[-1]
        if frame[1] is None:  # text beside child elements is not read
            frame[2].append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.Parse(data, True)
    return stack[0][1]


def parse_body(body: object) -> Any:
    """The XML document in ``body`` as nested dicts, lists and text, or None when there
    is none (empty, not XML, malformed, or refused: see the module's docstring); never
    raises."""
    try:
        if isinstance(body, str):
            text = body.lstrip(" \t\r\n\ufeff")
            if len(body) > MAX_BYTES or not text.startswith("<"):
                return None
            # Already decoded: read as UTF-8 whatever the declaration says.
            return _read(text.encode("utf-8", "surrogatepass"), "utf-8")
        if isinstance(body, (bytearray, memoryview)):
            body = bytes(body)
        if not isinstance(body, bytes) or not body or len(body) > MAX_BYTES:
            return None
        starts = body[:1] == b"<" or body.lstrip(_SPACE).startswith(b"<")
        if not starts and not body.startswith(_BOMS):
            return None
        return _read(body, None)
    except Exception:  # noqa: BLE001 - malformed, refused or hostile XML
        return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    return _NOT_XML_CHAR.sub("\ufffd", text).translate(_ESCAPES)


def _element_name(key: object) -> str:
    """``key`` as an element name: characters XML names refuse become ``_``."""
    text = str(key)
    if _NAME.fullmatch(text):
        return text
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    return name if name[:1].isalpha() or name[:1] == "_" else "_" + name


def _write(parts: list[str], name: str, value: Any) -> None:
    """``value`` as element(s) ``name``, into ``parts``; no recursion."""
    stack: list[tuple[str, Any] | str] = [(name, value)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a closing tag
            parts.append(item)
            continue
        name, value = item
        if isinstance(value, list):
            stack.extend((name, member) for member in reversed(value))
            continue
        if value is None:
            parts.append(f"<{name}/>")
        elif isinstance(value, dict):
            parts.append(f"<{name}>")
            stack.append(f"</{name}>")
            members = reversed(list(value.items()))
            stack.extend((_element_name(key), child) for key, child in members)
        else:
            parts.append(f"<{name}>{_text(value)}</{name}>")


def render_body(doc: Any) -> bytes:
    """``doc`` (as ``parse_body`` reads a document) as an XML document, UTF-8: a dict of
    one key is the root element; anything else sits in an ``<Error>`` root."""
    parts: list[str] = []
    if isinstance(doc, dict) and len(doc) == 1:
        name, value = next(iter(doc.items()))
        _write(parts, _element_name(name), value)
    else:
        _write(parts, "Error", doc)
    return "".join(parts).encode("utf-8", "surrogatepass")
