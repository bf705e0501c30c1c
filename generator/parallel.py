"""Generate specs on every core: a process pool over ``generate_package`` for many specs,
and for a few, each spec's files formatted over the cores (see ``formatting.format_all``)."""

from __future__ import annotations

import os
from pathlib import Path

from .children import worker_pool
from .spec.diagnostics import SpecError
from .pipeline import generate_package
from .output.write import PackageOutput

Result = PackageOutput | str  # the package, or the spec's problems as text
MIN_PARALLEL = 8  # fewer specs than this are generated in this process


def _generate(path: Path, jobs: int = 1) -> Result:
    try:
        return generate_package(path, jobs)
    except SpecError as exc:
        return str(exc)  # text: a SpecError does not survive pickling between processes


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def generate_many(paths: list[Path], jobs: int | None = None) -> list[Result]:
    """``generate_package`` of each path, in order; a bad spec comes back as its problems' text."""
    cores = jobs or default_jobs()
    workers = min(cores, len(paths))
    if workers <= 1 or len(paths) < MIN_PARALLEL:
        return [_generate(path, cores) for path in paths]
    chunk = max(1, len(paths) // (workers * 4))
    with worker_pool(workers) as pool:  # workers die with this process
        return list(pool.map(_generate, paths, chunksize=chunk))
