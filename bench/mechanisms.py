"""The generator's speed mechanisms, each measured against running without it (issue 17 §3).

``python -m bench.mechanisms [SIZE ...]`` prints one JSON line per size (errors in one
synthetic API; default 50 and 2000). Every figure is CPU seconds of one process, or a
ratio of them, so it holds on a loaded machine where wall time does not:

- ``gc_paused_vs_plain``: black with the cycle collector paused (``format_code``)
  against plain ``black.format_str`` on the same files;
- ``forked_vs_serial``: one API formatted over 2 processes (``format_all(jobs=2)``)
  against 1, as wall time on 2 free cores would be: the rest of the run plus the
  longer of the two processes' CPU;
- ``pool_vs_forked``: many such APIs over the spec pool of 2 (``generate_many``: total
  / 2) against each spec formatted over 2 forked processes in turn;
- ``jinja_compile``: seconds to compile every template (what a bytecode cache would save
  once per process);
- ``prefilter``: per rule, a failed ``re.search`` of a message against the literal check
  that replaces it (microseconds).
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

from errorsdk.model.prefilter import required_literals
from errorsdk.pipeline import generate_package
from errorsdk.rendering import formatting

from .synthetic import write_specs

MESSAGE = "The request could not be completed because the upstream service returned an unexpected response. " * 2
PATTERNS = (
    "(?i)webhook",
    "(?i)quota",
    "(?i)rate limit|too many requests",
    r"(?i)\bvariables?\b|\bpayload\b|input schema|got invalid value|not defined by type|expected type",
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(fn):  # type: ignore[no-untyped-def]
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def _rendered(spec: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    real = formatting.format_all
    formatting.format_all = lambda sources, jobs=1: texts.update(sources) or dict(sources)  # type: ignore[assignment]
    try:
        generate_package(spec)
    finally:
        formatting.format_all = real
    return texts


def one_size(size: int, root: Path, rounds: int) -> dict[str, float]:
    import black
    from black.mode import Mode, TargetVersion

    spec = write_specs(root / f"s{size}", 1, size)[0]
    formatting.format_code("x = 1\n")
    rows: dict[str, list[float]] = {"render": [], "paused": [], "plain": [], "parent": [], "child": []}
    for _ in range(rounds):
        cpu, texts = _timed(lambda: _rendered(spec))
        rows["render"].append(cpu)
        rows["paused"].append(_timed(lambda: formatting.format_all(texts, 1))[0])
        modes = {k: Mode(target_versions={TargetVersion.PY311}, is_pyi=k.endswith(".pyi")) for k in texts}
        rows["plain"].append(_timed(lambda: [black.format_str(t, mode=modes[k]) for k, t in texts.items()])[0])
        before = _children_cpu()
        rows["parent"].append(_timed(lambda: formatting.format_all(texts, 2))[0])
        rows["child"].append(_children_cpu() - before)
    m = {k: statistics.median(v) for k, v in rows.items()}
    serial = m["render"] + m["paused"]
    forked = m["render"] + max(m["parent"], m["child"])
    return {
        "errors": size,
        "gc_paused_vs_plain": m["paused"] / m["plain"],
        "forked_vs_serial": forked / serial,
        "pool_vs_forked": (serial / 2) / forked,
        **{f"{k}_cpu_s": v for k, v in m.items()},
    }


def jinja_compile() -> float:
    from errorsdk.rendering.templates import environment

    env = environment()
    start = time.process_time()
    for name in env.list_templates(extensions=["jinja"]):
        env.compile(env.loader.get_source(env, name)[0], name)  # type: ignore[union-attr]
    return time.process_time() - start


def prefilter() -> dict[str, tuple[float, float]]:
    found = {}
    lowered = MESSAGE.lower()
    for pattern in PATTERNS:
        rx, literals = re.compile(pattern), required_literals(pattern) or ()
        search = min(timeit.repeat(lambda: rx.search(MESSAGE), number=5000, repeat=5)) / 5000
        check = min(timeit.repeat(lambda: any(x in lowered for x in literals), number=5000, repeat=5)) / 5000
        found[pattern[:40]] = (search * 1e6, check * 1e6)
    return found


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [50, 2000]
    root = Path(tempfile.mkdtemp(prefix="errorsdk-mech-"))
    try:
        print(json.dumps({"jinja_compile_s": jinja_compile(), "prefilter_us": prefilter()}), flush=True)
        for size in sizes:
            print(json.dumps(one_size(size, root, 3 if size < 1000 else 1)), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
