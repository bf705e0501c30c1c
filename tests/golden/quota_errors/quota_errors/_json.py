# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""JSON error bodies, read as json.loads reads them, whatever they hold.

``parse_body`` reads a body in every encoding json reads (UTF-8, UTF-16, UTF-32, with or
without a byte order mark), never raises, and reads the envelope of a document nested
deeper than json's recursive scanner can (``_deep``, without recursion). Where the spec says
``api.json_parser: orjson`` (``_envelope.ORJSON``), orjson parses first and json whatever
orjson refuses (NaN, Infinity, lone surrogates, UTF-16/32, nesting deeper than 1,024), so
that nothing json reads is lost; integers beyond 64 bits then arrive as floats (orjson's
limit). Without orjson installed (a vendored copy), json parses alone.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import math
import re
import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

from ._envelope import ORJSON


def _orjson_loads(
    minimum: tuple[int, ...],
) -> Callable[[bytes | bytearray | str], Any] | None:
    """orjson's parser; None where orjson is not installed, or older than ``minimum``
    (older ones crash the process on a deeply nested body: CVE-2024-27454). Imported
    by name, so that type checkers need not have orjson either."""
    try:
        orjson = import_module("orjson")
        version = tuple(int(part) for part in orjson.__version__.split(".")[:3])
        loads: Callable[[bytes | bytearray | str], Any] = orjson.loads
    except (
        ImportError,
        AttributeError,
        ValueError,
    ):  # absent, or a version we cannot read
        return None
    return loads if version >= minimum else None


_FAST_LOADS = None if ORJSON is None else _orjson_loads(ORJSON)
"""orjson's parser, where the spec asks for it and it is installed (else None)."""
# orjson's parse holds about 13 times the body in memory at its peak (json's about
# 4 times): bodies above this size are parsed by json, so the peak stays bounded.
_FAST_LIMIT = 1 << 20

_JSON_START = re.compile(rb"[ \t\r\n]*[\[{]")
_JSON_FIRST = (b"{", b"[")  # checked before the pattern: most bodies start so
_JSON_START_TEXT = re.compile(r"\ufeff?[ \t\r\n]*[\[{]")
# How a body in another encoding JSON allows starts: a byte order mark (UTF-8, UTF-16,
# UTF-32), or a zero byte among the first two (UTF-16/32 without one).
_WIDE_FIRST = (b"\xef", b"\xff", b"\xfe", b"\x00")
_BOM_UTF8 = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The C scanner json.loads runs (typeshed types make_scanner's argument as itself).
_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder()  # type: ignore[arg-type]
)
_SPACE = " \t\r\n"
_OPEN = ("{", "[")


def _integer(digits: str) -> int | float:
    """An integer's value; a float (infinite beyond the float range) where Python
    refuses to convert the digits (more than ``sys.get_int_max_str_digits()``:
    the conversion takes quadratic time). The body keeps the exact digits."""
    try:
        return int(digits)
    except ValueError:
        return float(digits)


