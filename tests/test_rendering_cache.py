"""The Jinja2 bytecode cache: a new process renders from it, and a cache that cannot be used costs only time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.bccache import bc_magic

from errorsdk.output.cache import source_digest
from errorsdk.rendering.templates import _BytecodeCache, jinja_cache_dir, prune
from errorsdk.spec.validation import load_spec

from .conftest import GENERATED, ROOT

SPEC = ROOT / "specs" / "flow_graphql.yaml"  # has detail schemas: every package template is rendered
PACKAGE = load_spec(SPEC).package

# Renders SPEC in a new process; prints the files and which templates of the generator were compiled.
# argv[1], when given, is a copy of templates/ to use instead.
_RENDER = """
import json, sys
from pathlib import Path
import jinja2
from errorsdk.rendering import templates as rendering
from errorsdk.pipeline import generate_package

if len(sys.argv) > 1:
    rendering.templates_dir = lambda: Path(sys.argv[1])
compiled = []
compile = jinja2.Environment.compile
def counting(self, source, name=None, filename=None, *args, **kwargs):
    if self is rendering.environment():  # not datamodel-code-generator's own templates
        compiled.append(name)
    return compile(self, source, name, filename, *args, **kwargs)
jinja2.Environment.compile = counting
files = generate_package(Path(%r)).files
json.dump({"compiled": sorted(compiled), "files": files}, sys.stdout)
""" % str(SPEC)  # noqa: UP031 (Python source: %r writes the literal)


def render(cache: Path, templates: Path | None = None) -> dict[str, Any]:
    """``{"compiled": [template names], "files": {path: text}}`` of SPEC, rendered in a new process."""
    env = {**os.environ, "ERRORSDK_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    args = [str(templates)] if templates else []
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def golden() -> dict[str, str]:
    folder = GENERATED / PACKAGE
    return {
        p.relative_to(folder).as_posix(): p.read_text("utf-8")
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.cache"))


def test_a_new_process_renders_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "jinja"
    first = render(cache)
    assert first["files"] == golden()
    assert "package/errors.py.jinja" in first["compiled"]
    assert len(entries(cache)) == len(first["compiled"])
    key = f"jinja2-{version('jinja2')}-{sys.implementation.name}{sys.version_info.major}.{sys.version_info.minor}"
    assert all(p.name.startswith(f"{key}-{source_digest()[:16]}-") for p in entries(cache))

    second = render(cache)
    assert second["compiled"] == []  # every template came from its bytecode
    assert second["files"] == first["files"]


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    cache, templates = tmp_path / "jinja", tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    render(cache, templates)
    changed = templates / "package" / "py.typed.jinja"
    changed.write_text(changed.read_text("utf-8") + "# changed\n", "utf-8")

    again = render(cache, templates)
    assert again["compiled"] == ["package/py.typed.jinja"]  # jinja2's checksum of the source
    assert again["files"][f"{PACKAGE}/py.typed"].endswith("# changed\n")


def test_damaged_entries_are_compiled_again(tmp_path: Path) -> None:
    cache = tmp_path / "jinja"
    first = render(cache)
    for entry in entries(cache):  # right magic, then a cut-off pickle: jinja2 itself would raise
        entry.write_bytes(entry.read_bytes()[: len(bc_magic) + 3])

    again = render(cache)
    assert again == first
    assert all(len(entry.read_bytes()) > len(bc_magic) + 3 for entry in entries(cache))  # rewritten


def _a_file(tmp_path: Path) -> Path:
    (tmp_path / "file").write_text("not a folder")
    return tmp_path / "file"


def _under_a_file(tmp_path: Path) -> Path:
    return _a_file(tmp_path) / "jinja"


def _read_only(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder")
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    return folder


@pytest.mark.parametrize("unusable", [_a_file, _under_a_file, _read_only])
def test_an_unusable_cache_folder_still_generates(tmp_path: Path, unusable: Any) -> None:
    cache = unusable(tmp_path)
    try:
        result = render(cache)
    finally:
        if cache.is_dir():
            cache.chmod(0o700)
    assert result["files"] == golden()
    assert not cache.is_dir() or entries(cache) == []


def test_reading_or_writing_an_entry_never_raises(tmp_path: Path) -> None:
    """Without the wrapper jinja2 raises NotADirectoryError loading, FileNotFoundError storing."""
    loader = jinja2.DictLoader({"t": "{{ 1 + 1 }}"})
    for folder in (_under_a_file(tmp_path), tmp_path / "missing"):
        env = jinja2.Environment(loader=loader, bytecode_cache=_BytecodeCache(str(folder)))
        assert env.get_template("t").render() == "2"


def test_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ERRORSDK_CACHE_DIR", str(tmp_path / "mine"))
    assert jinja_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("ERRORSDK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert jinja_cache_dir() == tmp_path / "xdg" / "errorsdk" / "jinja"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as the XDG spec says
    assert jinja_cache_dir() == tmp_path / "home" / ".cache" / "errorsdk" / "jinja"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert jinja_cache_dir() == tmp_path / "home" / ".cache" / "errorsdk" / "jinja"


def test_prune_deletes_only_old_entries_of_other_keys(tmp_path: Path) -> None:
    now = 1_000_000_000.0
    day = 24 * 3600.0
    files = {
        "jinja2-3.1.4-cpython3.11-aaaa-x.cache": now - 40 * day,  # other key, old: deleted
        "jinja2-3.1.4-cpython3.11-bbbb-x.cache": now - 1 * day,  # other key, recent: another install's
        "jinja2-3.1.4-cpython3.11-cccc-x.cache": now - 400 * day,  # this key, however old
        "notes.txt": now - 400 * day,  # not an entry
    }
    for name, mtime in files.items():
        (tmp_path / name).write_text("x", "utf-8")
        os.utime(tmp_path / name, (mtime, mtime))
    removed = prune(tmp_path, "jinja2-3.1.4-cpython3.11-cccc", now)
    assert removed == [tmp_path / "jinja2-3.1.4-cpython3.11-aaaa-x.cache"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(set(files) - {removed[0].name})
    assert prune(tmp_path / "missing", "k", now) == [] and prune(_under_a_file(tmp_path), "k", now) == []


def test_a_run_prunes_the_cache_folder(tmp_path: Path) -> None:
    cache = tmp_path / "jinja"
    cache.mkdir()
    stale = cache / "jinja2-0.0-cpython3.0-0000000000000000-old.cache"
    stale.write_text("x", "utf-8")
    os.utime(stale, (0, 0))
    render(cache)
    assert not stale.exists() and entries(cache)
