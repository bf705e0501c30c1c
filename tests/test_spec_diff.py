"""errorsdk diff: change classification, semver bumps, git revisions; generate's breaking guard."""

from __future__ import annotations

import copy
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from errorsdk.cli import main
from errorsdk.output import spec_diff
from errorsdk.spec.validation import load_spec

from .conftest import ROOT, SPECS

FLUX = ROOT / "specs" / "flux.yaml"
Edit = Callable[[dict[str, Any]], None]


def variant(tmp_path: Path, edit: Edit, source: Path = FLUX, name: str = "new.yaml") -> Path:
    data = yaml.safe_load(source.read_text())
    edit(data)
    out = tmp_path / name
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return out


def error(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(e for e in data["errors"] if e.get("code") == code)


def kinds(tmp_path: Path, edit: Edit) -> set[str]:
    old = load_spec(variant(tmp_path, lambda d: None, name="old.yaml"))
    return {c.kind for c in spec_diff.diff(old, load_spec(variant(tmp_path, edit)))}


CASES: list[tuple[str, Edit, set[str], str | None]] = [
    ("nothing", lambda d: None, set(), None),
    ("remove a code", lambda d: d["errors"].remove(error(d, "access_denied")), {"breaking"}, "major"),
    ("rename a class", lambda d: error(d, "access_denied").update(class_name="NopeError"), {"breaking"}, "major"),
    ("change a status", lambda d: error(d, "access_denied").update(status=401), {"breaking"}, "major"),
    ("change a category", lambda d: error(d, "access_denied").update(category="not_found"), {"breaking"}, "major"),
    ("rename the package", lambda d: d["api"].update(package="fluxy_errors"), {"breaking"}, "major"),
    ("change the envelope", lambda d: d["envelope"].update(code=["error_code", "code"]), {"breaking"}, "major"),
    (
        "add a code",
        lambda d: d["errors"].append({"code": "brand_new", "status": 409, "message": "New"}),
        {"feature"},
        "minor",
    ),
    ("deprecate a code", lambda d: error(d, "access_denied").update(deprecated="use x"), {"feature"}, "minor"),
    ("reword a message", lambda d: error(d, "access_denied").update(message="Nope"), {"fix"}, "patch"),
    ("add a fix", lambda d: error(d, "access_denied").setdefault("fixes", []).append("Ask."), {"fix"}, "patch"),
    ("retitle the API", lambda d: d["api"].update(title="Flux"), {"fix"}, "patch"),
    ("change the license", lambda d: d["api"].update(license="Apache-2.0"), {"fix"}, "patch"),
    ("parse with orjson", lambda d: d["api"].update(json_parser="orjson"), {"feature"}, "minor"),
    ("change the detail models", lambda d: d["api"].update(models="typeddict"), {"breaking"}, "major"),
    (
        "read a delay from the body",
        lambda d: d.setdefault("retry", {}).update(after_paths=["error.retry_delay"]),
        {"feature"},
        "minor",
    ),
]


def test_parsing_with_json_again_is_a_fix(tmp_path: Path) -> None:
    old = load_spec(variant(tmp_path, lambda d: d["api"].update(json_parser="orjson"), name="old.yaml"))
    changes = spec_diff.diff(old, load_spec(variant(tmp_path, lambda d: d["api"].update(json_parser="stdlib"))))
    assert [(c.kind, c.text) for c in changes] == [
        ("fix", "api.json_parser: stdlib parses bodies (the orjson requirement dropped)")
    ]


@pytest.mark.parametrize(("what", "edit", "expected", "bump"), CASES, ids=[c[0] for c in CASES])
def test_changes_are_classified(tmp_path: Path, what: str, edit: Edit, expected: set[str], bump: str | None) -> None:
    old = load_spec(variant(tmp_path, lambda d: None, name="old.yaml"))
    changes = spec_diff.diff(old, load_spec(variant(tmp_path, edit)))
    assert {c.kind for c in changes} == expected, changes
    assert spec_diff.required_bump(changes) == bump


def test_adding_and_removing_are_mirror_images(tmp_path: Path) -> None:
    full = load_spec(FLUX)
    less = load_spec(variant(tmp_path, lambda d: d["errors"].remove(error(d, "access_denied"))))
    assert [c.kind for c in spec_diff.diff(full, less)] == ["breaking"]
    assert [c.kind for c in spec_diff.diff(less, full)] == ["feature"]
    assert "AccessDeniedError (403 access_denied)" in spec_diff.diff(full, less)[0].text


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_a_spec_against_itself_has_no_changes(spec: Path) -> None:
    checked = load_spec(spec)
    assert spec_diff.diff(checked, checked) == []


def test_renaming_an_entry_but_keeping_its_code_is_matched_by_code(tmp_path: Path) -> None:
    same_class = {"name": "denied", "class_name": "AccessDeniedError"}
    assert kinds(tmp_path, lambda d: error(d, "access_denied").update(same_class)) == set()
    assert kinds(tmp_path, lambda d: error(d, "access_denied").update(name="denied")) == {"breaking"}  # DeniedError


versions = st.tuples(*(st.integers(0, 50),) * 3).map(lambda t: ".".join(map(str, t)))


@given(versions, st.sampled_from(["major", "minor", "patch"]))
def test_minimum_version_is_the_least_satisfying_bump(old: str, bump: spec_diff.Bump) -> None:
    need = spec_diff.minimum_version(old, bump)
    assert spec_diff.satisfies(old, need, bump)
    assert not spec_diff.satisfies(old, old, bump)
    major, minor, patch = map(int, old.split("."))
    if major > 0 and bump == "major":
        assert need == f"{major + 1}.0.0"
    if major == 0 and bump == "major":  # below 1.0.0 a breaking change moves the minor
        assert need == f"0.{minor + 1}.0"
    assert spec_diff.satisfies(old, f"{major + 1}.{minor}.{patch}", bump)


def test_diff_command_prints_the_bump_and_fails_when_the_version_is_not_enough(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def remove(d: dict[str, Any]) -> None:
        d["errors"].remove(error(d, "access_denied"))

    assert main(["diff", str(FLUX), str(variant(tmp_path, remove))]) == 1
    out = capsys.readouterr().out
    assert "breaking: removed AccessDeniedError (403 access_denied)" in out
    assert "required bump: major (2.0.0 -> at least 3.0.0); spec says 2.0.0: NOT enough" in out

    def remove_and_bump(d: dict[str, Any]) -> None:
        remove(d)
        d["api"]["version"] = "3.0.0"

    assert main(["diff", str(FLUX), str(variant(tmp_path, remove_and_bump))]) == 0
    assert "spec says 3.0.0: ok" in capsys.readouterr().out


def test_diff_against_a_git_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FLUX, tmp_path / "flux.yaml")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "flux.yaml"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "spec"], cwd=tmp_path, check=True)
    variant(tmp_path, lambda d: d["errors"].append({"code": "new", "status": 409, "message": "N"}), name="flux.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "git:HEAD:flux.yaml", "flux.yaml"]) == 1  # a feature needs 1.1.0
    assert "feature: added NewError (409 new)" in capsys.readouterr().out
    assert main(["diff", "git:HEAD:missing.yaml", "flux.yaml"]) == 1
    err = capsys.readouterr().err
    assert "git:HEAD:missing.yaml" in err and "fix:" in err
    assert main(["diff", "git:HEAD", "flux.yaml"]) == 1
    assert "expected git:REV:path" in capsys.readouterr().err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    for name in ("flux.yaml", "cliquify.yaml"):  # two specs: one changes, one must not be written either
        shutil.copy(ROOT / "specs" / name, tmp_path / "specs" / name)
    assert main(["generate", "--specs-dir", str(tmp_path / "specs"), "--out", str(tmp_path / "generated")]) == 0
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def generate(project: Path, *extra: str) -> int:
    return main(["generate", "--specs-dir", str(project / "specs"), "--out", str(project / "generated"), *extra])


def test_generate_refuses_a_breaking_change_without_a_new_major(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "specs" / "flux.yaml"
    variant(project, lambda d: d["errors"].remove(error(d, "access_denied")), source=spec, name="specs/flux.yaml")
    other = project / "specs" / "cliquify.yaml"
    other.write_text(other.read_text().replace("title:", "title: Renamed", 1))  # a fix elsewhere
    before = snapshot(project / "generated")
    capsys.readouterr()
    assert generate(project) == 1
    err = capsys.readouterr().err
    assert "flux.yaml: breaking change without a new major version" in err
    assert "removed AccessDeniedError (403 access_denied)" in err
    assert "set api.version to 3.0.0 or higher (it is 2.0.0), or pass --allow-breaking" in err
    assert "nothing written" in err
    assert snapshot(project / "generated") == before

    assert generate(project, "--allow-breaking") == 0
    assert snapshot(project / "generated") != before


def test_generate_accepts_a_breaking_change_with_a_new_major(project: Path) -> None:
    spec = project / "specs" / "flux.yaml"

    def breaking(d: dict[str, Any]) -> None:
        error(d, "access_denied")["status"] = 401
        d["api"]["version"] = "3.0.0"

    variant(project, breaking, source=spec, name="specs/flux.yaml")
    assert generate(project) == 0
    recorded = project / "generated" / "flux_errors" / "errorsdk-spec.yaml"
    assert recorded.read_bytes() == spec.read_bytes()  # the new baseline
    assert generate(project) == 0


def test_license_is_validated_and_canonicalised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = variant(tmp_path, lambda d: d["api"].update(license="apache-2.0 OR mit"))
    assert load_spec(ok).spec.api.license == "Apache-2.0 OR MIT"
    bad = variant(tmp_path, lambda d: d["api"].update(license="Not A License"), name="bad.yaml")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "is not an SPDX license expression" in err


OBJ = {"type": "object", "properties": {"field": {"type": "string"}}, "required": ["field"]}


@pytest.mark.parametrize(
    ("new", "kind"),
    [
        (OBJ, None),
        ({**OBJ, "properties": {**OBJ["properties"], "extra": {"type": "integer"}}}, "feature"),
        ({**OBJ, "properties": {"field": {"type": "string", "maxLength": 3}}}, "breaking"),
        ({**OBJ, "properties": {}}, "breaking"),
        ({**OBJ, "required": ["field", "other"]}, "breaking"),
        (None, "breaking"),
    ],
    ids=["same", "optional property added", "narrowed", "property removed", "newly required", "dropped"],
)
def test_detail_schema_changes_are_breaking_unless_only_properties_are_added(new: Any, kind: str | None) -> None:
    assert spec_diff._schema_change(OBJ, new) == kind


def test_an_unreadable_recorded_spec_is_a_warning_not_a_refusal(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = project / "generated" / "flux_errors" / "errorsdk-spec.yaml"
    recorded.write_text("errorsdk: 1\n")
    capsys.readouterr()
    assert generate(project) == 0
    assert "cannot read the recorded spec" in capsys.readouterr().err
    assert recorded.read_bytes() == (project / "specs" / "flux.yaml").read_bytes()


# --- Detail schemas: classified by what err.detail becomes, wherever the schema is written ---

ITEM = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
DETAILED = {
    "errorsdk": 1,
    "api": {"name": "det", "version": "1.0.0", "title": "Detailed"},
    "envelope": {"code": "code", "message": "message", "detail": "detail"},
    "schemas": {"Item": ITEM},
    "categories": {"validation": {"detail_schema": {"type": "array", "items": {"$ref": "#/schemas/Item"}}}},
    "errors": [
        {"code": "invalid", "status": 422, "category": "validation", "message": "Invalid"},
        {"code": "odd", "status": 422, "category": "validation", "message": "Odd", "detail_schema": dict(ITEM)},
        {"code": "missing", "status": 404, "message": "Missing"},
    ],
}


def _entry(d: dict[str, Any], code: str) -> dict[str, Any]:
    return next(e for e in d["errors"] if e["code"] == code)


DETAIL_CASES: list[tuple[str, Edit, str | None]] = [
    ("a category's schema added", lambda d: d["categories"].update(not_found={"detail_schema": ITEM}), "major"),
    ("an error's schema added", lambda d: _entry(d, "missing").update(detail_schema=ITEM), "major"),
    ("the top-level schema added", lambda d: d.update(detail_schema=ITEM), "major"),
    ("a category's schema removed", lambda d: d.pop("categories"), "major"),
    ("an error's schema removed", lambda d: _entry(d, "odd").pop("detail_schema"), "major"),
    (
        "an error's schema narrowed",
        lambda d: _entry(d, "odd")["detail_schema"].update(additionalProperties=False),
        "major",
    ),
    (
        "an error's schema gains an optional property",
        lambda d: _entry(d, "odd").update(
            detail_schema={**ITEM, "properties": {**ITEM["properties"], "n": {"type": "integer"}}}
        ),
        "minor",
    ),
    (
        "a shared schema gains an optional property",
        lambda d: d["schemas"].update(Item={**ITEM, "properties": {**ITEM["properties"], "n": {"type": "integer"}}}),
        "minor",
    ),
    ("a shared schema newly required", lambda d: d["schemas"]["Item"].update(required=["id", "n"]), "major"),
    ("an unused shared schema added", lambda d: d["schemas"].update(Other=ITEM), "minor"),
    (
        "an error's schema moved under schemas: (models.OddDetail -> models.Item)",
        lambda d: _entry(d, "odd").update(detail_schema={"$ref": "#/schemas/Item"}),
        "major",
    ),
    (
        "an error with its own schema added to a category (the category's type widens)",
        lambda d: d["errors"].append(
            {
                "code": "new",
                "status": 422,
                "category": "validation",
                "message": "N",
                "detail_schema": {"type": "string"},
            }
        ),
        "major",
    ),
    (
        "an error added under the category's schema",
        lambda d: d["errors"].append({"code": "new", "status": 422, "category": "validation", "message": "N"}),
        "minor",
    ),
    (
        "an error without a schema added where none applies",
        lambda d: d["errors"].append({"code": "new", "status": 404, "message": "N"}),
        "minor",
    ),
    ("the model style changed", lambda d: d["api"].update(models="typeddict"), "major"),
    (
        "a schema reworded only in YAML order",
        lambda d: _entry(d, "odd").update(detail_schema=dict(reversed(list(ITEM.items())))),
        None,
    ),
]


def _detailed(tmp_path: Path, edit: Edit, name: str) -> Path:
    data = copy.deepcopy(DETAILED)
    edit(data)
    out = tmp_path / name
    out.write_text(yaml.safe_dump(data, sort_keys=False))
    return out


@pytest.mark.parametrize(("what", "edit", "bump"), DETAIL_CASES, ids=[c[0] for c in DETAIL_CASES])
def test_detail_schema_changes_are_classified_by_their_effect(
    tmp_path: Path, what: str, edit: Edit, bump: str | None
) -> None:
    old = load_spec(_detailed(tmp_path, lambda d: None, "old.yaml"))
    new = load_spec(_detailed(tmp_path, edit, "new.yaml"))
    changes = spec_diff.diff(old, new)
    assert spec_diff.required_bump(changes) == bump, changes
    # The way back: a breaking change stays breaking, an addition becomes a removal.
    back = spec_diff.required_bump(spec_diff.diff(new, old))
    assert back == (None if bump is None else "major"), back


def test_a_type_change_names_the_classes_and_both_types(tmp_path: Path) -> None:
    old = load_spec(_detailed(tmp_path, lambda d: None, "old.yaml"))
    new = load_spec(
        _detailed(tmp_path, lambda d: d["categories"].update(not_found={"detail_schema": ITEM}), "new.yaml")
    )
    texts = [c.text for c in spec_diff.diff(old, new) if c.kind == "breaking"]
    assert "err.detail becomes models.NotFoundDetail (was raw JSON): NotFoundError, MissingError (2 classes)" in texts


def test_the_first_flux_spec_against_today_is_the_major_its_author_made_it() -> None:
    """The author moved flux to 2.0.0 for the validation category's schema (err.detail of
    every 422 error became a list of models): diff must say major."""
    root = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if root.returncode != 0:
        pytest.skip("not a git checkout")
    first = spec_diff.load_ref(f"git:{root.stdout.split()[0]}:specs/flux.yaml", cwd=ROOT)
    changes = spec_diff.diff(first, load_spec(FLUX))
    assert spec_diff.required_bump(changes) == "major", changes
    assert any("FluxValidationError" in c.text and c.kind == "breaking" for c in changes)


def test_the_old_side_is_compared_whatever_its_examples_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old version with an example of the wrong entry (which validate now refuses) can
    still be compared with: its examples are not in question, the new spec's are."""

    def wrong(d: dict[str, Any]) -> None:
        error(d, "access_denied")["example"] = {"message": "m", "error_code": "route_not_found", "detail": None}
        d["api"]["version"] = "1.9.0"

    old = variant(tmp_path, wrong, name="old.yaml")
    assert main(["diff", str(old), str(FLUX)]) == 0
    assert "fix: AccessDeniedError (403 access_denied): example changed" in capsys.readouterr().out
    assert main(["diff", str(FLUX), str(old)]) == 1
    assert "the example comes back as RouteNotFoundError" in capsys.readouterr().err


def test_a_body_delay_read_elsewhere_is_breaking(tmp_path: Path) -> None:
    def paths(*found: str) -> Edit:
        return lambda d: d.setdefault("retry", {}).update(after_paths=list(found))

    old = load_spec(variant(tmp_path, paths("error.retry_delay"), name="old.yaml"))
    moved = load_spec(variant(tmp_path, paths("retry_delay", "error.retry_delay"), name="moved.yaml"))
    more = load_spec(variant(tmp_path, paths("error.retry_delay", "retry_delay"), name="more.yaml"))
    assert [c.kind for c in spec_diff.diff(old, moved)] == ["breaking"]  # another path tried first
    assert [c.kind for c in spec_diff.diff(old, more)] == ["feature"]  # one more, after the old
