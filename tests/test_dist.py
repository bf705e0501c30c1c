"""Wheels and sdists end to end: reproducible builds, metadata, offline installs side by side,
a user program that runs and type-checks (mypy --strict, pyright) against the installed wheels."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from errorsdk.cli import main
from errorsdk.output.dist import FIXED_EPOCH, Built, build_all, build_output
from errorsdk.output.write import MARKER, SPEC_COPY, PackageOutput

from .conftest import ROOT, SPECS, spec_id
from .distributions import bad_program, make_venv, model, other_pythons, pip_install, run, user_program


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Built]]:
    """Every seed spec built once per session."""
    folder = tmp_path_factory.mktemp("dist")
    built, failures = build_all(SPECS, folder, progress=lambda line: None)
    assert not failures
    return folder, built


def wheel(built: Built) -> Path:
    return next(f for f in built.files if f.suffix == ".whl")


@pytest.fixture(scope="session")
def all_installed(dist: tuple[Path, list[Built]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh venv with every API's wheel, installed side by side without an index."""
    root = tmp_path_factory.mktemp("venv-all")
    python = make_venv(root / "venv")
    pip_install(python, "--no-index", *(wheel(b) for b in dist[1]))
    return python


def test_build_makes_a_wheel_and_an_sdist_per_api_and_shows_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(SPECS[0]), str(SPECS[-1]), "--dist", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line[:5] for line in out] == ["[1/2]", "[2/2]"]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 4 and sum(n.endswith(".whl") for n in names) == 2
    assert sum(n.endswith(".tar.gz") for n in names) == 2


