"""The generator's layout: no import cycles, no private names imported across modules,
and a package docstring whose module map names every module (issue 17 §3)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import errorsdk

PACKAGE = Path(errorsdk.__file__).resolve().parent
NAME = "errorsdk"
RUNTIME = PACKAGE / "rendering" / "runtime"


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, not ``.__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        if path.parent == RUNTIME and path.name != "__init__.py":
            continue  # a generated package's modules, copied into it (tests/test_runtime_source.py)
        parts = [NAME, *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, str, int]]:
    """(module imported, name taken from it or "", line) for every import in the module,
    at any depth (imports inside functions count: a lazy import still makes the cycle)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: list[tuple[str, str, int]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names if alias.name.split(".")[0] == NAME]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == NAME:
                module = node.module or ""
            else:
                continue
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                if submodule in MODULES:  # `from . import x`: the module x
                    found.append((submodule, "", node.lineno))
                else:
                    found.append((module, alias.name, node.lineno))
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = set()
        for module, _, _ in _imports(name, path):
            # importing a.b.c runs a and a.b first: their __init__ modules are edges too
            parts = module.split(".")
            targets |= {".".join(parts[:i]) for i in range(2, len(parts) + 1) if ".".join(parts[:i]) in MODULES}
        graph[name] = targets - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    """The check itself can fail: a two-module loop and a longer one are both found."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == [], "modules that import each other (directly or round a loop)"


def test_no_private_names_across_modules() -> None:
    """A leading underscore means "this module only": no other module imports it."""
    leaks = [
        f"{MODULES[name].relative_to(PACKAGE)}:{line}: imports {taken} from {module}"
        for name, path in MODULES.items()
        for module, taken, line in _imports(name, path)
        if taken.startswith("_") and not taken.startswith("__") and module != name
    ] + [
        f"{MODULES[name].relative_to(PACKAGE)}:{line}: imports the private module {module}"
        for name, path in MODULES.items()
        for module, _, line in _imports(name, path)
        if any(part.startswith("_") and not part.startswith("__") for part in module.split(".")[1:])
    ]
    assert leaks == []


def test_every_import_resolves() -> None:
    """The graph is the real one: every errorsdk module an import names exists (a typo
    or a stale name would otherwise hide an edge from the cycle check)."""
    missing = [
        f"{name}: {module}"
        for name, path in MODULES.items()
        for module, _, _ in _imports(name, path)
        if module not in MODULES
    ]
    assert missing == []


def _mapped() -> set[str]:
    """Module names the package docstring's map lists: each entry line starts with a
    path such as ``spec/loader`` or ``cli`` (a package: ``spec/``)."""
    doc = errorsdk.__doc__ or ""
    names = set()
    for line in doc.splitlines():
        match = re.match(r"\s{4}([a-z_]+(?:/[a-z_]+)*/?)(?:\s|$)", line)
        if match:
            names.add(NAME + "." + match.group(1).strip("/").replace("/", "."))
    return names


def test_module_map_names_every_module() -> None:
    listed = _mapped()
    modules = set(MODULES) - {NAME, f"{NAME}.__main__"}
    assert sorted(modules - listed) == [], "add these to the module map in generator/__init__.py"
    assert sorted(listed - modules) == [], "the module map names modules that do not exist"


ROOT = Path(__file__).resolve().parent.parent


def _build(version: str, folder: Path) -> Path:
    from hatchling.builders.wheel import WheelBuilder

    return Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(folder), versions=[version]))))


def test_the_wheel_installs_the_import_package_errorsdk(tmp_path: Path) -> None:
    """generator/ ships as errorsdk/ with its templates and spec.schema.json; nothing else
    at the top level (no `generator` to clash with another distribution's)."""
    import zipfile

    names = zipfile.ZipFile(_build("standard", tmp_path)).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"errorsdk", "errorsdk-0.1.0.dist-info"}
    assert "errorsdk/spec.schema.json" in names and "errorsdk/__main__.py" in names
    assert "errorsdk/_templates/package/errors.py.jinja" in names
    assert not [name for name in names if "__pycache__" in name]
    entry_points = zipfile.ZipFile(_build("standard", tmp_path)).read("errorsdk-0.1.0.dist-info/entry_points.txt")
    assert b"errorsdk = errorsdk.cli:main" in entry_points


def test_an_editable_install_maps_errorsdk_to_the_checkout(tmp_path: Path) -> None:
    """The editable wheel's finder, alone on the path (``-S``: no site-packages), makes
    ``import errorsdk`` read generator/ and exposes no ``generator``."""
    import subprocess
    import sys
    import zipfile

    wheel = zipfile.ZipFile(_build("editable", tmp_path / "wheel"))
    assert {name.split("/")[0] for name in wheel.namelist()} >= {"_errorsdk_editable.py", "_errorsdk_editable.pth"}
    assert not [name for name in wheel.namelist() if name.startswith(("generator/", "errorsdk/"))]
    (tmp_path / "_errorsdk_editable.py").write_bytes(wheel.read("_errorsdk_editable.py"))
    probe = (
        "import importlib.util, sys; sys.path.insert(0, sys.argv[1]); import _errorsdk_editable; "
        "import errorsdk.spec.paths as p; print(p.__file__); print(importlib.util.find_spec('generator'))"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe, str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    module, generator = done.stdout.split()
    assert Path(module) == ROOT / "generator" / "spec" / "paths.py"
    assert generator == "None"
