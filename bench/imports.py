"""Import time of a generated package with 2,000 codes vs 2,000 empty exception classes.

Each import runs in a fresh interpreter that may write bytecode (PYTHONDONTWRITEBYTECODE
unset), after one unrecorded import of each module, so every run reads cached .pyc files
as after any first import; the child times the import statement alone. The package,
the floor and the peers take turns run by run, and each ratio is the median of the
per-run ratios. Every code's class is a ``class`` statement, made as the module runs.

Budget: within 2.5x the floor, and faster than ``google.api_core.exceptions`` (which
declares a few dozen classes by hand).
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
TARGET = 2.5
BEATS = "google.api_core.exceptions"  # the peer the package must import faster than
PEERS = (BEATS, "botocore.exceptions", "openai")  # imported as the package is, run by run

_CHILD = "import sys, time; sys.path[:0] = {path!r}; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def child_env() -> dict[str, str]:
    """The environment of a timed child: this one without PYTHONDONTWRITEBYTECODE (a child
    that inherits it writes no bytecode, so whatever the warm-up run compiled it compiles
    again at every run, which users, whose imports write .pyc, never pay)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _one_import(module: str, path: list[str]) -> float:
    """Seconds to import ``module`` in a fresh interpreter."""
    code = _CHILD.format(path=path, module=module)
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
    from errorsdk.output.write import write_package
    from errorsdk.pipeline import generate_package

    spec = write_specs(root / "specs-one", 1, 1)[0]
    output = generate_package(spec)
    write_package(root / "out-one", output)
    compileall.compile_dir(root / "out-one", quiet=1)
    path = [str(root / "out-one" / output.package)]
    stdlib = stdlib_imports(output.package, path)
    stdlib_line = ", ".join(stdlib)  # imported in one statement, as the package's modules do
    stdlib_runs, package_runs = import_times([(stdlib_line, []), (output.package, path)], runs)
    direct = direct_stdlib_imports(root / "out-one" / output.package / output.package)
    named = ", ".join(m for m in direct if m in stdlib)  # not sys, time: loaded at start-up
    section, case = "import", "fixed cost (1 code)"
    return [
        Row(
            section,
            case,
            f"floor: the {len(stdlib)} stdlib modules it loads (it imports {named})",
            fmt_time(statistics.median(stdlib_runs)),
            "1.00x",
        ),
        Row(
            section,
            case,
            "errorsdk package with 1 code (its runtime modules)",
            fmt_time(statistics.median(package_runs)),
            fmt_ratio(paired_ratio(package_runs, stdlib_runs)),
            "(no target: should not grow)",
        ),
    ]


def import_times(modules: list[tuple[str, list[str]]], runs: int) -> list[list[float]]:
    """Seconds to import each (module, path), per run; they take turns run by run
    (so a burst of load hits them alike), after one unrecorded run that warms the caches
    and writes the bytecode."""
    for module, path in modules:
        _one_import(module, path)
    times: list[list[float]] = [[] for _ in modules]
    for _ in range(runs):
        for index, (module, path) in enumerate(modules):
            times[index].append(_one_import(module, path))
    return times


def import_time(module: str, path: list[str], runs: int) -> float:
    """Median seconds to import ``module`` in a fresh interpreter."""
    return statistics.median(import_times([(module, path)], runs)[0])


def plain_module(folder: Path, count: int) -> str:
    """Write a module of ``count`` empty exception classes (the floor); its name."""
    lines = ['"""2,000 empty exception classes: the floor for importing an error package."""', ""]
    lines.append("class BaseError(Exception):\n    pass\n")
    lines += [f"class Error{i:05d}(BaseError):\n    pass\n" for i in range(count)]
    (folder / "plain_errors.py").write_text("\n".join(lines), "utf-8")
    return "plain_errors"


def measure(root: Path, codes: int, runs: int, peers: tuple[str, ...] = PEERS) -> dict[str, list[float]]:
    """Per-run import seconds of the floor, a generated package of ``codes`` codes, and
    each installed peer, all in one run (keys: "floor", "package", and the peers' names)."""
    from errorsdk.output.write import write_package
    from errorsdk.pipeline import generate_package

    spec = write_specs(root / "specs", 1, codes)[0]
    output = generate_package(spec)
    write_package(root / "out", output)
    plain = plain_module(root, codes)
    compileall.compile_dir(root, quiet=1)  # cached even where the parent may not write bytecode
    subjects: dict[str, tuple[str, list[str]]] = {
        "floor": (plain, [str(root)]),
        "package": (output.package, [str(root / "out" / output.package)]),
    }
    for module in peers:
        if _installed(module):
            subjects[module] = (module, [])
    times = import_times(list(subjects.values()), runs)
    return dict(zip(subjects, times))


def run(budget: Budget) -> list[Row]:
    runs = 7 if budget.quick else 31
    codes = 200 if budget.quick else CODES
    with tempfile.TemporaryDirectory() as tmp:
        times = measure(Path(tmp), codes, runs)
    floor_runs, our_runs = times["floor"], times["package"]
    section = "import"
    case = f"{codes:,} codes"
    rows = [
        Row(
            section, case, f"floor: {codes:,} empty exception classes", fmt_time(statistics.median(floor_runs)), "1.00x"
        )
    ]
    ratio = paired_ratio(our_runs, floor_runs)
    target = verdict(ratio <= TARGET, f"<= {TARGET}x floor")
    if BEATS in times:
        versus = paired_ratio(our_runs, times[BEATS])
        target += f"; {verdict(versus < 1.0, f'{versus:.2f}x {BEATS}')}"
    rows.append(Row(section, case, "errorsdk package", fmt_time(statistics.median(our_runs)), fmt_ratio(ratio), target))
    for module in PEERS:
        if module not in times:
            rows.append(Row(section, "peers", f"{module}: not installed; pip install '.[bench]'", ""))
            continue
        peer = times[module]
        rows.append(
            Row(section, "peers", module, fmt_time(statistics.median(peer)), fmt_ratio(paired_ratio(peer, floor_runs)))
        )
    with tempfile.TemporaryDirectory() as tmp:
        rows += fixed_cost_rows(Path(tmp), runs)
    return rows
