# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""XML error bodies (``envelope.format: xml``): read into the nested dicts and lists
the envelope's compiled readers walk, and written back by ``to_response()``.

A document becomes ``{root name: value}``; an element with child elements is a dict
of child name to value (a name repeated among siblings: a list of their values, in
document order); an element without child elements is its text (``""`` when empty).
An attribute ``code`` of an element ``err`` is the key ``err@code`` beside it, in the
same dict (``<rsp stat="fail"><err code="1"/></rsp>`` is ``{"rsp": {"err": "",
"err@code": "1"}, "rsp@stat": "fail"}``), so that an element keeps its text; of
repeated elements, a list. Namespaces are ignored (``s3:Error`` is ``Error``, ``x:code``
is ``code``; ``xmlns`` declarations are not read); comments and processing
instructions are not read; text beside child elements (mixed content) is not read.
The raw body is kept on the error whatever this reads.

Hostile XML is refused, never expanded: a document type declaration (``<!DOCTYPE``:
every entity definition, billion laughs, external entities and XXE need one), an
entity declaration, elements nested deeper than ``MAX_DEPTH`` and bodies longer than
``MAX_BYTES`` make ``parse_body`` return None, as for a body that is not XML (HTML,
JSON, truncated or malformed XML): ``from_response`` then falls back to the status
class, with the body kept as sent. Only expat (the standard library's C parser) reads,
into xml.etree's C tree builder.
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

_TreeBuilder: Any = None  # xml.etree's C tree builder, imported when first used
_TREE_LIMIT = 1 << 16
"""Bodies up to this many bytes (64 KiB) are read through the tree builder (see _read)."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A raw CR would read back as LF: written as a character reference.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# In an attribute value, also the quote, and the white space a reader would normalise.
_ATTRIBUTE_ESCAPES = str.maketrans({'"': "&quot;", "\t": "&#9;", "\n": "&#10;"})
_SPACE = b" \t\r\n"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class _Refused(Exception):
    """A declaration or a depth that the reader does not take."""


def _refuse(*_: object) -> None:
    raise _Refused()


def _refuse_entity(*_: object) -> int:
    raise _Refused()


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _put(siblings: dict[str, Any], name: str, value: Any) -> None:
    """``value`` under ``name``; a name read again makes a list (values read are never lists)."""
    if name in siblings:
        known = siblings[name]
        if type(known) is list:
            known.append(value)
        else:
            siblings[name] = [known, value]
    else:
        siblings[name] = value


def _parser(encoding: str | None) -> Any:
    """An expat parser that refuses a document type declaration and every entity."""
    parser = expat.ParserCreate(encoding)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_entity
    return parser


def _read_events(data: bytes, encoding: str | None) -> Any:
    """The document, read by expat's events alone: no recursion, whatever the depth."""
    parser = _parser(encoding)
    # The open elements, innermost last, in parallel stacks (cheaper than a frame each):
    # their names, their children (name -> value; None until the first one), and where
    # their text starts in ``parts``, the text expat reports, appended by expat itself
    # (a C method: no Python call per piece) and joined once per element.
    parts: list[str] = []
    names: list[str] = []
    marks: list[int] = []
    kids_of: list[Any] = [None]  # [0]: the document's one element
    attributes_at: dict[int, dict[str, str]] = (
        {}
    )  # depth -> the attributes of the element open there

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(names) >= MAX_DEPTH:
            raise _Refused()
        names.append(name)
        marks.append(len(parts))
        kids_of.append(None)
        if attributes and (
            len(attributes) > 1 or "xmlns" not in attributes
        ):  # not only a namespace
            attributes_at[len(names)] = attributes

    def end(_name: str) -> None:
        kids = kids_of.pop()
        mark = marks.pop()
        name = names.pop()
        if ":" in name:
            name = name.rpartition(":")[2]
        held = len(parts) - mark
        if kids is not None:  # text beside child elements is not read
            value = kids
            if held:
                del parts[mark:]
        elif held == 1:
            value = parts.pop()
        elif not held:
            value = ""
        else:
            value = "".join(parts[mark:])
            del parts[mark:]
        siblings = kids_of[-1]
        if siblings is None:
            kids_of[-1] = siblings = {name: value}
        elif name in siblings:  # repeated: a list (values read are never lists)
            known = siblings[name]
            if type(known) is list:
                known.append(value)
            else:
                siblings[name] = [known, value]
        else:
            siblings[name] = value
        if attributes_at:
            attributes = attributes_at.pop(len(names) + 1, None)
            if attributes:
                for key, text in attributes.items():
                    if key != "xmlns" and not key.startswith("xmlns:"):
                        _put(siblings, name + "@" + _local(key), text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = parts.append
    parser.Parse(data, True)
    return kids_of[0]


def _read(data: bytes, encoding: str | None) -> Any:
    """The document: expat reads it (with the refusals above) into xml.etree's C tree
    builder, so that no event calls Python; the tree then becomes dicts and text.
    (A fifth faster than handlers in Python, and than xml.etree's own fromstring.) A
    body above ``_TREE_LIMIT`` is read by the events: the builder cannot stop at a depth,
    and a MiB of elements is slower to build as a tree than to read as events."""
    if len(data) > _TREE_LIMIT:
        return _read_events(data, encoding)
    global _TreeBuilder
    if (
        _TreeBuilder is None
    ):  # imported by the first body (a twentieth of the package's import)
        from xml.etree.ElementTree import TreeBuilder as _TreeBuilder
    parser = _parser(encoding)
    # xml.etree's C tree builder takes expat's events: no Python call per event.
    builder = _TreeBuilder()
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.Parse(data, True)
    root = builder.close()
    try:
        value = _value(root, 1)
    except (
        RecursionError
    ):  # nested deeper than this stack allows: read again without recursion
        return _read_events(data, encoding)
    if value is _DEEP:
        raise _Refused()
    tag = root.tag
    name = tag.rpartition(":")[2] if ":" in tag else tag
    doc = {name: value}
    if root.attrib:
        _attributes(doc, name, root.attrib)
    return doc


_DEEP: Any = object()  # what _value gives for an element nested deeper than MAX_DEPTH


def _attributes(
    siblings: dict[str, Any], name: str, attributes: dict[str, str]
) -> None:
    for key, text in attributes.items():
        if key != "xmlns" and not key.startswith("xmlns:"):
            _put(siblings, name + "@" + _local(key), text)


def _value(element: Any, depth: int) -> Any:
    """An element's value: its text, or a dict of its children; _DEEP past MAX_DEPTH."""
    if not len(element):
        text = element.text
        return "" if text is None else text
    if depth >= MAX_DEPTH:
        return _DEEP
    kids: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if len(child):
            value = _value(child, depth + 1)
            if value is _DEEP:
                return _DEEP
        else:
            text = child.text
            value = "" if text is None else text
        if tag in kids:  # repeated: a list (values read are never lists)
            known = kids[tag]
            if type(known) is list:
                known.append(value)
            else:
                kids[tag] = [known, value]
        else:
            kids[tag] = value
        if child.attrib:
            attributes = child.attrib
            if len(attributes) > 1 or "xmlns" not in attributes:
                _attributes(kids, tag, attributes)
    return kids


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


def _members(value: dict[Any, Any]) -> list[tuple[str, Any, dict[str, Any] | None]]:
    """A dict's children as (element name, value, attributes): a key ``name@attribute``
    is an attribute of the element ``name`` (one without that element gets an empty one).
    """
    attributes: dict[str, dict[str, Any]] = {}
    elements: list[tuple[str, Any]] = []
    for key, child in value.items():
        element, at, attribute = str(key).partition("@")
        if at and element and attribute:
            attributes.setdefault(element, {})[attribute] = child
        else:
            elements.append((str(key), child))
    if not attributes:
        return [(_element_name(key), child, None) for key, child in elements]
    found = [
        (_element_name(key), child, attributes.pop(key, None))
        for key, child in elements
    ]
    found.extend((_element_name(key), "", held) for key, held in attributes.items())
    return found


def _open(name: str, attributes: dict[str, Any] | None, index: int) -> str:
    """The start tag of element ``name``, the ``index``-th of its name among its siblings
    (an attribute read from repeated elements is a list: one value each, in order)."""
    if not attributes:
        return name
    tag = name
    for key, held in attributes.items():
        if isinstance(held, list):
            held = held[index] if index < len(held) else None
        elif index:
            held = None
        if held is not None:
            tag += f' {_element_name(key)}="{_attribute(held)}"'
    return tag


def _attribute(value: Any) -> str:
    return _text(value).translate(_ATTRIBUTE_ESCAPES)


def _write(
    parts: list[str], name: str, value: Any, attributes: dict[str, Any] | None = None
) -> None:
    """``value`` as element(s) ``name``, into ``parts``; no recursion."""
    stack: list[tuple[str, Any, dict[str, Any] | None, int] | str] = [
        (name, value, attributes, 0)
    ]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a closing tag
            parts.append(item)
            continue
        name, value, attributes, index = item
        if isinstance(value, list):
            stack.extend(
                (name, member, attributes, i)
                for i, member in reversed(list(enumerate(value)))
            )
            continue
        tag = _open(name, attributes, index)
        if value is None:
            parts.append(f"<{tag}/>")
        elif isinstance(value, dict):
            parts.append(f"<{tag}>")
            stack.append(f"</{name}>")
            stack.extend(
                (key, child, held, 0) for key, child, held in reversed(_members(value))
            )
        else:
            parts.append(f"<{tag}>{_text(value)}</{name}>")


def render_body(doc: Any) -> bytes:
    """``doc`` (as ``parse_body`` reads a document) as an XML document, UTF-8: a dict of
    one element (and its attributes) is the root element; anything else sits in an
    ``<Error>`` root."""
    parts: list[str] = []
    members = _members(doc) if isinstance(doc, dict) else []
    if len(members) == 1:
        name, value, attributes = members[0]
        _write(parts, name, value, attributes)
    else:
        _write(parts, "Error", doc)
    return "".join(parts).encode("utf-8", "surrogatepass")
