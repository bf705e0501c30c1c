"""Spec file -> generated package: the steps in order, and discovery of specs."""

from __future__ import annotations

from pathlib import Path

from .spec.diagnostics import format_all
from .output.write import MARKER, SPEC_COPY, PackageOutput, marker_text


def find_specs(specs_dir: Path) -> list[Path]:
    """Every spec in a folder (``*.yaml`` / ``*.yml``), sorted."""
    return sorted(p for p in specs_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def generate_package(spec_path: Path, jobs: int = 1) -> PackageOutput:
    """Load, check, model and render one spec; raises SpecError for a bad spec.

    ``jobs``: processes that may format the package's files (1: this one only).
    """
    # Imported here, not at the top: a run whose specs are all up to date needs none of them.
    from .model.build import build_model
    from .rendering.templates import render
    from .spec.validation import load_spec

    checked = load_spec(spec_path)
    api = build_model(checked)
    files = render(api, jobs)
    files[SPEC_COPY] = checked.source
    files[MARKER] = marker_text(
        api.package, api.spec_file, api.spec_sha256, api.generator_version, list(files)
    )
    return PackageOutput(
        api.package, str(spec_path), files, api.version, api.requirements, format_all(checked.warnings)
    )
