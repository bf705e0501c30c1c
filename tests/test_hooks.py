"""The pre-commit hooks errorsdk offers (.pre-commit-hooks.yaml) and its own
(.pre-commit-config.yaml): each hook's entry, run as pre-commit runs it (entry + args +
the matching staged files), on a temporary project. pre-commit itself is not needed."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import CASES, ROOT

pytestmark = pytest.mark.e2e

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent


def hook(hook_id: str) -> dict[str, Any]:
    (found,) = [h for h in HOOKS if h["id"] == hook_id]
    return found


def run_hook(found: dict[str, Any], project: Path, staged: list[str]) -> subprocess.CompletedProcess[str]:
    """What pre-commit does: the files it would pass are the staged ones its `files` matches."""
    matching = [f for f in staged if re.search(found["files"], f)]
    assert matching, f"{found['id']} would not run for {staged}"
    command = shlex.split(found["entry"]) + found.get("args", [])
    command[0] = str(BIN / command[0])  # the environment pre-commit would install errorsdk into
    if found.get("pass_filenames", True):
        command += matching
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project using errorsdk: one spec in specs/, its package generated into generated/."""
    (tmp_path / "specs").mkdir()
    shutil.copy(next(c for c in CASES if c.stem == "header_code"), tmp_path / "specs" / "headers.yaml")
    done = subprocess.run([str(BIN / "errorsdk"), "generate"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_the_hooks_are_the_two_checks_of_a_project_with_specs() -> None:
    assert [h["id"] for h in HOOKS] == ["errorsdk-validate", "errorsdk-generate-check"]
    for found in HOOKS:
        assert found["language"] == "python" and found["entry"].split()[0] == "errorsdk"
        assert set(found) <= {"id", "name", "description", "entry", "language", "files", "pass_filenames", "args"}
    assert re.search(hook("errorsdk-validate")["files"], "specs/api.yml")
    assert not re.search(hook("errorsdk-validate")["files"], "generated/api_errors/api_errors/errors.py")
    assert re.search(hook("errorsdk-generate-check")["files"], "generated/api_errors/api_errors/errors.py")


def test_validate_passes_a_sound_spec_and_fails_a_broken_one(project: Path) -> None:
    validate = hook("errorsdk-validate")
    assert run_hook(validate, project, ["specs/headers.yaml", "README.md"]).returncode == 0
    spec = project / "specs" / "headers.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("status: 429", "status: 9999"), encoding="utf-8")
    done = run_hook(validate, project, ["specs/headers.yaml"])
    assert done.returncode == 1 and "specs/headers.yaml:" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_generate_check_fails_on_drift_from_either_side(project: Path) -> None:
    check = hook("errorsdk-generate-check")
    assert run_hook(check, project, ["specs/headers.yaml"]).returncode == 0
    errors = next((project / "generated").rglob("errors.py"))
    original = errors.read_text(encoding="utf-8")
    errors.write_text(original + "\n# edited by hand\n", encoding="utf-8")  # generated/ changed alone
    staged = [str(errors.relative_to(project))]
    assert run_hook(check, project, staged).returncode == 1
    errors.write_text(original, encoding="utf-8")
    spec = project / "specs" / "headers.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("The key does not exist", "No key"), encoding="utf-8")
    assert run_hook(check, project, ["specs/headers.yaml"]).returncode == 1  # the spec changed alone
    assert errors.read_text(encoding="utf-8") == original  # --check writes nothing


def test_the_projects_own_hooks_run_what_scripts_check_runs() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for repo in config["repos"] for h in repo["hooks"]]
    script = (ROOT / "scripts" / "check").read_text(encoding="utf-8")
    for tool in ("ruff check", "ruff format --check", "mypy", "errorsdk generate --check"):
        assert any(e.startswith(tool) for e in entries), tool
        first, _, rest = tool.partition(" ")
        assert f'"${{bin}}{first}" {rest}'.strip() in script, tool
