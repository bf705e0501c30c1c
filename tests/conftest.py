"""Shared helpers: the specs, and importable generated packages."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

from errorsdk.output.write import write_package
from errorsdk.pipeline import find_specs, generate_package
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.validation import load_spec

# No timed assertions: Hypothesis's deadline and slow-generation check fail on a busy machine.
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
SPECS = find_specs(ROOT / "specs")
CASES = find_specs(ROOT / "tests" / "cases")
ALL_SPECS = SPECS + CASES
GENERATED = ROOT / "generated"


def xml_runtime() -> ModuleType:
    """The runtime's _xml module (XML bodies), loaded from its source: what every
    ``envelope.format: xml`` package holds a copy of."""
    from errorsdk.rendering.runtime import source

    name = "_errorsdk_xml_runtime"
    if name not in sys.modules:
        module = ModuleType(name)
        exec(compile(source("_xml.py"), "_xml.py", "exec"), module.__dict__)  # noqa: S102
        sys.modules[name] = module
    return sys.modules[name]


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


@pytest.fixture
def inline_api(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A package made from a spec written in the test itself: ``inline_api(yaml_text)`` writes
    the spec, generates and imports its package (fresh: earlier imports of a package of the
    same name are dropped, here and at teardown). A feature is then tested by a few lines
    of spec beside its assertions, not only through a bundled API's spec."""
    made: list[tuple[str, str]] = []

    def forget(package: str) -> None:
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]

    def make(text: str) -> ModuleType:
        folder = tmp_path / f"inline{len(made)}"
        (folder / "specs").mkdir(parents=True)
        spec = folder / "specs" / "inline.yaml"
        spec.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        output = generate_package(spec)
        write_package(folder / "out", output)
        forget(output.package)
        path = str(folder / "out" / output.package)
        sys.path.insert(0, path)
        made.append((output.package, path))
        importlib.invalidate_caches()
        return importlib.import_module(output.package)

    yield make
    for package, path in made:
        forget(package)
        if path in sys.path:
            sys.path.remove(path)


# --- test tiers (pytest -m; registered in pyproject.toml) ------------------------------------
# unit: the generator in-process (spec -> model -> files); runtime: generated packages
# imported and exercised; e2e: the errorsdk command, or wheels built, installed, published.
# slow: seconds to minutes a test (kill, hash seeds, mypy/pyright, build/publish, the corpus):
# `python -m pytest -m "not slow"` is the quick loop; without -m every test runs.
# Kept in one table rather than in each module so that a module's tier is seen at a glance
# and a new module cannot go untiered (tests/test_tiers.py).
TIERS: dict[str, tuple[str, ...]] = {
    "test_bad_specs": ("unit",),
    "test_bench": ("unit",),
    "test_check": ("e2e",),
    "test_cli": ("e2e",),
    "test_clients": ("runtime",),
    "test_clients_typing": ("runtime", "slow"),
    "test_conformance": ("runtime",),
    "test_corpus": ("unit", "slow"),
    "test_detail_keys": ("runtime",),
    "test_detail_models": ("runtime",),
    "test_discriminator_success": ("runtime",),
    "test_dist": ("e2e", "slow"),
    "test_docs": ("unit",),
    "test_envelope_transforms": ("runtime",),
    "test_events": ("runtime",),
    "test_features_inline": ("runtime",),
    "test_formatting": ("unit",),
    "test_fuzz": ("runtime",),
    "test_golden": ("unit",),
    "test_groups": ("runtime",),
    "test_observe": ("runtime",),
    "test_hooks": ("e2e",),
    "test_import_models": ("unit",),
    "test_importing": ("unit",),
    "test_incremental": ("unit",),
    "test_injection": ("runtime",),
    "test_json_parser": ("runtime",),
    "test_kill": ("e2e", "slow"),
    "test_layout": ("unit",),
    "test_literals": ("unit",),
    "test_loader": ("unit",),
    "test_message_prefilter": ("unit",),
    "test_openapi_output": ("unit",),
    "test_paths": ("unit",),
    "test_class_groups": ("runtime",),
    "test_sub_codes": ("runtime",),
    "test_select_paths": ("runtime",),
    "test_publish": ("e2e", "slow"),
    "test_readme": ("e2e", "slow"),
    "test_redaction": ("runtime",),
    "test_reference_dispatch": ("runtime",),
    "test_regex_safety": ("unit",),
    "test_reserved_names": ("unit",),
    "test_retry": ("runtime",),
    "test_robustness": ("e2e",),
    "test_roundtrip_specs": ("runtime",),
    "test_runtime": ("runtime",),
    "test_runtime_source": ("runtime",),
    "test_server": ("e2e",),
    "test_spec_diff": ("unit",),
    "test_tiers": ("unit",),
    "test_typecheck": ("runtime", "slow"),
    "test_xml_bodies": ("runtime",),
    "test_unused_imports": ("unit",),
    "test_validation": ("unit",),
    "test_vendor": ("e2e",),
    "test_write_faults": ("unit",),
    # single slow tests of quicker modules
    "test_golden::test_output_is_the_same_under_any_hash_seed": ("slow",),
    "test_importing::test_import_is_deterministic_under_any_hash_seed": ("slow",),
    "test_detail_keys::test_typeddict_keys_type_check_and_exist_at_runtime": ("slow",),
    "test_detail_models::test_user_code_type_checks_for_every_style": ("slow",),
    "test_json_parser::test_the_wheel_requires_orjson_and_runs_and_type_checks_without_it": ("slow", "e2e"),
    "test_roundtrip_specs::test_a_few_generated_packages_are_mypy_strict_clean": ("slow",),
    "test_docs::test_html_page_in_headless_chromium": ("slow", "e2e"),
    "test_server::test_server_code_raising_the_errors_type_checks": ("slow",),
    "test_runtime_source::test_the_wheel_of_errorsdk_ships_the_runtime_and_generates_the_same": ("slow", "e2e"),
}


def tiers_of(item: pytest.Item) -> tuple[str, ...]:
    module = item.module.__name__.rsplit(".", 1)[-1] if isinstance(item, pytest.Function) else ""
    name = item.originalname if isinstance(item, pytest.Function) else item.name
    return TIERS.get(module, ()) + TIERS.get(f"{module}::{name}", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for tier in tiers_of(item):
            item.add_marker(tier)
