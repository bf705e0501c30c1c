"""Every test module has a tier, every tier is a registered marker, and the table names
only tests that exist (a renamed test would otherwise lose its `slow` silently)."""

from __future__ import annotations

import ast
import tomllib

from .conftest import ROOT, TIERS

TIER_NAMES = {"unit", "runtime", "e2e"}


def registered_markers() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {line.split(":")[0].strip() for line in pyproject["tool"]["pytest"]["ini_options"]["markers"]}


def test_every_test_module_has_exactly_one_tier() -> None:
    modules = sorted(p.stem for p in (ROOT / "tests").glob("test_*.py"))
    assert [m for m in modules if m not in TIERS] == []
    for module in modules:
        assert len(set(TIERS[module]) & TIER_NAMES) == 1, module


def test_every_tier_is_a_registered_marker() -> None:
    used = {tier for tiers in TIERS.values() for tier in tiers}
    assert used <= registered_markers()
    assert (
        "--strict-markers"
        in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    )


def test_single_tests_named_in_the_table_exist() -> None:
    for key in [k for k in TIERS if "::" in k]:
        module, name = key.split("::")
        path = ROOT / "tests" / f"{module}.py"
        assert module in TIERS and path.exists(), key
        functions = {
            n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.FunctionDef)
        }
        assert name in functions, key
