"""The CLI on hostile inputs and shared output folders: a message, exit 1, nothing written.

Inputs that are not spec texts (a FIFO, a device, a symlink loop, a folder, a file
name that is not UTF-8, ``--out`` naming a file), two runs writing one folder
(serialised by the folder's lock), the modes of what is written (the umask), and
package folders that are links or hold files that cannot be removed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from errorsdk.output import write as writing
from errorsdk.output.write import output_lock, recover

from .conftest import ROOT
from .test_cli import snapshot

HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))
FLUX = ROOT / "specs" / "flux.yaml"


def errorsdk(
    *args: str, cwd: Path = ROOT, timeout: float = 300, umask: int | None = None, prelude: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process (``prelude``: Python run first, e.g. to slow fsync down)."""
    script = f"import sys, os\n{prelude}\nfrom errorsdk.cli import main\nsys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=env,
        preexec_fn=set_umask,
    )


# --- inputs that are not spec files ------------------------------------------------------


def fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "spec.yaml")
    return tmp / "spec.yaml"


def loop(tmp: Path) -> Path:
    (tmp / "spec.yaml").symlink_to("spec.yaml")
    return tmp / "spec.yaml"


def folder(tmp: Path) -> Path:
    (tmp / "spec.yaml").mkdir()
    return tmp / "spec.yaml"


def not_utf8(tmp: Path) -> Path:
    path = Path(os.fsdecode(bytes(tmp) + b"/\xff.yaml"))
    path.write_bytes(FLUX.read_bytes())
    return path


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    # name: (make the spec path, what the message says, what the fix says)
    "fifo": (fifo, "the spec is a named pipe (FIFO), not a file", "name a spec file"),
    "dev_zero": (lambda tmp: Path("/dev/zero"), "the spec is a character device, not a file", "name a spec file"),
    "symlink_loop": (loop, "cannot read the spec: Too many levels of symbolic links", "loop of symbolic links"),
    "folder": (folder, "the spec is a folder, not a file", "name a spec file"),
    "missing": (
        lambda tmp: tmp / "nope.yaml",
        "cannot read the spec: No such file or directory",
        "check the file name",
    ),
    "not_utf8_name": (not_utf8, "the file name has byte 0xff, which is not UTF-8", "rename the spec file"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["generate", "validate"])
def test_a_spec_path_that_is_not_a_spec_file(name: str, command: str, tmp_path: Path) -> None:
    make, message, fix = BAD_INPUTS[name]
    if name == "dev_zero" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    spec = make(tmp_path)
    out = tmp_path / "out"
    args = [command, os.fsdecode(spec)] + (["--out", str(out)] if command == "generate" else [])
    done = errorsdk(*args, timeout=120)  # a FIFO used to block forever: the timeout fails the test
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    first, second = done.stderr.splitlines()[:2]
    assert message in first and first.startswith(os.fsencode(spec).decode("utf-8", "backslashreplace"))
    assert second.startswith("    fix: ") and fix in second
    assert not out.exists() and done.stdout == ""


def test_out_naming_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("mine")
    done = errorsdk("generate", str(FLUX), "--out", str(target))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: --out {target} is not a folder\n    fix: ")
    assert target.read_text() == "mine"


def test_the_path_printed_is_the_one_given(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = errorsdk("generate", str(FLUX), "--out", str(out))
    assert done.returncode == 0 and done.stdout == f"wrote {out}/flux_errors (20 files)\n"
    done = errorsdk("generate", str(FLUX), "--out", "out", cwd=tmp_path)
    assert done.stdout.startswith("unchanged out/flux_errors ")


# --- two runs, one output folder -------------------------------------------------------


def test_a_held_folder_is_refused_with_who_holds_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out):
        done = errorsdk("generate", str(FLUX), "--out", str(out), "--wait", "0")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"another errorsdk run (pid {os.getpid()}, " in done.stderr and f"is writing {out}" in done.stderr
    assert "    fix: wait for it to finish" in done.stderr
    assert not out.exists()  # made for the lock, removed with it: nothing was written
    assert done.stdout == ""


@pytest.mark.parametrize("wait", ["nan", "-1", "inf", "soon"])
def test_wait_takes_a_finite_number_of_seconds(wait: str, capsys: pytest.CaptureFixture[str]) -> None:
    from errorsdk.cli import main

    with pytest.raises(SystemExit) as exit:
        main(["generate", str(FLUX), "--wait", wait])
    assert exit.value.code == 2 and "is not a number of seconds" in capsys.readouterr().err


