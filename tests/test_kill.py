"""Writes are atomic: SIGKILL the generator at random moments, never find a mixed package.

Two versions of a set of packages (old, new: every module differs, one package only
in each) are written over each other by a child process that runs the CLI's write
phase (recover, write_package per package, stale removal), killed with SIGKILL at
a random moment. After every kill each package folder must be byte-for-byte the
old or the new package (or, with the rename fallback, put back by ``recover``);
after ``recover`` no leftovers remain. Every third child runs without renameat2,
exercising the rename-and-recover fallback. A few kills hit the real CLI too.
ERRORSDK_HEAVY=1 kills many more times.
"""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from errorsdk.output.write import PackageOutput, output_lock, recover
from errorsdk.pipeline import generate_package

from .conftest import CASES, ROOT

HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))
KILLS = 400 if HEAVY else 40
CLI_KILLS = 10 if HEAVY else 1

WORKER = """
import pickle, sys
import errorsdk.output.write as writing
outputs, out, exchange = pickle.loads(open(sys.argv[1], "rb").read()), writing.Path(sys.argv[2]), sys.argv[3] == "1"
if not exchange:
    writing._exchange = lambda a, b: False
print("ready", flush=True)
with writing.output_lock(out):
    writing.recover(out)
    for output in outputs:
        writing.write_package(out, output)
        print("wrote", output.package, flush=True)
    for folder in writing.stale_packages(out, {o.package for o in outputs}):
        writing.remove_package(folder)
"""

Tree = dict[str, bytes]
State = dict[str, Tree]


def tree(folder: Path) -> Tree:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def expected_state(outputs: list[PackageOutput]) -> State:
    return {o.package: {rel: text.encode() for rel, text in o.files.items()} for o in outputs}


def packages_on_disk(out: Path) -> State:
    return {p.name: tree(p) for p in out.iterdir() if not p.name.startswith(".")} if out.exists() else {}


def check_after_kill(out: Path, before: State, target: State) -> None:
    """Each package is its old or new self; one only renamed away is put back by recover()."""
    on_disk = packages_on_disk(out)
    for package in set(before) | set(target) | set(on_disk):
        now = on_disk.get(package)
        allowed = [before.get(package), target.get(package)]
        if now is None and package in before and package in target:
            parked = out / f".errorsdk-old-{package}"  # the fallback's window between two renames
            assert parked.is_dir() and tree(parked) in allowed, f"{package} lost"
            continue
        assert now in allowed, f"{package} is a mix of old and new"
    with output_lock(out, wait=0):  # the killed run's lock died with it
        recover(out)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for package, now in packages_on_disk(out).items():
        assert now in (before.get(package), target.get(package)), package


def spec_versions(tmp: Path) -> tuple[list[Path], list[Path]]:
    """Old specs (cases 0-4) and new ones (cases 1-5, every title changed)."""
    old_dir, new_dir = tmp / "old", tmp / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    old, new = [], []
    for spec in CASES[:-1]:
        old.append(old_dir / spec.name)
        old[-1].write_bytes(spec.read_bytes())
    for spec in CASES[1:]:
        data = yaml.safe_load(spec.read_text("utf-8"))
        data["api"]["title"] += " (new)"
        new.append(new_dir / spec.name)
        new[-1].write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return old, new


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path], Path, Path]:
    tmp = tmp_path_factory.mktemp("kill")
    old_specs, new_specs = spec_versions(tmp)
    old_pickle, new_pickle = tmp / "old.pickle", tmp / "new.pickle"
    old_pickle.write_bytes(pickle.dumps([generate_package(p) for p in old_specs]))
    new_pickle.write_bytes(pickle.dumps([generate_package(p) for p in new_specs]))
    return old_specs, new_specs, old_pickle, new_pickle


def start_worker(outputs: Path, out: Path, exchange: bool) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(outputs), str(out), "1" if exchange else "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    return proc


def test_sigkill_never_leaves_a_mixed_package(
    versions: tuple[list[Path], list[Path], Path, Path], tmp_path: Path
) -> None:
    _, _, old_pickle, new_pickle = versions
    states = {
        old_pickle: expected_state(pickle.loads(old_pickle.read_bytes())),
        new_pickle: expected_state(pickle.loads(new_pickle.read_bytes())),
    }
    out = tmp_path / "generated"
    rng = random.Random(5)
    # one uninterrupted run per version: how long writing one package takes
    durations = []
    for outputs in (old_pickle, new_pickle):
        proc = start_worker(outputs, out, True)
        start = time.perf_counter()
        proc.wait()
        durations.append((time.perf_counter() - start) / len(states[outputs]))
        assert packages_on_disk(out) == states[outputs]
    per_package = max(durations)
    killed = 0
    for i in range(KILLS):
        target = old_pickle if i % 2 == 0 else new_pickle
        before = packages_on_disk(out)
        proc = start_worker(target, out, exchange=i % 3 != 2)
        assert proc.stdout is not None
        for _ in range(rng.randrange(len(states[target]))):  # let some packages be written first
            proc.stdout.readline()
        time.sleep(rng.uniform(0, per_package))  # then kill at a random moment of the next one
        proc.send_signal(signal.SIGKILL)
        if proc.wait() == -signal.SIGKILL:
            killed += 1
        check_after_kill(out, before, states[target])
    print(f"\n{killed} of {KILLS} runs killed mid-way; one package takes {per_package:.4f} s to write")
    assert killed >= KILLS // 2  # most kills landed while the child was still writing
    start_worker(new_pickle, out, True).wait()  # the next complete run recovers everything
    assert packages_on_disk(out) == states[new_pickle] and sorted(os.listdir(out)) == sorted(states[new_pickle])


