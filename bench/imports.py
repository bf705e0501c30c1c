"""Import time of a generated package with 2,000 codes vs 2,000 empty exception classes.

Each import runs in a fresh interpreter (bytecode already cached, as after any
first import, and read from the cache as users have it: the child's environment
drops PYTHONDONTWRITEBYTECODE); the child times the import statement alone. The package and the
floor take turns run by run; the ratio is the median of the per-run ratios, beside
the import times of peers' exception modules. A code's class is made on first use,
so a third run times the import plus making all 2,000 (the cost the import defers).
"""

from __future__ import annotations

import ast
import compileall
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .synthetic import write_specs
from .timing import Budget, Row, fmt_ratio, fmt_time, paired_ratio, verdict

CODES = 2_000
TARGET = 1.5
PEERS = ("google.api_core.exceptions", "botocore.exceptions", "openai")

_CHILD = "import sys, time; sys.path[:0] = {path!r}; t = time.perf_counter(); import {module}{then}; print(time.perf_counter() - t)"
EVERY_CLASS = "; {module}.ERROR_CLASSES"  # the package's code classes are made on first use: all of them


def child_env() -> dict[str, str]:
    """The environment of a timed child: this one without PYTHONDONTWRITEBYTECODE (a child
    that inherits it writes no bytecode, so whatever the warm-up run compiled it compiles
    again at every run, which users, whose imports write .pyc, never pay)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _one_import(module: str, path: list[str], then: str = "") -> float:
    """Seconds to import ``module`` in a fresh interpreter (and run ``then`` after)."""
    code = _CHILD.format(path=path, module=module, then=then.format(module=module))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=child_env())
    return float(out.stdout.strip())


_STDLIB_OF = (
    "import sys; before = set(sys.modules); sys.path[:0] = {path!r}; import {module}; "
    "print(' '.join(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in sys.stdlib_module_names)))"
)


def stdlib_imports(module: str, path: list[str]) -> list[str]:
    """The standard-library modules importing ``module`` loads that a bare interpreter has not."""
    code = _STDLIB_OF.format(path=path, module=module)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=child_env())
    return out.stdout.split()


def _installed(module: str) -> bool:
    """Whether ``module`` itself can be imported (a namespace such as google. may exist without it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def direct_stdlib_imports(package: Path) -> list[str]:
    """The standard-library modules the package's modules import at module level."""
    names: set[str] = set()
    for source in package.glob("*.py"):
        for node in ast.parse(source.read_text("utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] in sys.stdlib_module_names and n != "__future__")


def fixed_cost_rows(root: Path, runs: int) -> list[Row]:
    """The package's fixed import cost (a one-code package: its runtime modules, no catalogue)
    against importing the standard-library modules it loads, which no redesign can remove."""
    from generator.pipeline import generate_package
    from generator.writing import write_package

    spec = write_specs(root / "specs-one", 1, 1)[0]
    output = generate_package(spec)
    write_package(root / "out-one", output)
    compileall.compile_dir(root / "out-one", quiet=1)
    path = [str(root / "out-one" / output.package)]
    stdlib = stdlib_imports(output.package, path)
    stdlib_line = ", ".join(stdlib)  # imported in one statement, as the package's modules do
    stdlib_runs, package_runs = import_times([(stdlib_line, [], ""), (output.package, path, "")], runs)
    direct = direct_stdlib_imports(root / "out-one" / output.package / output.package)
    named = ", ".join(m for m in direct if m in stdlib)  # not sys, time: loaded at start-up
    section, case = "import", "fixed cost (1 code)"
    return [
        Row(section, case, f"floor: the {len(stdlib)} stdlib modules it loads (it imports {named})",
            fmt_time(statistics.median(stdlib_runs)), "1.00x"),
        Row(section, case, "errorsdk package with 1 code (its runtime modules)", fmt_time(statistics.median(package_runs)),
            fmt_ratio(paired_ratio(package_runs, stdlib_runs)), "(no target: should not grow)"),
    ]


def import_times(modules: list[tuple[str, list[str], str]], runs: int) -> list[list[float]]:
    """Seconds to import each (module, path, then), per run; they take turns run by run
    (so a burst of load hits them alike), after one unrecorded run that warms the caches."""
    for module, path, then in modules:
        _one_import(module, path, then)
    times: list[list[float]] = [[] for _ in modules]
    for _ in range(runs):
        for index, (module, path, then) in enumerate(modules):
            times[index].append(_one_import(module, path, then))
    return times


def import_time(module: str, path: list[str], runs: int) -> float:
    """Median seconds to import ``module`` in a fresh interpreter."""
    return statistics.median(import_times([(module, path, "")], runs)[0])


def _plain_module(folder: Path, count: int) -> str:
    lines = ['"""2,000 empty exception classes: the floor for importing an error package."""', ""]
    lines.append("class BaseError(Exception):\n    pass\n")
    lines += [f"class Error{i:05d}(BaseError):\n    pass\n" for i in range(count)]
    (folder / "plain_errors.py").write_text("\n".join(lines), "utf-8")
    return "plain_errors"


def run(budget: Budget) -> list[Row]:
    from generator.pipeline import generate_package
    from generator.writing import write_package

    runs = 7 if budget.quick else 31
    codes = 200 if budget.quick else CODES
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        spec = write_specs(root / "specs", 1, codes)[0]
        output = generate_package(spec)
        write_package(root / "out", output)
        plain = _plain_module(root, codes)
        # bytecode cached, as after any first import (even under PYTHONDONTWRITEBYTECODE)
        compileall.compile_dir(root, quiet=1)
        ours_path = [str(root / "out" / output.package)]
        floor_runs, our_runs, every_runs = import_times(
            [(plain, [str(root)], ""), (output.package, ours_path, ""), (output.package, ours_path, EVERY_CLASS)], runs)
    floor, ours = statistics.median(floor_runs), statistics.median(our_runs)
    section = "import"
    case = f"{codes:,} codes"
    rows.append(Row(section, case, f"floor: {codes:,} empty exception classes", fmt_time(floor), "1.00x"))
    ratio = paired_ratio(our_runs, floor_runs)
    rows.append(Row(section, case, "errorsdk package", fmt_time(ours), fmt_ratio(ratio), verdict(ratio <= TARGET, f"<= {TARGET}x floor")))
    rows.append(Row(section, case, "errorsdk package, then every class made", fmt_time(statistics.median(every_runs)),
                    fmt_ratio(paired_ratio(every_runs, floor_runs)), "(no target: the work import defers)"))
    for module in PEERS:
        if not _installed(module):
            rows.append(Row(section, "peers", f"{module}: not installed; pip install '.[bench]'", ""))
            continue
        peer = import_time(module, [], runs)
        rows.append(Row(section, "peers", module, fmt_time(peer), fmt_ratio(peer / floor)))
    with tempfile.TemporaryDirectory() as tmp:
        rows += fixed_cost_rows(Path(tmp), runs)
    return rows
