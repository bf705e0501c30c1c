"""The base of the spec checkers: problems about one document, collected as Diagnostics."""

from __future__ import annotations

from .diagnostics import Diagnostic
from .format import Spec
from .loader import Document, Loc


class Checker:
    """Checks one loaded spec and collects every problem instead of stopping at the first."""

    def __init__(self, doc: Document, spec: Spec) -> None:
        self.doc = doc
        self.spec = spec
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def problem(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(self.doc.diagnostic(loc, message, hint))

    def warning(self, loc: Loc, message: str, hint: str = "") -> None:
        """Something probably wrong that does not stop the spec (unless ``--strict``)."""
        self.warnings.append(self.doc.diagnostic(loc, message, hint).as_warning())
