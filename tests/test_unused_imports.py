"""Generated modules import nothing they do not use: a linter's unused-import check (ruff
F401, with no configuration of ours) over every generated package, as a user's repository
would run it on vendored code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def _unused_imports(*paths: Path) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F401",
            "--output-format",
            "concise",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: findings
    return [line for line in done.stdout.splitlines() if ": F401 " in line]


def test_the_check_finds_an_unused_import(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import os\nfrom typing import Any, Literal\n\nx: Any = 1\n")
    found = _unused_imports(tmp_path)
    assert len(found) == 2 and "`os`" in found[0] and "`typing.Literal`" in found[1], found


def test_no_generated_package_imports_what_it_does_not_use() -> None:
    """generated/ (the seed specs) and tests/golden/ (a case per feature), .py and .pyi alike."""
    packages = [
        p
        for base in ("generated", "tests/golden")
        for p in sorted((ROOT / base).iterdir())
        if (p / "pyproject.toml").is_file()
    ]
    assert len(packages) >= 15
    assert _unused_imports(*packages) == []
