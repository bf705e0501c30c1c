"""The bad-spec corpus: every malformed spec in tests/bad_specs/ gets its exact message.

Each ``NAME.yaml`` is run through ``errorsdk generate``: exit status 1, no traceback,
stderr exactly ``NAME.expected`` (refresh with ``python -m tests.update_bad_specs``),
and the output folder byte-for-byte unchanged.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SPECS
from .test_cli import snapshot
from .update_bad_specs import BAD_SPECS, corpus, run, spec_path

CORPUS = corpus()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad_specs")


@pytest.fixture(scope="module")
def generated_copy(scratch: Path) -> tuple[Path, dict[str, bytes]]:
    """A copy of generated/ to point the bad specs at, and its snapshot."""
    out = scratch / "generated"
    shutil.copytree(ROOT / "generated", out)
    return out, snapshot(out)


def expected(name: str) -> str:
    return (BAD_SPECS / f"{name}.expected").read_text("utf-8")


def test_the_corpus_is_large_and_complete() -> None:
    assert len(CORPUS) >= 40
    missing = [name for name in CORPUS if not (BAD_SPECS / f"{name}.expected").exists()]
    assert missing == [], "run `python -m tests.update_bad_specs`"
    orphans = sorted(p.stem for p in BAD_SPECS.glob("*.expected") if p.stem not in CORPUS)
    assert orphans == []


@pytest.mark.parametrize("name", CORPUS)
def test_bad_spec_gets_its_exact_message(
    name: str, scratch: Path, generated_copy: tuple[Path, dict[str, bytes]]
) -> None:
    out, before = generated_copy
    status, stdout, stderr = run(name, out, scratch)
    assert status == 1
    assert "Traceback" not in stderr and stdout == ""
    assert stderr == expected(name), "if the new message is right: python -m tests.update_bad_specs"
    first = stderr.splitlines()[0]
    assert first.startswith(f"tests/bad_specs/{name}.yaml")
    assert all(line.startswith(("tests/bad_specs/", "    fix: ", "1 spec(s) failed")) for line in stderr.splitlines())
    assert snapshot(out) == before


def test_whole_corpus_beside_good_specs_in_one_process(scratch: Path, tmp_path: Path) -> None:
    """One real `errorsdk generate` over good and bad specs: the good ones generate."""
    specs = tmp_path / "specs"
    specs.mkdir()
    good = [p for p in SPECS if p.stem in ("flux", "flowlu")]
    for spec in good:
        shutil.copyfile(spec, specs / spec.name)
    for name in CORPUS:
        shutil.copyfile(spec_path(name, scratch), specs / f"{name}.yaml")
    out = tmp_path / "generated"
    result = subprocess.run(
        [sys.executable, "-m", "errorsdk", "generate", "--specs-dir", str(specs), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["flowlu_errors", "flux_errors"]
    for package in ("flowlu_errors", "flux_errors"):
        assert snapshot(out / package) == snapshot(ROOT / "generated" / package)
    stderr = result.stderr.replace(str(specs) + "/", "tests/bad_specs/")
    for name in CORPUS:
        report = expected(name).rsplit("1 spec(s) failed", 1)[0]
        assert report in stderr, name
    assert stderr.endswith(f"{len(CORPUS)} spec(s) failed; the others were generated\n")
