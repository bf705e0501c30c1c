"""Print a pip constraints file pinning every runtime dependency to its declared floor.

    python .ci/lowest_constraints.py > lowest.txt && pip install -c lowest.txt -e '.[test]'

Each requirement of ``[project.dependencies]`` in pyproject.toml must declare a
floor (``>=X``); the pin is ``name==X``. CI installs the project with these pins
and runs the whole suite, so a floor that no longer works (an API the generator
uses did not exist yet, other output) fails CI instead of a user's install.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement


def floors(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins: list[str] = []
    for text in project["dependencies"]:
        requirement = Requirement(text)
        lowest = [s.version for s in requirement.specifier if s.operator in (">=", "==", "~=")]
        if len(lowest) != 1:
            raise SystemExit(f"pyproject.toml: {text!r} declares no single floor (>=X)")
        pins.append(f"{requirement.name}=={lowest[0]}")
    return pins


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.stdout.write("".join(pin + "\n" for pin in floors(root / "pyproject.toml")))