# json's scanner again, for a body holding an integer Python refuses to convert.
_LENIENT_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(parse_int=_integer)  # type: ignore[arg-type]
)
_MAX_DEPTH = 2_000
"""Containers nested deeper than this (or than twice the recursion limit, when raised
above 1,000) arrive as None; json.loads itself reads about 1,000 levels."""
_QUIET = 1_000
_SPACES = (" ", "\t", "\n", "\r")
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = json.scanner.NUMBER_RE
_CONSTANTS = (
    ("null", None),
    ("true", True),
    ("false", False),
    ("NaN", math.nan),
    ("Infinity", math.inf),
    ("-Infinity", -math.inf),
)
# Skipping a container beyond _MAX_DEPTH: all up to the next closing bracket (strings
# whole), the opening brackets in it, then the run of closing brackets.
_UNTIL_CLOSE = re.compile(r'(?:[^"\]}]++|"(?:[^"\\]|\\.)*+")*+', re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"', re.DOTALL)
_NOT_OPENING = bytes(sorted(set(range(256)) - set(b"[{")))
_CLOSING = re.compile(r"[\]}]+")
_OPENING_OF = str.maketrans("]}", "[{")


def _skip(text: str, pos: int) -> int:
    """Where the whitespace at ``pos`` ends."""
    if not text.startswith(_SPACES, pos):
        return pos
    found = _WHITESPACE.match(text, pos)
    return pos if found is None else found.end()


def _key(text: str, pos: int) -> tuple[str, int]:
    """An object's key at ``pos`` and where its value starts."""
    if text[pos : pos + 1] != '"':
        raise ValueError(f"expected a key at {pos}")
    key, pos = _SCAN_STRING(text, pos + 1)
    pos = _skip(text, pos)
    if text[pos : pos + 1] != ":":
        raise ValueError(f"expected ':' at {pos}")
    return key, pos + 1


def _skip_nested(text: str, pos: int) -> int:
    """Where the container opening at ``pos`` ends. Only its brackets are checked (that
    they balance, strings aside): it is deeper than json reads, and is not kept."""
    kinds = bytearray()  # the open brackets, innermost last
    while True:
        found = _UNTIL_CLOSE.match(text, pos)
        if found is not None:
            segment = found.group()
            if '"' in segment:
                segment = _STRING.sub("", segment)
            kinds += segment.encode("utf-8", "surrogatepass").translate(
                None, _NOT_OPENING
            )
            pos = found.end()
        closing = _CLOSING.match(text, pos)
        if closing is None or not kinds:
            raise ValueError(f"unbalanced brackets at {pos}")
        run = closing.group()[: len(kinds)]
        if run.translate(_OPENING_OF)[::-1].encode() != kinds[-len(run) :]:
            raise ValueError(f"mismatched brackets at {pos}")
        del kinds[-len(run) :]
        pos += len(run)
        if not kinds:
            return pos


def _deep(text: str, pos: int) -> tuple[Any, int]:
    """The JSON value at ``pos``, as json's scanner reads it, but without recursion:
    what it reads does not depend on the caller's stack depth. Containers nested
    deeper than the budget (_MAX_DEPTH) arrive as None (see _skip_nested); integers Python
    refuses to convert are floats. Raises ValueError where json would."""
    space = _skip
    number = _NUMBER.match
    scan_string = _SCAN_STRING
    parents: list[Any] = []  # the open containers, innermost last
    keys: list[str] = []  # the key each open object is reading
    value: Any = None
    # json's scanner reads what it can (the same values, faster); from this depth on it
    # could read what lies beyond _MAX_DEPTH, so the loop reads alone.
    # A scan that fails costs the depth it reached: below a failed container whose
    # parent failed too (a deep chain), the loop reads _QUIET levels alone.
    limit = sys.getrecursionlimit()
    budget = max(_MAX_DEPTH, 2 * limit)
    reach = budget - limit
    failed = quiet_from = quiet_to = -2
    while True:
        pos = space(text, pos)
        char = text[pos : pos + 1]
        depth = len(parents)
        scanned = False
        if depth < quiet_from:
            quiet_from = quiet_to = -2  # out of the quiet chain
        if depth < reach and not quiet_from <= depth < quiet_to:
            try:
                value, pos = _LENIENT_SCAN(text, pos)
                scanned = True
            except (
                RecursionError
            ):  # a container nested too deep for this stack: opened here
                if depth == failed + 1:
                    quiet_from, quiet_to = depth + 1, depth + _QUIET
                failed = depth
            except StopIteration:
                raise ValueError(f"expected a value at {pos}") from None
        if scanned:
            pass
        elif char == "[" or char == "{":
            if depth >= budget:
                value, pos = None, _skip_nested(text, pos)
            else:  # read its first member, if any
                pos = space(text, pos + 1)
                if text[pos : pos + 1] == ("]" if char == "[" else "}"):
                    value = [] if char == "[" else {}
                    pos += 1
                else:
                    parents.append([] if char == "[" else {})
                    if char == "{":
                        key, pos = _key(text, pos)
                        keys.append(key)
                    continue
        elif char == '"':
            value, pos = scan_string(text, pos + 1)
        else:
            found = number(text, pos)
            if found is not None:
                integer, fraction, exponent = found.groups()
                value = (
                    float(found.group()) if fraction or exponent else _integer(integer)
                )
                pos = found.end()
            else:
                for name, value in _CONSTANTS:  # noqa: B007 - the value found is kept
                    if text.startswith(name, pos):
                        pos += len(name)
                        break
                else:
                    raise ValueError(f"expected a value at {pos}")
        while (
            parents
        ):  # a value ends at pos: its container takes it; then a comma or the end
            container = parents[-1]
            array = type(container) is list
            if array:
                container.append(value)
            else:
                container[keys[-1]] = value
            pos = space(text, pos)
            char = text[pos : pos + 1]
            if char == ",":
                if not array:
                    keys[-1], pos = _key(text, space(text, pos + 1))
                else:
                    pos += 1
                break
            if char != ("]" if array else "}"):
                raise ValueError(f"expected ',' or the container's end at {pos}")
            pos += 1
            value = parents.pop()
            if not array:
                keys.pop()
        else:
            return value, pos


def _document(text: str) -> Any:
    """The JSON document ``text`` holds: json.loads(text), without the two
    whitespace regex matches around the scanner that cost more than the scan.

    Whatever else the document holds, its envelope is read: a document json's
    recursive scanner cannot read on this stack (nested too deep for the caller's
    stack depth) is read by _deep, with a fixed depth budget; an integer with more
    digits than Python converts arrives as a float."""
    start = 0 if text[:1] in _OPEN else len(text) - len(text.lstrip(_SPACE))
    try:
        value, end = _SCAN(text, start)
    except RecursionError:
        value, end = _deep(text, start)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer with more digits than int() converts
        try:
            value, end = _LENIENT_SCAN(text, start)
        except RecursionError:
            value, end = _deep(text, start)
    if end != len(text) and text[end:].strip(_SPACE):
        raise ValueError("extra data after the JSON document")
    return value


def _text(text: str) -> Any:
    """The JSON document of a body as text (json.loads(text), a byte order mark allowed)."""
    if text[:1] == "\ufeff":
        text = text[1:]
    # The first character before the pattern (most bodies start so; the pattern costs more).
    if text[:1] in _OPEN or _JSON_START_TEXT.match(text):
        if _FAST_LOADS is not None and len(text) <= _FAST_LIMIT:
            try:
                return _FAST_LOADS(text)
            except ValueError:  # orjson.JSONDecodeError: json may still read it
                pass
        return _document(text)
    return None


def parse_body(body: object) -> Any:
    """The JSON document in ``body``, or None when there is none; never raises.

    Bytes are read in every encoding json.loads reads (UTF-8, UTF-16 and UTF-32,
    with or without a byte order mark) and give the same document in each."""
    try:
        if isinstance(body, (bytes, bytearray)):
            first = body[:1]
            # The pattern only where it may match (a wide encoding's first byte never does).
            if first in _JSON_FIRST or (
                first not in _WIDE_FIRST and _JSON_START.match(body)
            ):
                if _FAST_LOADS is not None and len(body) <= _FAST_LIMIT:
                    try:
                        return _FAST_LOADS(body)
                    except ValueError:  # orjson.JSONDecodeError: json may still read it
                        pass
                try:
                    text = body.decode("utf-8")
                except (
                    UnicodeDecodeError
                ):  # UTF-8 with lone surrogates (as json reads it), or UTF-16/32
                    return _text(
                        body.decode(json.detect_encoding(body), "surrogatepass")
                    )
                try:
                    return _document(text)
                except (ValueError, StopIteration):
                    # Not JSON, or UTF-16/32 without a byte order mark ("{" then a zero byte).
                    encoding = json.detect_encoding(body)
                    if encoding == "utf-8":
                        raise
                    return _text(body.decode(encoding, "surrogatepass"))
            if (
                body[:3] == _BOM_UTF8
            ):  # decoded without the Python-level utf-8-sig codec
                return _text(str(memoryview(body)[3:], "utf-8", "surrogatepass"))
            if first in _WIDE_FIRST or body[1:2] == b"\x00":
                # A UTF-16 byte order mark names its codec, as json.detect_encoding would
                # (UTF-32 LE's starts as UTF-16 LE's, then two zero bytes): a quarter of
                # this branch's cost saved (bench/RESULTS.md).
                utf16 = body[:2] in _UTF16_BOMS and body[2:4] != b"\x00\x00"
                encoding = "utf-16" if utf16 else json.detect_encoding(body)
                return _text(body.decode(encoding, "surrogatepass"))
        elif isinstance(body, str):
            return _text(body)
        elif isinstance(body, memoryview):
            return parse_body(body.tobytes())
        elif isinstance(body, (dict, list)):
            return body
    except Exception:  # noqa: BLE001 - invalid, truncated or hostile JSON
        pass
    return None
