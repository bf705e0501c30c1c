"""Write generated packages into the output folder: atomically, only what we own, one run at a time.

Each package is rendered into a temporary folder beside its target and swapped in
whole, so an interrupted run leaves either the old or the new package, never a mix.
A package folder carries a marker (``.errorsdk.json``); folders without one are
never touched, and marked folders whose spec is gone are removed.

Runs that write into one output folder are serialised by an OS-level lock on the
folder itself (``flock`` of the directory: it needs no lock file, works on a
read-only folder, and is released by the kernel when its holder dies). Who holds
it is written to ``.errorsdk-lock`` in the folder, for the message a waiting run
prints. Only the holder recovers what an interrupted run left (``recover``), so a
run never removes a temporary folder another live run is writing; each temporary
folder's name also carries its writer's process id, and one whose writer is still
alive (an errorsdk without the lock) is left alone.

Every file and folder is created with mode 0666/0777 less the umask, like any other
tool's output. Every ``OSError`` (a full disk, a read-only folder, a name too long)
becomes a ``WriteError`` naming the path, and the old package stays as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MARKER = ".errorsdk.json"
SPEC_COPY = "errorsdk-spec.yaml"  # the spec, verbatim: what `generate` diffs a new spec against
LOCK_INFO = ".errorsdk-lock"  # who holds the output folder's lock (see output_lock)
_TMP_PREFIX = ".errorsdk-tmp-"
_OLD_PREFIX = ".errorsdk-old-"
# The longest package name: it names the package's folder, its temporary and parked
# folders (``.errorsdk-old-<package>``) and its wheel and dist-info, in a file system
# where a name holds at most 255 bytes.
MAX_PACKAGE_NAME = 100
DEFAULT_WAIT = 60.0  # seconds a run waits for another run writing the same folder


class WriteError(Exception):
    """The output folder cannot be written as asked."""


@dataclass(frozen=True)
class PackageOutput:
    """One generated package: its folder name and every file in it."""

    package: str
    spec_file: str
    files: dict[str, str]  # relative path -> text, marker included
    version: str = ""  # the API's version (api.version)
    # What the package imports beyond the standard library: (requirement, optional).
    requires: tuple[tuple[str, bool], ...] = ()
    warnings: str = ""  # the spec's warnings, formatted (they stop nothing unless --strict)


def marker_text(package: str, spec_file: str, spec_sha256: str, generator_version: str, files: list[str]) -> str:
    data = {
        "generator": "errorsdk",
        "generator_version": generator_version,
        "package": package,
        "spec": spec_file,
        "spec_sha256": spec_sha256,
        "files": sorted(files),
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def owned(folder: Path) -> bool:
    """Whether ``folder`` is a package errorsdk generated."""
    try:
        return bool(json.loads((folder / MARKER).read_text("utf-8")).get("generator") == "errorsdk")
    except (OSError, ValueError, AttributeError):
        return False


def os_problem(exc: OSError, doing: str) -> WriteError:
    """``exc`` as a message naming the path and what to do."""
    path = exc.filename if exc.filename is not None else "?"
    reason = exc.strerror or str(exc)
    fix = {
        errno.ENOSPC: "free some disk space, then run again",
        errno.EDQUOT: "free some space within your quota, then run again",
        errno.EROFS: "the file system is read-only: choose another --out, or remount it read-write",
        errno.EACCES: "you may not write there: fix its permissions or choose another --out",
        errno.EPERM: "the file or folder is protected (immutable or append-only? lsattr shows it): "
        "clear the flag, or choose another --out",
        errno.ENAMETOOLONG: "choose a shorter package name (api.package) or a shorter --out path",
        errno.ENOTDIR: "a file stands where a folder is needed: move it away or choose another --out",
        errno.EEXIST: "a file stands where a folder is needed: move it away or choose another --out",
    }.get(exc.errno or 0, "check the output folder, then run again")
    return WriteError(f"cannot {doing}: {path}: {reason}\n    fix: {fix}")


# --- creating files and folders ------------------------------------------------------


def make_dir(path: Path) -> None:
    """``path`` as a folder (its parents too), mode 0777 less the umask."""
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError as exc:  # a file, or a link to one, has the name
        raise os_problem(OSError(errno.ENOTDIR, "exists and is not a folder", str(path)), "create the folder") from exc
    except OSError as exc:
        raise os_problem(exc, "create the folder") from exc
    if not path.is_dir():
        raise os_problem(OSError(errno.ENOTDIR, "exists and is not a folder", str(path)), "create the folder")


def _new_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent`` named ``prefix<pid>-<random>`` (mode 0777 less the umask)."""
    while True:
        path = parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.mkdir(path, 0o777)
            return path
        except FileExistsError:
            continue


