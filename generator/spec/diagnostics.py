"""Problems found in a spec, reported as values with their source position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, what is wrong, and how to fix it.

    An error stops the spec; a warning is reported beside the errors and stops
    nothing unless the command runs with ``--strict``.
    """

    file: str
    line: int  # 1-based; 0 when the position is unknown
    column: int  # 1-based; 0 when the position is unknown
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        label = "warning: " if self.severity == "warning" else ""
        text = f"{where}: {label}{self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

    def as_warning(self) -> Diagnostic:
        return Diagnostic(self.file, self.line, self.column, self.message, self.hint, "warning")


class SpecError(Exception):
    """A spec could not be loaded; carries every problem found (its warnings too, in order)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def format_all(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> str:
    """Diagnostics in source order, one after the other."""
    return "\n".join(d.format() for d in sorted(diagnostics))