def test_a_second_run_waits_for_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = "import sys\nfrom errorsdk.cli import main\nsys.exit(main(sys.argv[1:]))"
    with output_lock(out):
        proc = subprocess.Popen(
            [sys.executable, "-c", script, "generate", str(FLUX), "--out", str(out), "--wait", "600"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        line = proc.stderr.readline()  # it says it waits, then waits: nothing is written meanwhile
        assert line.startswith(f"waiting for another errorsdk run (pid {os.getpid()}") and str(out) in line
        assert not (out / "flux_errors").exists() and proc.poll() is None
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert stdout == f"wrote {out}/flux_errors (20 files)\n"


SLOW_FSYNC = """
import os, time
_fsync = os.fsync
def slow(fd):
    time.sleep(0.05)
    _fsync(fd)
os.fsync = slow
"""


def test_two_runs_into_one_folder_never_corrupt_it(tmp_path: Path) -> None:
    """The issue's race: two runs at once, fsync slowed to widen the window; every round whole."""
    expected = snapshot(ROOT / "generated" / "flux_errors")
    flux = tmp_path / "flux.yaml"
    flux.write_bytes(FLUX.read_bytes())
    for round in range(8 if HEAVY else 2):
        out = tmp_path / f"out{round}"
        script = "import sys\n" + SLOW_FSYNC + "from errorsdk.cli import main\nsys.exit(main(sys.argv[1:]))"
        args = [sys.executable, "-c", script, "generate", "--no-cache", str(flux), "--out", str(out), "--wait", "600"]
        procs = [
            subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [p.communicate(timeout=600) for p in procs]
        for proc, (_stdout, stderr) in zip(procs, results):
            assert proc.returncode == 0 and "Traceback" not in stderr, stderr
        assert snapshot(out / "flux_errors") == expected
        assert sorted(os.listdir(out)) == ["flux_errors"]
        outs = sorted(stdout.split()[0] for stdout, _ in results)
        assert outs == ["unchanged", "wrote"]  # the second waited, then found it written


def test_recovery_leaves_a_live_writer_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        live = out / f".errorsdk-tmp-{sleeper.pid}-0000"
        live.mkdir()
        (live / "half.py").write_text("")
        dead = out / ".errorsdk-tmp-999999999-0000"  # no such process
        dead.mkdir()
        legacy = out / ".errorsdk-tmp-flux_errors-abc"  # an older errorsdk's name: no pid
        legacy.mkdir()
        with output_lock(out):
            recover(out)
        assert sorted(p.name for p in out.iterdir()) == [live.name]
    finally:
        sleeper.kill()
        sleeper.wait()
    with output_lock(out):
        recover(out)
    assert list(out.iterdir()) == []


def test_writing_into_a_removed_temporary_folder_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's corruption: the temporary folder removed mid-write was made again, partial, and swapped in."""
    from errorsdk.pipeline import generate_package

    output = generate_package(FLUX)
    out = tmp_path / "out"
    real = writing._write_file
    written = []

    def remove_midway(path: Path, data: bytes) -> None:
        written.append(path)
        if len(written) == 5:
            shutil.rmtree(path.parent if path.parent.name.startswith(".errorsdk-tmp-") else path.parents[1])
        real(path, data)

    monkeypatch.setattr(writing, "_write_file", remove_midway)
    with pytest.raises(writing.WriteError, match="cannot write"):
        writing.write_package(out, output)
    assert not (out / "flux_errors").exists()


# --- modes, links, files that cannot be removed -----------------------------------------


def modes(folder: Path) -> set[tuple[str, int]]:
    return {("d" if p.is_dir() else "f", stat.S_IMODE(p.stat().st_mode)) for p in [folder, *folder.rglob("*")]}


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_modes_honour_the_umask(umask: int, tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    assert errorsdk("generate", str(FLUX), "--out", str(out), umask=umask).returncode == 0
    assert modes(out) == {("d", 0o777 & ~umask), ("f", 0o666 & ~umask)}
    docs = tmp_path / "docs"
    assert errorsdk("docs", str(FLUX), "--out", str(docs), "--html", umask=umask).returncode == 0
    assert modes(docs) == {("d", 0o777 & ~umask), ("f", 0o666 & ~umask)}


def test_a_package_folder_that_is_a_link_is_written_where_it_points(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    assert errorsdk("generate", str(FLUX), "--out", str(elsewhere)).returncode == 0
    out.mkdir()
    (out / "flux_errors").symlink_to(elsewhere / "flux_errors")
    spec = tmp_path / "flux.yaml"
    spec.write_text(
        FLUX.read_text("utf-8").replace("title: Flux delivery API", "title: Flux delivery API (new)"), "utf-8"
    )
    done = errorsdk("generate", str(spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "flux_errors").is_symlink()
    assert "(new)" in (elsewhere / "flux_errors" / "README.md").read_text("utf-8")
    assert sorted(os.listdir(out)) == ["flux_errors"] and sorted(os.listdir(elsewhere)) == ["flux_errors"]


def test_a_package_holding_an_immutable_file_is_refused_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert errorsdk("generate", str(FLUX), "--out", str(out)).returncode == 0
    before = snapshot(out)
    stuck = out / "flux_errors" / "README.md"
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that supports it")
    spec = tmp_path / "flux.yaml"
    spec.write_text(FLUX.read_text("utf-8").replace("title: Flux delivery API", "title: Flux (new)"), "utf-8")
    try:
        done = errorsdk("generate", str(spec), "--out", str(out))
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert f"error: cannot replace {out}/flux_errors: {stuck} is immutable" in done.stderr
        assert f"    fix: clear the flag (chattr -i -a {stuck})" in done.stderr
        assert snapshot(out) == before and sorted(os.listdir(out)) == ["flux_errors"]  # nothing written, nothing left
    finally:
        subprocess.run(["chattr", "-i", str(stuck)], capture_output=True)
    done = errorsdk("generate", str(spec), "--out", str(out))  # once cleared, it is written
    assert done.returncode == 0 and "(new)" in stuck.read_text("utf-8")
    assert sorted(os.listdir(out)) == ["flux_errors"]


def test_a_leftover_that_cannot_be_removed_is_named(tmp_path: Path) -> None:
    """Recovery that cannot remove a dead run's leftover says which file and what to do."""
    out = tmp_path / "out"
    leftover = out / ".errorsdk-tmp-999999999-0000"
    leftover.mkdir(parents=True)
    stuck = leftover / "README.md"
    stuck.write_text("")
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that supports it")
    try:
        done = errorsdk("generate", str(FLUX), "--out", str(out))
        assert done.returncode == 0 and "Traceback" not in done.stderr
        assert f"warning: could not remove {stuck}" in done.stderr and "chattr -i" in done.stderr
    finally:
        subprocess.run(["chattr", "-i", str(stuck)], capture_output=True)
    errorsdk("generate", str(FLUX), "--out", str(out))
    assert sorted(os.listdir(out)) == ["flux_errors"]
