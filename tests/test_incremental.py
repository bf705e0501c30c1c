"""generate skips unchanged specs (build cache), redoes changed or hand-edited ones, and runs many specs in a pool."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from errorsdk import pipeline
from errorsdk.cli import main
from errorsdk.output.cache import cache_path
from errorsdk.pipeline import generate_many, generate_package

from .conftest import CASES, ROOT

KEPT = ("flowlu.yaml", "flux.yaml")  # two seeds keep the test quick


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    for name in KEPT:
        shutil.copy(ROOT / "specs" / name, tmp_path / "specs" / name)
    return tmp_path


def generate(project: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
    """Run generate; package -> how its line starts (wrote / unchanged / cached)."""
    capsys.readouterr()
    assert main(["generate", "--specs-dir", str(project / "specs"), "--out", str(project / "generated"), *extra]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {Path(line.split()[1]).name: "cached" if "inputs unchanged" in line else line.split()[0] for line in lines}


def test_second_run_renders_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = generate(project, capsys)
    assert set(first.values()) == {"wrote"}
    assert cache_path(project / "generated").is_file()
    assert set(generate(project, capsys).values()) == {"cached"}
    # --no-cache renders everything again, and finds it unchanged; so does a corrupt cache
    assert set(generate(project, capsys, "--no-cache").values()) == {"unchanged"}
    assert set(generate(project, capsys).values()) == {"cached"}  # --no-cache still records its run
    cache_path(project / "generated").write_text("{not json")
    assert set(generate(project, capsys).values()) == {"unchanged"}


def test_only_the_changed_spec_is_redone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(project, capsys)
    spec = project / "specs" / "flux.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Validation error", "Validation failed", 1), "utf-8")
    status = generate(project, capsys)
    assert status.pop("flux_errors") == "wrote"
    assert set(status.values()) == {"cached"}


def test_hand_edited_or_deleted_package_is_regenerated(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(project, capsys)
    edited = project / "generated" / "flux_errors" / "flux_errors" / "errors.py"
    original = edited.read_bytes()
    edited.write_text("# edited by hand\n")
    shutil.rmtree(project / "generated" / "flowlu_errors")
    status = generate(project, capsys)
    assert status == {"flux_errors": "wrote", "flowlu_errors": "wrote"}
    assert edited.read_bytes() == original
    for package in status:
        assert snapshot(project / "generated" / package) == snapshot(ROOT / "generated" / package)


def test_pool_gives_the_same_outputs_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 2)  # a pool even for these few specs
    bad = tmp_path / "bad.yaml"
    bad.write_text("errorsdk: 1\napi: {}\n")
    small = min(CASES, key=lambda p: p.stat().st_size)
    paths = [small, small, bad]
    results = generate_many(paths, jobs=2)
    assert len(results) == len(paths)
    expected = generate_package(small)
    assert all(result == expected for result in results[:-1])
    assert isinstance(results[-1], str) and "bad.yaml" in results[-1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_new_version_of_a_writing_library_redoes_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """black, datamodel-code-generator or jinja2 of another version may write other bytes."""
    from errorsdk.output import cache as incremental

    before = incremental.source_digest()
    real = incremental.importlib.metadata.version
    monkeypatch.setattr(
        incremental.importlib.metadata, "version", lambda name: "99.0" if name == "black" else real(name)
    )
    incremental.source_digest.cache_clear()
    try:
        assert incremental.source_digest() != before
    finally:
        monkeypatch.undo()
        incremental.source_digest.cache_clear()
    assert incremental.source_digest() == before