def _write_file(path: Path, data: bytes, durable: bool = True) -> None:
    """A new file at ``path`` (which must not exist) holding ``data``, flushed to disk if ``durable``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)  # os.write and os.fsync name no file
        raise
    finally:
        os.close(fd)


def write_file_atomically(target: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``target`` by a file holding ``data`` (temporary file beside it, then rename).

    ``durable=False`` skips the fsync, for files whose loss in a crash costs nothing (a cache)."""
    tmp = target.with_name(f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        _write_file(tmp, data, durable)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- removing ------------------------------------------------------------------------


def _remove(path: Path) -> str | None:
    """Remove a file, a link (never what it points to) or a folder tree; the problem, if one is left."""
    failures: list[str] = []

    def failed(function: Callable[..., object], name: str, info: object) -> None:
        exc = info[1] if isinstance(info, tuple) else info
        failures.append(f"{name}: {exc.strerror if isinstance(exc, OSError) else exc}")

    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
            return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    shutil.rmtree(path, onerror=failed)
    return failures[0] if failures and os.path.lexists(path) else None


def leftover_warning(problem: str) -> str:
    """The warning for a leftover that could not be removed (``problem``: its path and why);
    the caller prints it (the CLI, through the pipeline)."""
    return (
        f"warning: could not remove {problem}\n"
        "    fix: remove it by hand (an immutable file? `lsattr` shows it, `chattr -i` clears it)"
    )


def _left(problem: str | None, warnings: list[str] | None) -> None:
    if problem and warnings is not None:
        warnings.append(leftover_warning(problem))


_FS_IOC_GETFLAGS = 0x80086601  # Linux: an inode's attribute flags (what lsattr shows)
_UNREMOVABLE = {0x10: "immutable (chattr +i)", 0x20: "append-only (chattr +a)"}


def _unremovable(folder: Path) -> tuple[Path, str] | None:
    """A file or folder under ``folder`` that cannot be removed (Linux inode flags), and why."""
    try:
        import fcntl
    except ImportError:
        return None
    for path in [folder, *sorted(folder.rglob("*"))]:
        if path.is_symlink():
            continue
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            flags = int.from_bytes(fcntl.ioctl(fd, _FS_IOC_GETFLAGS, bytes(4))[:4], sys.byteorder)
        except OSError:
            return None  # the file system has no such flags
        finally:
            os.close(fd)
        for bit, reason in _UNREMOVABLE.items():
            if flags & bit:
                return path, reason
    return None


# --- the output folder's lock ---------------------------------------------------------


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _holder(out_dir: Path) -> str:
    """Who holds the lock of ``out_dir``, as the holder wrote it down."""
    try:
        info = json.loads((out_dir / LOCK_INFO).read_text("utf-8"))
        since = time.strftime("%H:%M:%S", time.localtime(float(info["since"])))
        return f"pid {int(info['pid'])}, `{info['command']}`, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "pid unknown"


@contextmanager
def output_lock(
    out_dir: Path, wait: float = DEFAULT_WAIT, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lock of ``out_dir`` (created if missing) for the block; waits up to ``wait`` seconds.

    An editor's on-save hook and a terminal run that meet therefore run one after the
    other; ``wait=0`` refuses at once. Raises WriteError when the lock stays taken.
    """
    created = not os.path.lexists(out_dir)
    try:
        import fcntl
    except ImportError:  # Windows: no flock; runs are not serialised there
        make_dir(out_dir)
        yield
        return
    deadline = time.monotonic() + wait
    told = False
    while True:
        make_dir(out_dir)
        try:
            fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            continue  # removed by the run that made it and found nothing to write
        except OSError as exc:
            raise os_problem(exc, "open the output folder") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise WriteError(
                    f"another errorsdk run ({_holder(out_dir)}) is writing {out_dir}; waited {wait:g} s\n"
                    "    fix: wait for it to finish (or stop it), then run again; --wait SECONDS waits longer"
                ) from None
            if not told and on_wait is not None:
                on_wait(
                    f"waiting for another errorsdk run ({_holder(out_dir)}) to finish writing {out_dir} (up to {wait:g} s)"
                )
                told = True
            time.sleep(0.05)
            continue
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(out_dir))
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # the folder was removed (and perhaps made again) while we waited: lock the one there now
    try:
        info = {"pid": os.getpid(), "command": " ".join(["errorsdk", *sys.argv[1:]]), "since": time.time()}
        try:
            write_file_atomically(out_dir / LOCK_INFO, json.dumps(info).encode() + b"\n", durable=False)
        except OSError:
            pass  # a read-only folder: the lock still holds, the waiting run just cannot say by whom
        try:
            yield
        finally:
            try:
                os.unlink(out_dir / LOCK_INFO)
            except OSError:
                pass
            if created:
                try:
                    os.rmdir(out_dir)  # made for the lock, and nothing was written: leave no trace
                except OSError:
                    pass
    finally:
        os.close(fd)  # releases the lock


def _tmp_pid(name: str) -> int | None:
    """The writer's pid in a temporary folder's name (``.errorsdk-tmp-<pid>-<random>``)."""
    first = name[len(_TMP_PREFIX) :].split("-")[0]
    return int(first) if first.isdigit() else None


def recover(out_dir: Path) -> list[str]:
    """Undo what an interrupted run left behind; call it holding ``output_lock(out_dir)``.

    A parked old package whose target is missing is put back; temporary folders of
    dead writers are removed (one whose writer still runs is left to it). Returns a
    warning (``leftover_warning``) per leftover that could not be removed.
    """
    warnings: list[str] = []
    if not out_dir.is_dir():
        return warnings
    for leftover in sorted(out_dir.iterdir()):
        name = leftover.name
        if name.startswith(_OLD_PREFIX):
            target = out_dir / name[len(_OLD_PREFIX) :]
            if not os.path.lexists(target):
                try:
                    leftover.rename(target)  # the swap stopped half-way: put the old one back
                except OSError as exc:
                    raise os_problem(exc, "put back the package an interrupted run parked") from exc
                continue
            _left(_remove(leftover), warnings)
        elif name.startswith(_TMP_PREFIX):
            pid = _tmp_pid(name)
            if pid is not None and pid != os.getpid() and _alive(pid):
                continue
            _left(_remove(leftover), warnings)
    return warnings


# --- writing a package ---------------------------------------------------------------


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)


def _write_tree(root: Path, files: dict[str, str]) -> None:
    """Every file under ``root``, which must exist: its sub-folders are made, never ``root`` itself
    (if it disappears, writing fails instead of filling a new, partial ``root``)."""
    made: set[Path] = set()
    for rel, text in sorted(files.items()):
        path = root / rel
        for parent in reversed(path.relative_to(root).parents[:-1]):
            folder = root / parent
            if folder not in made:
                os.mkdir(folder, 0o777)
                made.add(folder)
        _write_file(path, text.encode("utf-8"))
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    if written != set(files):
        raise OSError(errno.EIO, "the temporary folder changed while it was written", str(root))


def write_package(out_dir: Path, output: PackageOutput, warnings: list[str] | None = None) -> bool:
    """Swap ``output`` into ``out_dir``; returns whether anything changed.

    Hold ``output_lock(out_dir)`` around it where other runs may write ``out_dir``.
    A package folder that is a link to a package is replaced where it points. A
    temporary folder that could not be removed afterwards adds its ``leftover_warning``
    to ``warnings`` (when given).
    """
    target = out_dir / output.package
    if target.is_symlink() and owned(target):
        target = Path(os.path.realpath(target))
    if os.path.lexists(target) and not owned(target):
        raise WriteError(
            f"{target} exists and was not generated by errorsdk (no {MARKER}); "
            "move it away or choose another package name"
        )
    if not differences(out_dir, [output], stale=False):
        return False
    stuck = _unremovable(target) if os.path.isdir(target) else None
    if stuck is not None:  # the old package could be swapped out, but never removed: refuse first
        raise WriteError(
            f"cannot replace {target}: {stuck[0]} is {stuck[1]}, so the old package cannot be removed\n"
            f"    fix: clear the flag (chattr -i -a {stuck[0]}), then run again"
        )
    parent = target.parent
    make_dir(parent)
    try:
        tmp = _new_dir(parent, _TMP_PREFIX)
    except OSError as exc:
        raise os_problem(exc, f"write {target}") from exc
    try:
        _write_tree(tmp, output.files)
        if not os.path.lexists(target):
            os.rename(tmp, target)
        elif _exchange(tmp, target):
            pass  # tmp now holds the old package
        else:
            old = parent / f"{_OLD_PREFIX}{target.name}"
            os.rename(target, old)
            try:
                os.rename(tmp, target)
            except OSError:
                os.rename(old, target)  # put the old package back (recover does, if this fails too)
                raise
            tmp = old
    except OSError as exc:
        raise os_problem(exc, f"write {target}") from exc
    finally:
        _left(_remove(tmp), warnings)
    return True


def stale_packages(out_dir: Path, keep: set[str]) -> list[Path]:
    """Owned package folders whose spec is no longer generated."""
    if not out_dir.is_dir():
        return []
    return [
        p
        for p in sorted(out_dir.iterdir())
        if p.is_dir() and p.name not in keep and not p.name.startswith(".") and owned(p)
    ]


def remove_package(folder: Path) -> list[str]:
    """Remove an owned package folder (renamed away first, so removal is atomic); returns
    the ``leftover_warning`` of what could not be removed, if anything."""
    doomed = folder.with_name(f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.rename(folder, doomed)
    except OSError as exc:
        raise os_problem(exc, "remove the package") from exc
    warnings: list[str] = []
    _left(_remove(doomed), warnings)
    return warnings


def _disk_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }


def differences(out_dir: Path, outputs: list[PackageOutput], *, stale: bool = True) -> list[str]:
    """How ``out_dir`` differs from ``outputs``: one line per file, empty when equal."""
    lines: list[str] = []
    for output in outputs:
        folder = out_dir / output.package
        on_disk = _disk_files(folder)
        for rel in sorted(set(output.files) | set(on_disk)):
            shown = folder / rel
            if rel not in on_disk:
                lines.append(f"missing: {shown}")
            elif rel not in output.files:
                lines.append(f"extra:   {shown}")
            elif on_disk[rel].read_bytes() != output.files[rel].encode("utf-8"):
                lines.append(f"differs: {shown}")
    if stale:
        for folder in stale_packages(out_dir, {o.package for o in outputs}):
            lines.append(f"stale:   {folder} (its spec is gone)")
    return lines
