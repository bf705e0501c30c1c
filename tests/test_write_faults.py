"""A write that fails (a full disk, a read-only folder, a name too long) at any step
leaves the old packages whole, says what failed and where, and leaves nothing behind.

``errorsdk generate``'s write phase runs once per write step (every mkdir, open,
write, fsync, rename, exchange of the run), with that step failing with an OSError;
the packages are rendered once, beforehand. Real full and read-only file systems
(a small tmpfs) are used too where this process may mount one (root).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import errorsdk.output.write as writing
from errorsdk import cli, pipeline
from errorsdk.pipeline import Result, generate_package

from .conftest import CASES, ROOT
from .test_cli import snapshot

STEPS = ("makedirs", "mkdir", "open", "write", "fsync", "rename", "replace")
ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT, errno.EACCES, errno.ENAMETOOLONG, errno.EPERM)


class FailingOs:
    """``os`` for errorsdk.output.write: counts write steps, and fails the one numbered ``fail``."""

    def __init__(self, fail: int = -1, code: int = errno.ENOSPC) -> None:
        self.fail, self.code, self.count = fail, code, 0

    def step(self, name: str, args: tuple[Any, ...]) -> None:
        self.count += 1
        if self.count - 1 == self.fail:
            where = args[0] if args and isinstance(args[0], (str, os.PathLike)) else None
            raise OSError(self.code, os.strerror(self.code), None if where is None else os.fspath(where))

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in STEPS:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self.step(name, args)
            if name == "fsync":
                return None  # counted, not done: the test writes thousands of files
            return real(*args, **kwargs)

        return call


def spec_versions(tmp: Path) -> tuple[list[Path], list[Path]]:
    old_dir, new_dir = tmp / "old", tmp / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    old, new = [], []
    for spec in [c for c in CASES if c.stem in ("integer_codes", "rate_limits")]:
        old.append(old_dir / spec.name)
        old[-1].write_bytes(spec.read_bytes())
        data = yaml.safe_load(spec.read_text("utf-8"))
        data["api"]["title"] += " (new)"
        new.append(new_dir / spec.name)
        new[-1].write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return old, new


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path], dict[Path, Result]]:
    old, new = spec_versions(tmp_path_factory.mktemp("faults"))
    return old, new, {path: generate_package(path) for path in old + new}


def run(
    specs: list[Path],
    out: Path,
    results: dict[Path, Result],
    fake: FailingOs | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exchange: bool = True,
) -> tuple[int, str, str]:
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "generate_many", lambda paths, jobs=None: [results[p] for p in paths])
        patch.setattr(pipeline.spec_diff, "refusals", lambda out, outputs, warn=None: [])  # reads specs, writes nothing
        if fake is not None:
            patch.setattr(writing, "os", fake)
            if fake.fail >= 0:
                real_exchange = writing._exchange

                def exchange_step(a: Path, b: Path) -> bool:
                    fake.step("exchange", (a,))
                    return real_exchange(a, b)

                patch.setattr(writing, "_exchange", exchange_step)
        if not exchange:
            patch.setattr(writing, "_exchange", lambda a, b: False)
        capsys.readouterr()
        status = cli.main(["generate", "--no-cache", "--out", str(out), *map(str, specs)])
        captured = capsys.readouterr()
    return status, captured.out, captured.err


def packages(out: Path) -> dict[str, dict[str, bytes]]:
    return {p.name: snapshot(p) for p in out.iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_failure_at_every_write_step_keeps_the_old_packages(
    rendered: tuple[list[Path], list[Path], dict[Path, Result]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exchange: bool,
) -> None:
    old, new, results = rendered
    out = tmp_path / "generated"
    assert run(old, out, results, None, monkeypatch, capsys)[0] == 0
    old_state = packages(out)
    counter = FailingOs()
    assert run(new, out, results, counter, monkeypatch, capsys, exchange)[0] == 0
    new_state = packages(out)
    assert old_state.keys() == new_state.keys() and old_state != new_state
    steps = counter.count
    assert steps > 20  # every file's open, write and fsync at least
    for k in range(steps):
        assert run(old, out, results, FailingOs(), monkeypatch, capsys)[0] == 0
        code = ERRNOS[k % len(ERRNOS)]
        status, stdout, stderr = run(new, out, results, FailingOs(k, code), monkeypatch, capsys, exchange)
        assert "Traceback" not in stderr
        now = packages(out)
        for name, tree in now.items():
            assert tree in (old_state[name], new_state[name]), f"step {k}: {name} is a mix"
            if f"wrote {out / name} " in stdout:
                assert tree == new_state[name], f"step {k}: {name} reported written but is not"
        assert now.keys() == old_state.keys(), f"step {k}: a package went missing"
        leftovers = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
        assert leftovers == [], f"step {k} ({errno.errorcode[code]}): left {leftovers}"
        if status != 0:
            assert "error: cannot " in stderr and os.strerror(code) in stderr and "    fix: " in stderr, stderr
            assert str(out) in stderr  # the path that failed is named
        else:  # only the cache (beside the folder) failed: that costs speed, never output
            assert now == new_state
        assert run(new, out, results, FailingOs(), monkeypatch, capsys)[0] == 0
        assert packages(out) == new_state


# --- real file systems ----------------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 400 KiB tmpfs (room for one package, a second write of it fills it), when this process may mount one."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "errorsdk", "generate", "--out", str(out), str(spec)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_a_full_disk_and_a_read_only_folder(tmpfs: Path, tmp_path: Path) -> None:
    spec = tmp_path / "flux.yaml"
    spec.write_bytes((ROOT / "specs" / "flux.yaml").read_bytes())
    out = tmpfs / "generated"
    assert generate(spec, out).returncode == 0
    before = snapshot(out)
    # fill the disk, then change the spec: its new package cannot be written
    filler = tmpfs / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass
    spec.write_text(
        spec.read_text("utf-8").replace("title: Flux delivery API", "title: Flux delivery API (new)"), "utf-8"
    )
    done = generate(spec, out)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "No space left on device" in done.stderr and "free some disk space" in done.stderr
    assert snapshot(out) == before and sorted(os.listdir(out)) == ["flux_errors"]
    filler.unlink()
    # read-only: a change cannot be written; an unchanged spec is "unchanged", exit 0
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    try:
        done = generate(spec, out)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "Read-only file system" in done.stderr and "read-only" in done.stderr.split("fix:")[1]
        assert snapshot(out) == before
        spec.write_bytes((ROOT / "specs" / "flux.yaml").read_bytes())
        done = generate(spec, out)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert done.stdout.startswith(f"unchanged {out}/flux_errors")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=False)


def test_leftovers_that_cannot_be_removed_are_returned_and_the_cli_prints_them(
    rendered: tuple[list[Path], list[Path], dict[Path, Result]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """write.py prints nothing: recover(), write_package() and remove_package() return the
    warning of a leftover they could not remove, and `errorsdk generate` prints it on stderr."""
    old, new, results = rendered
    real_remove = writing._remove

    def stuck(path: Path) -> str | None:  # removed, but reported as a file that would not go
        existed = os.path.lexists(path)
        real_remove(path)
        return f"{path}/README.md: Operation not permitted" if existed else None

    monkeypatch.setattr(writing, "_remove", stuck)
    out = tmp_path / "out"
    leftover = out / ".errorsdk-tmp-999999999-0000"  # a dead run's temporary folder
    leftover.mkdir(parents=True)
    capsys.readouterr()
    assert writing.recover(out) == [writing.leftover_warning(f"{leftover}/README.md: Operation not permitted")]
    assert capsys.readouterr() == ("", "")
    leftover.mkdir()
    status, stdout, stderr = run(old, out, results, None, monkeypatch, capsys)
    assert status == 0 and "wrote" in stdout
    assert stderr == (
        f"warning: could not remove {leftover}/README.md: Operation not permitted\n"
        "    fix: remove it by hand (an immutable file? `lsattr` shows it, `chattr -i` clears it)\n"
    )
    status, stdout, stderr = run(new, out, results, None, monkeypatch, capsys)  # swapped: the old one is left
    assert status == 0 and stderr.count("warning: could not remove") == len(new), stderr
    assert stderr.count("    fix: remove it by hand") == len(new)