def test_sigkill_of_the_cli(versions: tuple[list[Path], list[Path], Path, Path], tmp_path: Path) -> None:
    old_specs, new_specs, old_pickle, new_pickle = versions
    states = [expected_state(pickle.loads(p.read_bytes())) for p in (old_pickle, new_pickle)]
    out = tmp_path / "generated"
    rng = random.Random(7)
    for i in range(CLI_KILLS + 1):
        specs_dir = (old_specs if i % 2 == 0 else new_specs)[0].parent
        before = packages_on_disk(out)
        proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "errorsdk", "generate", "--specs-dir", str(specs_dir), "--out", str(out)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        if i < CLI_KILLS and before:
            proc.stdout.readline()  # the first package is written: kill among the others
            time.sleep(rng.uniform(0, 0.05))
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        check_after_kill(out, before, states[i % 2])
    assert packages_on_disk(out) == states[CLI_KILLS % 2]


# --- children end with their parent -------------------------------------------------------

CHILD_KILLS = 30 if HEAVY else 3


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], int(fields[19])


def children_of(pid: int) -> set[tuple[int, int]]:
    """(pid, start time) of the live children of ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := _stat(int(entry))) is not None and info[0] == pid and info[1] not in "ZX":
            found.add((int(entry), info[2]))
    return found


def still_running(procs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of ``procs`` that still run (a zombie or a reused pid does not count); waits for them a while."""
    deadline = time.monotonic() + 30  # a bound on waiting, not a timed assertion: they should end at once
    while True:
        alive = {
            (pid, start) for pid, start in procs if (info := _stat(pid)) and info[2] == start and info[1] not in "ZX"
        }
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def assert_all_ended(seen: set[tuple[int, int]]) -> None:
    """Every process of ``seen`` has ended; any left is killed, so a failure leaves nothing behind."""
    left = still_running(seen)
    for pid, _ in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert seen and left == set(), f"{len(left)} of {len(seen)} workers outlived their parent"


def kill_once_children_run(command: list[str], want: int, rng: random.Random) -> set[tuple[int, int]]:
    """Start ``command``, SIGKILL it once it has ``want`` children; the children it had."""
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: set[tuple[int, int]] = set()
    while proc.poll() is None and len(seen) < want:
        seen |= children_of(proc.pid)
        time.sleep(0.002)
    assert proc.poll() is None, (
        f"the run ended before it forked {want} workers: {proc.stderr.read() if proc.stderr else ''}"
    )
    time.sleep(rng.uniform(0, 0.05))
    seen |= children_of(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return seen


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


@needs_proc
def test_sigkill_of_the_cli_leaves_no_formatting_worker(tmp_path: Path) -> None:
    """generate --jobs 3 on one large spec forks black workers; killing it must end them."""
    rng = random.Random(11)
    spec = ROOT / "specs" / "flux.yaml"
    command = [
        sys.executable,
        "-m",
        "errorsdk",
        "generate",
        "--no-cache",
        "--jobs",
        "3",
        "--out",
        str(tmp_path / "out"),
        str(spec),
    ]
    for _ in range(CHILD_KILLS):
        seen = kill_once_children_run(command, 2, rng)
        assert_all_ended(seen)


@needs_proc
def test_sigkill_of_the_cli_leaves_no_pool_worker(tmp_path: Path) -> None:
    """generate of 8 specs or more runs a pool; killing the CLI must end its workers."""
    rng = random.Random(13)
    specs = tmp_path / "specs"
    specs.mkdir()
    for spec in CASES:
        (specs / spec.name).write_bytes(spec.read_bytes())
    command = [
        sys.executable,
        "-m",
        "errorsdk",
        "generate",
        "--no-cache",
        "--jobs",
        "2",
        "--specs-dir",
        str(specs),
        "--out",
        str(tmp_path / "out"),
    ]
    for _ in range(max(1, CHILD_KILLS // 3)):
        seen = kill_once_children_run(command, 2, rng)
        assert_all_ended(seen)


POOL = """
import sys, time
import errorsdk.children as children
if sys.argv[1] == "pipe":  # the portable guard alone: as on a system without prctl
    children._set_parent_death_signal = lambda: None
elif sys.argv[1] == "pdeathsig":
    children._watch = lambda fd: None
import multiprocessing
with children.worker_pool(2, multiprocessing.get_context("fork")) as pool:
    futures = [pool.submit(time.sleep, 3600) for _ in range(4)]  # two run, two wait in the queue
    time.sleep(3600)
"""


@needs_proc
@pytest.mark.parametrize("guard", ["pipe", "pdeathsig", "both"])
def test_each_guard_alone_ends_the_workers(guard: str) -> None:
    seen = kill_once_children_run([sys.executable, "-c", POOL, guard], 2, random.Random(17))
    assert len(seen) >= 2
    assert_all_ended(seen)


def test_without_the_guards_workers_would_outlive_their_parent() -> None:
    """The check above can fail: with both guards off, a killed parent's worker lives on."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads /proc")
    script = POOL.replace(
        'if sys.argv[1] == "pipe":', 'if True:\n    children._watch = lambda fd: None\nif sys.argv[1] == "pipe":'
    )
    seen = kill_once_children_run([sys.executable, "-c", script, "pipe"], 2, random.Random(19))
    try:
        assert still_running_quick(seen)
    finally:
        for pid, _ in seen:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def still_running_quick(procs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    time.sleep(0.5)
    return {(pid, start) for pid, start in procs if (info := _stat(pid)) and info[2] == start and info[1] not in "ZX"}
