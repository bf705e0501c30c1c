"""One generation measurement in a fresh process; prints a JSON line (see bench.generation).

Times are CPU seconds of this process (``time.process_time``): on a shared, loaded
machine they stay comparable where wall time does not. ``end_to_end`` is also
given as wall time.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from generator import rendering
from generator.formatting import format_code
from generator.pipeline import find_specs, generate_package
from generator.writing import write_package


def _warm() -> None:
    format_code("x = 1\n")  # black's import and grammar load are not part of either figure


def _black_alone(specs: list[Path]) -> float:
    """Seconds black needs to format the rendered (unformatted) Python of these specs."""
    texts: list[str] = []
    real = rendering.format_code
    rendering.format_code = lambda source: texts.append(source) or source  # type: ignore[assignment]
    try:
        for spec in specs:
            generate_package(spec)
    finally:
        rendering.format_code = real
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
        start, cpu = time.perf_counter(), time.process_time()
        write_package(out, generate_package(spec))
        result["end_to_end"] = time.perf_counter() - start
        result["end_to_end_cpu"] = time.process_time() - cpu
        result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["black"] = _black_alone([spec])
    elif mode == "black":
        result["black"] = _black_alone(find_specs(Path(argv[1])))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