def test_builds_are_byte_identical(dist: tuple[Path, list[Built]], tmp_path: Path) -> None:
    """Another process, another hash seed, another folder: the same bytes."""
    subprocess.run(
        [sys.executable, "-m", "errorsdk", "build", *map(str, SPECS[:2]), "--dist", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "4242"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    for built in dist[1][:2]:
        for first in built.files:
            assert (tmp_path / first.name).read_bytes() == first.read_bytes(), first.name


def test_wheel_metadata_is_complete_and_traceable(dist: tuple[Path, list[Built]]) -> None:
    for spec, built in zip(SPECS, dist[1]):
        api = model(spec)
        with zipfile.ZipFile(wheel(built)) as zf:
            names = zf.namelist()
            info = f"{api.package}-{api.version}.dist-info"
            meta = Parser().parsestr(zf.read(f"{info}/METADATA").decode())
            marker = json.loads(zf.read(f"{info}/extra_metadata/errorsdk.json"))
            spec_copy = zf.read(f"{info}/extra_metadata/{SPEC_COPY}")
        assert {n.split("/")[0] for n in names} == {api.package, info}
        assert f"{api.package}/py.typed" in names
        assert meta["Name"] == api.distribution and meta["Version"] == api.version
        assert meta["License-Expression"] == api.license == "MIT"
        assert meta["Requires-Python"] == ">=3.11"
        assert "Typing :: Typed" in meta.get_all("Classifier")
        assert meta.get_all("Requires-Dist") is None  # standard library only
        assert all(e.class_name in meta.get_payload() for e in api.errors)  # the README
        assert spec_copy == spec.read_bytes()
        assert marker["spec_sha256"] == hashlib.sha256(spec_copy).hexdigest() == api.spec_sha256
        assert marker["generator_version"] == api.generator_version


def test_sdist_rebuilds_the_same_wheel(dist: tuple[Path, list[Built]], tmp_path: Path) -> None:
    """The sdist is complete: building a wheel from it gives the very same bytes."""
    built = dist[1][0]
    sdist = next(f for f in built.files if f.name.endswith(".tar.gz"))
    with tarfile.open(sdist) as tf:
        members = tf.getmembers()
        assert all(m.mtime == members[0].mtime and m.uid == 0 for m in members)
        files = {m.name.split("/", 1)[1]: tf.extractfile(m).read().decode() for m in members if m.isfile()}  # type: ignore[union-attr]
    assert {MARKER, SPEC_COPY, "pyproject.toml", "README.md", f"{built.package}/__init__.py"} <= set(files)
    files.pop("PKG-INFO")
    rebuilt = build_output(PackageOutput(built.package, "sdist", files, built.version), tmp_path)
    assert rebuilt.files[0].read_bytes() == wheel(built).read_bytes()


def test_apis_install_side_by_side_without_conflicts(all_installed: Path, dist: tuple[Path, list[Built]]) -> None:
    site = Path(run(all_installed, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    owners: dict[str, str] = {}
    for record in site.glob("*.dist-info/RECORD"):
        for line in record.read_text().splitlines():
            path = line.split(",")[0]
            assert path not in owners, f"{path} is installed by {owners.get(path)} and {record.parent.name}"
            owners[path] = record.parent.name
    assert len(list(site.glob("*_errors-*.dist-info"))) == len(dist[1])
    run(sys.executable, "-m", "pip", "--python", all_installed, "check")


@pytest.fixture(scope="session")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("user-programs")
    for spec in SPECS:
        api = model(spec)
        (folder / f"use_{api.package}.py").write_text(user_program(api))
    (folder / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict"}))
    return folder


def test_installed_packages_import_dispatch_and_trace(all_installed: Path, programs: Path) -> None:
    script = (
        "import importlib, importlib.metadata as md, json, sys\n"
        "for name in sys.argv[1:]:\n"
        "    use = importlib.import_module('use_' + name)\n"
        "    pkg = importlib.import_module(name)\n"
        "    marker = json.loads(md.distribution(name.replace('_', '-')).read_text('extra_metadata/errorsdk.json'))\n"
        "    assert use.check() == pkg.SPEC_SHA256 == marker['spec_sha256'], name\n"
        "    assert pkg.GENERATOR_VERSION == marker['generator_version']\n"
        "    print(name, 'ok')\n"
    )
    names = [model(s).package for s in SPECS]
    out = run(all_installed, "-I", "-c", f"import sys; sys.path.insert(0, {str(programs)!r}); exec({script!r})", *names)
    assert out.stdout.split() == [w for n in names for w in (n, "ok")]


def test_user_program_passes_mypy_strict(all_installed: Path, programs: Path, tmp_path: Path) -> None:
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-executable",
        str(all_installed),
        "--cache-dir",
        str(tmp_path),
    ]
    done = run(*mypy, *sorted(programs.glob("*.py")), check=False)
    assert done.returncode == 0, done.stdout
    bad = tmp_path / "bad.py"
    bad.write_text(bad_program(model(SPECS[-1])))
    done = run(*mypy, bad, check=False)
    assert done.returncode == 1 and "bad.py:3:" in done.stdout, done.stdout


def test_user_program_passes_pyright_strict(all_installed: Path, programs: Path) -> None:
    pyright = [sys.executable, "-m", "basedpyright", "--pythonpath", str(all_installed), "--project", str(programs)]
    done = run(*pyright, check=False)
    assert done.returncode == 0, done.stdout
    bad = programs / "bad" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(bad_program(model(SPECS[-1])))
    done = run(*pyright, bad, check=False)
    assert done.returncode == 1 and "bad.py:3:" in done.stdout, done.stdout


# Every class of every API, sent and read back as the API would send it, pickled, shown:
# the same lines on every Python the wheels claim (3.11+).
ALIKE = """\
import importlib, pickle, sys
sys.path.insert(0, sys.argv[1])
for name in sys.argv[2:]:
    pkg = importlib.import_module(name)
    print(name, importlib.import_module("use_" + name).check())
    for cls in pkg.ERROR_CLASSES:
        status, headers, body = cls("boom").to_response()
        got = pkg.from_response(status, body, headers)
        one = got.errors[0] if hasattr(got, "errors") else got
        back = pickle.loads(pickle.dumps(one))
        print(cls.__name__, [c.__name__ for c in type(one).__mro__], one.code, one.status, one.retryable,
              one.message, repr(back) == repr(one), str(one), sorted(vars(one)))
"""

PYTHONS = other_pythons()


@pytest.mark.parametrize(
    "python",
    PYTHONS or [pytest.param(None, marks=pytest.mark.skip(reason="no other CPython 3.12+ on this machine"))],
    ids=[p.parent.parent.name for p in PYTHONS] or ["none"],
)
def test_wheels_behave_alike_on_every_python_they_claim(
    python: Path, all_installed: Path, dist: tuple[Path, list[Built]], programs: Path, tmp_path: Path
) -> None:
    other = make_venv(tmp_path / "venv", python)
    pip_install(other, "--no-index", *(wheel(b) for b in dist[1]))
    script = tmp_path / "alike.py"
    script.write_text(ALIKE)
    names = [model(s).package for s in SPECS]
    here = run(all_installed, "-I", script, programs, *names).stdout
    there = run(other, "-I", script, programs, *names).stdout
    assert len(here.splitlines()) == len(names) + sum(len(model(s).errors) for s in SPECS)  # every class
    assert there == here


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_each_wheel_alone_in_a_fresh_venv(spec: Path, dist: tuple[Path, list[Built]], tmp_path: Path) -> None:
    api = model(spec)
    built = next(b for b in dist[1] if b.package == api.package)
    python = make_venv(tmp_path / "venv")
    pip_install(python, "--no-index", wheel(built))
    program = tmp_path / "use.py"
    program.write_text(user_program(api) + "\nprint(check())\n")
    assert run(python, "-I", program).stdout.strip() == api.spec_sha256


def test_build_reports_a_bad_spec_and_builds_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SPECS[0].read_text().replace("version:", "version: x", 1))
    dist = tmp_path / "dist"
    assert main(["build", str(bad), str(SPECS[0]), "--dist", str(dist)]) == 1
    captured = capsys.readouterr()
    assert "[1/2]" in captured.out and "FAILED" in captured.out and "bad.yaml:" in captured.err
    assert len(list(dist.glob("*.whl"))) == 1


def test_python_m_build_agrees(dist: tuple[Path, list[Built]], tmp_path: Path) -> None:
    """The generated project is standard: pip's own PEP 517 build (hatchling) makes the same wheel."""
    built = dist[1][-1]
    project = tmp_path / "project"
    with tarfile.open(next(f for f in built.files if f.name.endswith(".tar.gz"))) as tf:
        tf.extractall(tmp_path, filter="data")
    (tmp_path / f"{built.package}-{built.version}").rename(project)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(tmp_path / "w"),
            str(project),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(FIXED_EPOCH)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "w" / wheel(built).name).read_bytes() == wheel(built).read_bytes()
