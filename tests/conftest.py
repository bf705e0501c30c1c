"""Shared helpers: the specs, and importable generated packages."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

from errorsdk.pipeline import find_specs, generate_package
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.validation import load_spec
from errorsdk.output.write import write_package

# No timed assertions: Hypothesis's deadline and slow-generation check fail on a busy machine.
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs(ROOT / "specs")
CASES = find_specs(ROOT / "tests" / "cases")
ALL_SPECS = SPECS + CASES
GENERATED = ROOT / "generated"


def spec_id(path: Path) -> str:
    return path.stem


def import_package(base: Path, package: str) -> ModuleType:
    """Import the generated package ``base/<package>/<package>``."""
    folder = str(base / package)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(package)


@pytest.fixture(scope="session")
def case_output_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/cases generated once per session into a temporary folder."""
    out = tmp_path_factory.mktemp("cases")
    for spec in CASES:
        write_package(out, generate_package(spec))
    return out


@pytest.fixture(scope="session")
def import_api(case_output_dir: Path):  # type: ignore[no-untyped-def]
    """Import the generated package of a spec (seeds from generated/, cases from tmp)."""

    def load(spec: Path) -> tuple[CheckedSpec, ModuleType]:
        checked = load_spec(spec)
        base = GENERATED if spec in SPECS else case_output_dir
        return checked, import_package(base, checked.package)

    return load
