"""The generator's output, compared as whole trees with the committed golden output.

Refresh: `errorsdk generate` (generated/, from specs/) and
`python -m tests.update_golden` (tests/golden/, from tests/cases/).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from errorsdk.output.write import differences
from errorsdk.pipeline import generate_package
from errorsdk.spec.validation import load_spec

from .conftest import CASES, ROOT, SPECS, spec_id


def test_generated_matches_specs() -> None:
    outputs = [generate_package(spec) for spec in SPECS]
    assert differences(ROOT / "generated", outputs) == [], "run `errorsdk generate`"


@pytest.mark.parametrize("spec", CASES, ids=spec_id)
def test_cases_match_golden(spec: Path) -> None:
    output = generate_package(spec)
    assert differences(ROOT / "tests" / "golden", [output], stale=False) == [], "run `python -m tests.update_golden`"


def test_output_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "errorsdk", "generate", "--out", str(out), *map(str, SPECS + CASES)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2]
    # 14 package files (16 with typed details: models.py, _detail.py; the body's reader is
    # _json.py or, for XML bodies, _xml.py; one more with events: _events.py), pyproject,
    # README, marker, spec copy
    checked = [load_spec(spec) for spec in SPECS + CASES]
    expected = sum((20 if c.details else 18) + (c.spec.events is not None) for c in checked)
    assert len(outputs[0]) == expected


def test_update_golden_refuses_two_cases_with_one_api_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from . import update_golden

    cases, specs, golden = tmp_path / "cases", tmp_path / "specs", tmp_path / "golden"
    cases.mkdir()
    specs.mkdir()
    entry = "envelope: {code: code, message: message}\nerrors:\n  - {code: gone, status: 404, message: Gone}\n"
    (cases / "a.yaml").write_text("errorsdk: 1\napi: {name: same, version: 1.0.0, title: T}\n" + entry)
    (cases / "b.yaml").write_text(
        "errorsdk: 1\napi: {name: same, version: 1.0.0, title: T, package: other_errors}\n" + entry
    )
    assert update_golden.main(cases, specs, golden) == 1
    err = capsys.readouterr().err
    assert "api.name 'same' is in 2 specs" in err and "a.yaml" in err and "b.yaml" in err
    assert "docs page" in err and "nothing written" in err
    assert "golden package" not in err  # their packages differ
    assert not golden.exists()
    # a same-named spec in specs/ clashes too (its page goes to the same docs folder)
    (cases / "b.yaml").write_text("errorsdk: 1\napi: {name: other, version: 1.0.0, title: T}\n" + entry)
    (specs / "c.yaml").write_text(
        "errorsdk: 1\napi: {name: same, version: 1.0.0, title: T, package: third_errors}\n" + entry
    )
    assert update_golden.main(cases, specs, golden) == 1
    assert "c.yaml" in capsys.readouterr().err
    # distinct names: written
    (specs / "c.yaml").unlink()
    assert update_golden.main(cases, specs, golden) == 0
    assert sorted(p.name for p in (golden / "docs").iterdir()) == ["other.html", "other.md", "same.html", "same.md"]


def test_update_golden_refuses_two_cases_with_one_package(tmp_path: Path) -> None:
    from . import update_golden

    entry = "envelope: {code: code, message: message}\nerrors:\n  - {code: gone, status: 404, message: Gone}\n"
    specs = {}
    for name in ("a", "b"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            f"errorsdk: 1\napi: {{name: {name}, version: 1.0.0, title: T, package: shared_errors}}\n" + entry
        )
        specs[path] = load_spec(path)
    (problem,) = update_golden.clashes(specs)
    assert problem.startswith("package 'shared_errors' is in 2 specs") and "golden package" in problem
