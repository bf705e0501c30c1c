"""Spec text into generated files: Python literals, docstrings, TOML and Markdown.

Spec text never enters a generated file except through one of these functions.
"""

from __future__ import annotations

import html as _html
import json
import math
import re
from typing import Any


def py(value: Any) -> str:
    """A Python literal for a plain value (str, int, float, bool, None, tuple, list, dict)."""
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(k)}: {py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (frozenset, set)):
        raise TypeError("sets have no stable order: pass a sorted tuple")
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value!r}")'  # repr gives inf, -inf or nan: names, not literals
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def py_text(text: str) -> str:
    """``text`` escaped to sit inside a triple-double-quoted string literal."""
    body = repr(str(text))[1:-1]
    return body.replace('"', '\\"')


def doc(text: str) -> str:
    """A docstring literal whose value is exactly ``text``.

    Plain one-line text reads as ``\"\"\"text\"\"\"``; anything else (newlines,
    quotes, backslashes, non-printables, surrounding spaces) is an escaped literal.
    """
    text = str(text)
    plain = text and text.isprintable() and text == text.strip() and '"' not in text and "\\" not in text
    if plain:
        return f'"""{text}"""'
    if text and text[-1] in "'\"":
        # Black adds a space before a docstring's closing quotes when the content
        # ends in a quote character; the same character as a hex escape is not one.
        head = repr(text[:-1])
        return head[:-1] + ("\\x27" if text[-1] == "'" else "\\x22") + head[-1]
    return repr(text)


def module_doc(text: str) -> str:
    """A module docstring literal: like ``doc``, but plain text may span lines."""
    text = str(text)
    lines = text.split("\n")
    plain = all(line.isprintable() and line == line.rstrip() for line in lines) and (
        '"' not in text and "\\" not in text and text == text.strip()
    )
    return f'"""{text}\n"""' if plain and len(lines) > 1 else doc(text)


def literal_type(value: Any) -> str:
    """The type of a constant: ``Literal[...]`` for a value, ``None`` for None."""
    return "None" if value is None else f"Literal[{py(value)}]"


def toml(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def md(text: str) -> str:
    """Text for a Markdown paragraph or table cell: one line, pipes and markup escaped."""
    out = " ".join(str(text).split())
    for ch in "\\`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out


def comment(text: str) -> str:
    """Text safe in a ``#`` comment line: printable, one line."""
    text = str(text)
    return text if text.isprintable() else repr(text)


def md_code(text: str, table: bool = False) -> str:
    """An inline Markdown code span showing ``text`` verbatim (one line; ``table``: pipes escaped).

    The fence is one backtick longer than the longest run of backticks inside, and
    padded with spaces when the text starts or ends with a backtick.
    """
    out = " ".join(str(text).split()) or " "
    runs = [len(r) for r in "".join(ch if ch == "`" else " " for ch in out).split()]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if out.startswith("`") or out.endswith("`") else ""
    if table:
        out = out.replace("|", "\\|")  # a GFM table cell: the escape is removed before the span is read
    return f"{fence}{pad}{out}{pad}{fence}"


def md_block(text: str) -> str:
    """The inside of a fenced code block opened with ``md_fence``: text kept verbatim."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def md_fence(text: str) -> str:
    """A backtick fence longer than any line of ``text`` that starts with backticks."""
    longest = 0
    for line in str(text).splitlines():
        stripped = line.lstrip(" ")
        longest = max(longest, len(stripped) - len(stripped.lstrip("`")))
    return "`" * max(3, longest + 1)


def html_comment(text: object) -> str:
    """Text inside ``<!-- ... -->``: one line that cannot end the comment early.

    HTML ends a comment at ``-->`` or ``--!>``, and a comment must not start with
    ``>`` or ``->``; no ``--`` is left in the text, nor a ``-`` or ``>`` at its edges.
    """
    out = " ".join(str(text).split())
    while "--" in out:
        out = out.replace("--", "- -")
    if out.startswith((">", "-")):
        out = " " + out
    if out.endswith("-"):
        out += " "
    return out


_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:")


def md_url(url: str) -> str:
    """A Markdown autolink to ``url``, whose target is exactly ``url``.

    Backslash escapes are not read inside an autolink (``<a\\_b>`` links to
    ``a%5C_b``), so the URL goes in verbatim; the characters an autolink cannot hold
    (white space, ``<``, ``>``, controls) are percent-encoded, as a browser would.
    Text that is not an absolute URL is shown as escaped text instead.
    """
    text = str(url)
    if not _URL_SCHEME.match(text):
        return md(text)
    kept = (_percent(ch) if ch in "<> " or not ch.isprintable() else ch for ch in text)
    return "<" + "".join(kept) + ">"


def _percent(ch: str) -> str:
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass"))


def html(text: object) -> str:
    """Text for HTML element content or a double-quoted attribute."""
    return _html.escape(str(text), quote=True)
