"""Read input files: regular files only, and never block on opening one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotAFile(OSError):
    """The path names something other than a regular file; ``kind`` says what."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a file")
        self.kind = kind


def read_regular(path: Path | str, limit: int = -1) -> tuple[bytes, int]:
    """The first ``limit`` bytes (all with -1) of a regular file, and its size.

    It is opened with O_NONBLOCK, so that opening a FIFO does not wait for a writer,
    and anything but a regular file (a FIFO, a device such as /dev/zero, a folder)
    raises NotAFile before a byte is read.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(str(path), next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit), info.st_size
    finally:
        os.close(fd)
