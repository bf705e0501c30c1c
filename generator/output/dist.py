"""``errorsdk build``: a wheel and an sdist per API, byte-identical for the same spec.

Each spec is generated afresh into a temporary project folder (so a build never
depends on what sits in ``generated/``) and built in-process with hatchling, the
backend the generated ``pyproject.toml`` names. Hatchling's reproducible mode
normalises file order, permissions and ownership; every timestamp is
``SOURCE_DATE_EPOCH``, which is set to ``FIXED_EPOCH`` unless the caller set it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..pipeline import default_jobs, generate_package
from ..spec.diagnostics import SpecError
from .write import PackageOutput, write_package

FIXED_EPOCH = 315532800
"""1980-01-01T00:00:00Z: the earliest time a zip entry can carry."""


class BuildError(Exception):
    """A package could not be built."""


@dataclass(frozen=True)
class Built:
    """The distributions of one API."""

    package: str
    distribution: str  # the project name, e.g. flux-errors
    version: str
    files: tuple[Path, ...]  # wheel first, then sdist


@contextmanager
def _source_date_epoch() -> Iterator[None]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or str(FIXED_EPOCH)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def _builders() -> tuple[type, type]:
    try:
        from hatchling.builders.sdist import SdistBuilder
        from hatchling.builders.wheel import WheelBuilder
    except ImportError:
        raise BuildError("building needs hatchling: pip install 'errorsdk[dist]'") from None
    return WheelBuilder, SdistBuilder


def build_output(output: PackageOutput, dist: Path) -> Built:
    """Build one generated package into ``dist``."""
    wheel_builder, sdist_builder = _builders()
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="errorsdk-build-") as tmp:
        write_package(Path(tmp), output)
        root = str(Path(tmp) / output.package)
        files: list[Path] = []
        with _source_date_epoch():
            for builder in (wheel_builder, sdist_builder):
                try:
                    files += [Path(p) for p in builder(root).build(directory=str(dist), versions=["standard"])]
                except Exception as exc:  # hatchling reports bad metadata as plain exceptions
                    raise BuildError(f"{output.spec_file}: building {output.package} failed: {exc}") from exc
    return Built(output.package, output.package.replace("_", "-"), output.version, tuple(files))


def build_spec(spec: Path, dist: Path, jobs: int = 1) -> Built:
    """Generate and build one spec (formatting over ``jobs`` processes); raises SpecError or BuildError."""
    return build_output(generate_package(spec, jobs), dist)


def _quiet(line: str) -> None:
    """Reports nothing (the default of ``progress``: the CLI passes one that prints)."""


def build_all(
    specs: list[Path], dist: Path, progress: Callable[[str], None] = _quiet, jobs: int | None = None
) -> tuple[list[Built], list[str]]:
    """Build every spec, reporting each to ``progress`` as it finishes; returns the builds
    and the failures.

    Each package's files are formatted over ``jobs`` processes (default: every core).
    """
    jobs = jobs or default_jobs()
    built: list[Built] = []
    failures: list[str] = []
    width = len(str(len(specs)))
    for i, spec in enumerate(specs, 1):
        try:
            result = build_spec(spec, dist, jobs)
        except (SpecError, BuildError) as exc:
            failures.append(str(exc))
            progress(f"[{i:>{width}}/{len(specs)}] {spec}: FAILED")
            continue
        built.append(result)
        names = ", ".join(f.name for f in result.files)
        progress(f"[{i:>{width}}/{len(specs)}] {result.distribution} {result.version}: {names}")
    return built, failures
