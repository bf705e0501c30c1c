"""No error class can shadow a name a generated module defines or imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from errorsdk.spec.naming import taken_reason

from .conftest import GENERATED, ROOT

PACKAGES = sorted(
    p for base in (GENERATED, ROOT / "tests" / "golden") for p in base.iterdir() if (p / p.name / "_base.py").is_file()
)


def module_names(source: str) -> set[str]:
    """Every name bound at module level (imports too; also under ``if TYPE_CHECKING``
    and its ``else``)."""
    names: set[str] = set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    body = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If):
            body += node.body + node.orelse
    for node in body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_runtime_name_is_reserved(package: Path) -> None:
    base = next(n for n in module_names((package / package.name / "_base.py").read_text()) if n.endswith("Error"))
    prefix = base.removesuffix("Error")
    folder = package / package.name
    defined_by_spec = module_names((folder / "errors.py").read_text())
    names: set[str] = set()
    for module in sorted([*folder.glob("*.py"), *folder.glob("*.pyi")]):
        if module.name != "models.py":  # detail models: named by the spec, in their own namespace
            names |= module_names(module.read_text())
    # names a spec's class could take (PascalCase-ish), minus the spec's own error classes
    candidates = {n for n in names if n[0].isupper()} - {n for n in defined_by_spec if n.endswith("Error")}
    free = sorted(n for n in candidates if taken_reason(n, prefix) is None)
    assert free == [], "add these to generator/spec/naming.py PACKAGE_NAMES"
