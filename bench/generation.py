"""Generation: wall time and peak memory end to end, against black alone on the same output.

Every measurement runs in a fresh subprocess (``python -m bench.generation_child``)
so peak memory (VmHWM) belongs to that run alone. The floor is black
formatting the very text the templates render (before formatting), after black's
import: a generator that must format its output cannot be faster.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from errorsdk.pipeline import MIN_PARALLEL

from .synthetic import write_specs
from .timing import Budget, Row, fmt_ratio, fmt_time, median, verdict

ROOT = Path(__file__).resolve().parent.parent
FLOOR_TARGET = 1.5
INCREMENTAL_TARGET = 0.05
ERRORS_PER_API = 50
FLOOR_SAMPLE = 10  # APIs whose black time is measured when there are many (all are the same size)
COMMAND_ROUNDS = 5  # turns of (black command, errorsdk command) for a few specs


def _child(*args: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "bench.generation_child", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(specs: Path, out: Path, *extra: str) -> tuple[float, float, list[str]]:
    """Wall and CPU seconds (pool workers included) of a whole ``generate`` command, and its output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(
        [sys.executable, "-m", "errorsdk", "generate", "--specs-dir", str(specs), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return time.perf_counter() - start, _cpu() - cpu, done.stdout.splitlines()


def _black_command(raw: Path, scratch: Path) -> float:
    """Wall seconds of the black command formatting a fresh copy of the files in ``raw``.

    ``--fast`` skips black's AST comparison, as ``black.format_str`` (what errorsdk calls)
    does; a new ``BLACK_CACHE_DIR`` each time, so nothing is skipped as already formatted.
    Like ``errorsdk generate`` it pays interpreter start-up and imports, and may use
    every core (black formats files in a process pool).
    """
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(raw, scratch / "files")
    env = dict(os.environ, BLACK_CACHE_DIR=str(scratch / "cache"))
    command = [sys.executable, "-m", "black", "--fast", "--quiet", "--target-version", "py311", str(scratch / "files")]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def few_apis(count: int, specs: Path, root: Path) -> list[Row]:
    """A whole command on a few specs, against the black command on the same unformatted files.

    With fewer specs than ``MIN_PARALLEL`` errorsdk formats each package's files over the
    cores, and a command's fixed costs (interpreter, imports) weigh as much as the
    formatting; so the like-for-like floor is black's own command on the same files.
    The two take turns ``COMMAND_ROUNDS`` times; medians, and the median of the paired ratios.
    """
    raw = root / f"raw-{count}"
    _child("raw", str(specs), str(raw))
    black_cpu = _child("black", str(specs))["black"]
    blacks: list[float] = []
    walls: list[float] = []
    cpus: list[float] = []
    for turn in range(COMMAND_ROUNDS):
        blacks.append(_black_command(raw, root / "black-scratch"))
        wall, cpu, _ = _cli(specs, root / f"out-few-{count}-{turn}", "--no-cache")
        walls.append(wall)
        cpus.append(cpu)
    ratio = median([w / b for w, b in zip(walls, blacks)])
    case = f"{count} APIs x {ERRORS_PER_API} errors"
    wall = median(walls)
    return [
        Row(
            "generation",
            case,
            "floor: black command on the same unformatted files (wall)",
            fmt_time(median(blacks)),
            "1.00x",
        ),
        Row(
            "generation",
            case,
            "errorsdk generate, whole command (wall)",
            fmt_time(wall),
            fmt_ratio(ratio),
            verdict(ratio <= FLOOR_TARGET, f"<= {FLOOR_TARGET}x black"),
        ),
        Row(
            "generation",
            case,
            "  same run, CPU of all its processes",
            fmt_time(median(cpus)),
            fmt_ratio(median(cpus) / black_cpu),
            f"{median(cpus) / wall:.2f} cores busy on average",
        ),
        Row(
            "generation",
            case,
            "black alone in-process (CPU, after its import; 1 core)",
            fmt_time(black_cpu),
            fmt_ratio(wall / black_cpu),
            "(no target: leaves out start-up and imports, which a command pays)",
        ),
    ]


def _mb(kilobytes: float) -> str:
    return f"{kilobytes / 1024:.0f} MB peak"


def one_api(sizes: tuple[int, ...], root: Path) -> list[Row]:
    rows: list[Row] = []
    per_error: list[float] = []
    for size in sizes:
        spec = write_specs(root / f"one-{size}", 1, size)[0]
        rounds = "1" if size >= 10_000 else "3" if size >= 1_000 else "5"  # 10,000 errors: ~2 min a round
        result = _child("one", str(spec), str(root / f"out-one-{size}"), rounds)
        e2e, floor, ratio = result["end_to_end_cpu"], result["black"], result["ratio"]
        per_error.append(e2e / size)
        case = f"1 API, {size:,} errors"
        rows.append(Row("generation", case, "floor: black alone (CPU)", fmt_time(floor), "1.00x"))
        rows.append(
            Row(
                "generation",
                case,
                f"errorsdk end to end (CPU; wall {fmt_time(result['end_to_end'])})",
                fmt_time(e2e),
                fmt_ratio(ratio),
                verdict(ratio <= FLOOR_TARGET, f"<= {FLOOR_TARGET}x black"),
            )
        )
        rows.append(Row("generation", case, "errorsdk memory", _mb(result["maxrss_kb"]), ""))
    growth = per_error[-1] / per_error[0] if len(per_error) > 1 else 1.0
    rows.append(
        Row(
            "generation",
            "growth",
            f"time per error, {sizes[-1]:,} vs {sizes[0]:,} errors",
            "",
            fmt_ratio(growth),
            verdict(growth <= 1.5, "linear: <= 1.5x"),
        )
    )
    return rows


def many_apis(counts: tuple[int, ...], root: Path) -> list[Row]:
    rows: list[Row] = []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    for count in counts:
        specs = root / f"many-{count}"
        write_specs(specs, count, ERRORS_PER_API)
        if count < MIN_PARALLEL:
            rows += few_apis(count, specs, root)
            continue
        sample = root / f"sample-{count}"
        write_specs(sample, min(count, FLOOR_SAMPLE), ERRORS_PER_API)
        black = _child("black", str(sample))["black"] * count / min(count, FLOOR_SAMPLE)
        floor = black / min(cores, count)
        out = root / f"out-many-{count}"
        cold, cold_cpu, _ = _cli(specs, out, "--no-cache")
        case = f"{count} APIs x {ERRORS_PER_API} errors"
        used = min(cores, count)
        rows.append(Row("generation", case, f"floor: black alone (CPU), over {used} core(s)", fmt_time(floor), "1.00x"))
        rows.append(
            Row(
                "generation",
                case,
                "errorsdk generate, whole command (wall)",
                fmt_time(cold),
                fmt_ratio(cold / floor),
                verdict(cold / floor <= FLOOR_TARGET, f"<= {FLOOR_TARGET}x black"),
            )
        )
        rows.append(
            Row(
                "generation",
                case,
                "  same run, CPU of all its processes",
                fmt_time(cold_cpu),
                fmt_ratio(cold_cpu / black),
                f"{cold_cpu / cold:.2f} cores busy on average",
            )
        )
        if count == counts[-1]:
            warm, _, _ = _cli(specs, out)
            rows.append(
                Row(
                    "incremental",
                    case,
                    "re-run, nothing changed",
                    fmt_time(warm),
                    f"{warm / cold:.2%}",
                    verdict(warm / cold <= INCREMENTAL_TARGET, f"<= {INCREMENTAL_TARGET:.0%} of cold"),
                )
            )
            changed = specs / "syn0000.yaml"
            changed.write_text(changed.read_text("utf-8").replace("retry.", "retry now.", 1), "utf-8")
            one, _, lines = _cli(specs, out)
            redone = [line for line in lines if line.startswith("wrote")]
            rows.append(
                Row(
                    "incremental",
                    case,
                    f"re-run, 1 spec changed ({len(redone)} redone)",
                    fmt_time(one),
                    f"{one / cold:.2%}",
                    verdict(len(redone) == 1, "only that spec redone"),
                )
            )
    return rows


def runtime_copy(root: Path, quick: bool) -> list[Row]:
    """Generation with the runtime modules copied, against the same run also formatting them
    with black (what rendering them as templates cost), paired in one process."""
    rows: list[Row] = []
    specs = [ROOT / "specs" / "flux.yaml"]
    specs += [write_specs(root / f"runtime-{size}", 1, size)[0] for size in ((10, 100) if quick else (10, 100, 1_000))]
    for spec in specs:
        result = _child("runtime", str(spec), str(root / f"out-runtime-{spec.stem}-{spec.parent.name}"), "5")
        size = "flux (seed spec)" if spec.parent.name == "specs" else f"1 API, {spec.parent.name.split('-')[1]} errors"
        share = result["copied_chars"] / (result["copied_chars"] + result["formatted_chars"])
        rows.append(
            Row(
                "generation",
                size,
                "before: runtime rendered and black-formatted (CPU)",
                fmt_time(result["before"]),
                "1.00x",
            )
        )
        rows.append(
            Row(
                "generation",
                size,
                "after: runtime copied, not formatted (CPU)",
                fmt_time(result["now"]),
                fmt_ratio(result["ratio"]),
                f"{share:.0%} of the package's Python is copied, not formatted",
            )
        )
    return rows


def datamodel_codegen() -> list[Row]:
    detail = ROOT / "bench" / "detail_models.py"
    if detail.exists():
        return []  # bench/detail_models.py reports this comparison itself
    return [
        Row(
            "generation",
            "detail schemas",
            "datamodel-code-generator comparison",
            "n/a",
            "",
            "no detail schemas in the spec format yet (issue 3)",
        )
    ]


def run(budget: Budget) -> list[Row]:
    sizes = (10, 100) if budget.quick else (10, 100, 1_000, 10_000)
    counts = (1, 8) if budget.quick else (1, 50, 500)
    root = Path(tempfile.mkdtemp(prefix="errorsdk-bench-"))
    try:
        return one_api(sizes, root) + runtime_copy(root, budget.quick) + many_apis(counts, root) + datamodel_codegen()
    finally:
        shutil.rmtree(root, ignore_errors=True)
