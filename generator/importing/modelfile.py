"""Reading a machine-readable model (JSON, optionally gzipped) with clear errors.

A file that is no JSON is reported at its ``file:line:col``; a value of the wrong shape at
its JSON pointer (``file: /shapes/Foo/error/httpStatusCode: ...``). Either way a SpecError,
never a traceback, and the importer writes nothing.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, NoReturn

from ..spec.diagnostics import Diagnostic, SpecError


def fail(path: Path, message: str, hint: str, line: int = 0, column: int = 0) -> NoReturn:
    raise SpecError([Diagnostic(str(path), line, column, message, hint)])


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer: ``/shapes/a~1b``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def load_json(path: Path, what: str, missing: str = "check the path") -> Any:
    """The file's JSON (``.gz``: decompressed first)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(path, f"cannot read the {what}: {exc.strerror or exc}", missing)
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            fail(path, f"not a readable gzip file: {exc}", f"give the {what} as JSON or intact .json.gz")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(path, f"not UTF-8 text (byte {exc.start})", f"give the {what} as UTF-8 JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(path, f"not JSON: {exc.msg}", f"give the {what} as JSON", exc.lineno, exc.colno)
    except RecursionError:
        fail(path, "not JSON this importer can read: nested too deeply", f"give the {what} as JSON")


class Reader:
    """Typed access to a JSON model; a wrong type is a SpecError at its JSON pointer."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what

    def wrong(self, where: str, message: str, hint: str = "") -> NoReturn:
        fail(self.path, f"{where or '/'}: {message}", hint or f"check the {self.what} against its format")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.wrong(where, f"expected an object, got {_kind(value)}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            self.wrong(where, f"expected a string, got {_kind(value)}")
        return value

    def status(self, value: Any, where: str) -> int:
        if type(value) is not int or not 100 <= value <= 599:
            self.wrong(where, f"expected an HTTP status (an integer 100-599), got {json.dumps(value)[:60]}")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), f"a number ({value})" if isinstance(value, (int, float)) else type(value).__name__
    )
