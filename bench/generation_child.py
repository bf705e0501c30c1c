"""One generation measurement in a fresh process; prints a JSON line (see bench.generation).

Times are CPU seconds of this process (``time.process_time``): on a shared, loaded
machine they stay comparable where wall time does not. ``end_to_end`` is also
given as wall time. A single spec is generated ``ROUNDS`` times (or as asked), black alone after each
run; the medians are reported (the first run also pays compiling the templates), and
``ratio`` is the median of each run's end-to-end / black.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from errorsdk.output.write import write_package
from errorsdk.pipeline import find_specs, generate_package
from errorsdk.rendering import formatting, runtime
from errorsdk.rendering.formatting import format_code


def _peak_kb() -> float:
    """Peak resident memory of this process, in KiB.

    VmHWM from /proc: ``ru_maxrss`` survives exec on Linux, so in a child it can
    report the parent's peak (the bench process with its 1 MB bodies and peers).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


ROUNDS = 3  # end-to-end runs of one spec, each followed by black alone on its text (default)


def _warm() -> None:
    format_code("x = 1\n")  # black's import and grammar load are not part of either figure


def _rendered(specs: list[Path]) -> dict[str, str]:
    """The Python files the templates render for these specs, before black, by path."""
    texts: dict[str, str] = {}
    real = formatting.format_all
    formatting.format_all = lambda sources, jobs=1: texts.update(sources) or dict(sources)
    try:
        for spec in specs:
            generate_package(spec)
    finally:
        formatting.format_all = real
    return texts


def _black_alone(specs: list[Path]) -> float:
    """Seconds black needs to format the rendered (unformatted) Python of these specs."""
    texts = list(_rendered(specs).values())
    start = time.process_time()
    for text in texts:
        format_code(text)
    return time.process_time() - start


def main(argv: list[str]) -> None:
    _warm()
    mode = argv[0]
    result: dict[str, float] = {}
    if mode == "one":
        spec, out = Path(argv[1]), Path(argv[2])
        rounds = int(argv[3]) if len(argv) > 3 else ROUNDS
        walls: list[float] = []
        cpus: list[float] = []
        blacks: list[float] = []
        for turn in range(rounds):  # taking turns, so a burst of load hits both alike
            start, cpu = time.perf_counter(), time.process_time()
            write_package(out / str(turn), generate_package(spec))
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            if turn == 0:
                result["maxrss_kb"] = _peak_kb()
            blacks.append(_black_alone([spec]))
        result["end_to_end"] = statistics.median(walls)
        result["end_to_end_cpu"] = statistics.median(cpus)
        result["black"] = statistics.median(blacks)
        result["ratio"] = statistics.median(c / b for c, b in zip(cpus, blacks))
    elif mode == "runtime":  # one spec: generation now, against it plus formatting the runtime as before
        spec, out = Path(argv[1]), Path(argv[2])
        rounds = int(argv[3]) if len(argv) > 3 else ROUNDS
        nows: list[float] = []
        extras: list[float] = []
        texts: list[str] = []
        for turn in range(rounds):
            cpu = time.process_time()
            output = generate_package(spec)
            write_package(out / str(turn), output)
            nows.append(time.process_time() - cpu)
            texts = [text for rel, text in output.files.items() if text.startswith(runtime.HEADER)]
            cpu = time.process_time()
            for text in texts:  # what the templates' pipeline formatted too, before the runtime was copied
                format_code(text)
            extras.append(time.process_time() - cpu)
        result["now"] = statistics.median(nows)
        result["before"] = statistics.median(n + e for n, e in zip(nows, extras))
        result["ratio"] = statistics.median(n / (n + e) for n, e in zip(nows, extras))
        result["copied_chars"] = float(sum(map(len, texts)))
        result["formatted_chars"] = float(
            sum(len(t) for r, t in output.files.items() if r.endswith((".py", ".pyi"))) - result["copied_chars"]
        )
    elif mode == "black":
        result["black"] = _black_alone(find_specs(Path(argv[1])))
    elif mode == "raw":  # write the unformatted files, for the black command to format
        for name, text in _rendered(find_specs(Path(argv[1]))).items():
            target = Path(argv[2]) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
