"""Process pools whose workers end when the process that made them dies.

A pool worker blocked on its task queue outlives a parent killed with SIGKILL (the
other workers hold the queue open), and would wait forever. Each worker therefore

- asks Linux to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``),
  then checks that the parent did not die before it asked;
- and, where that is not available (macOS, BSD), or in case it misses, watches a
  pipe whose only write end is the parent's: the read returns end-of-file when the
  parent is gone, however it died, and the worker exits.

The pipe needs the worker to be forked (it inherits the read end); a worker started
another way (spawn, forkserver: Python 3.14's default) has only the first guard.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext

_PR_SET_PDEATHSIG = 1


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch(read_fd: int) -> None:
    try:
        while os.read(read_fd, 1):
            pass
    except OSError:
        pass
    os._exit(1)  # the parent is gone: nobody will collect this worker's results


def _die_with_parent(parent: int, read_fd: int, write_fd: int) -> None:
    """Pool initializer: arm both guards (see the module docstring)."""
    _set_parent_death_signal()
    if read_fd < 0:
        return  # not forked: the parent is a server process (forkserver), which ends with ours
    if os.getppid() != parent:  # the parent died before the guard was armed
        os._exit(1)
    os.close(write_fd)  # this worker's copy: the parent's must be the last one
    threading.Thread(target=_watch, args=(read_fd,), name="errorsdk-parent-watch", daemon=True).start()


@contextmanager
def worker_pool(max_workers: int, context: BaseContext | None = None) -> Iterator[ProcessPoolExecutor]:
    """A ProcessPoolExecutor (shut down on leaving) whose workers die with this process."""
    context = context or multiprocessing.get_context()
    forked = context.get_start_method() == "fork"
    read_fd, write_fd = os.pipe() if forked else (-1, -1)
    try:
        with ProcessPoolExecutor(
            max_workers=max_workers,
            mp_context=context,
            initializer=_die_with_parent,
            initargs=(os.getpid(), read_fd, write_fd),
        ) as pool:
            yield pool
    finally:
        for fd in (read_fd, write_fd):
            if fd >= 0:
                os.close(fd)
