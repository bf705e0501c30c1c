"""Format generated Python with black, in-process or over several forked processes."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Mapping
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import Any

from ..children import worker_pool

# Below this many characters in all, a package's files are formatted in this process:
# forking and collecting (about 10 ms) would cost more than the second core saves.
PARALLEL_MIN_CHARS = 20_000
# Up to this many characters, black runs with the cycle collector paused (see format_code).
GC_PAUSE_MAX_CHARS = 2_000_000


@cache
def _black() -> tuple[Any, Any]:
    """black and its mode, imported on first use (it is the slowest import)."""
    import black
    from black.mode import Mode, TargetVersion

    return black.format_str, Mode(target_versions={TargetVersion.PY311})


def format_code(source: str) -> str:
    """``source`` formatted by black; raises black.InvalidInput if it does not parse.

    black builds a tree with parent links and clones parts of it as it splits lines,
    so it makes cyclic garbage all along; the collections this triggers keep
    re-walking the live tree and cost about a third of black's time. With the cycle
    collector paused for the call, then one young-generation collection (where
    everything the call made still is), black takes 25-35% less time, at the price
    of holding the call's garbage until it returns: about 100 MB per MB of source
    (measured on generated packages). Above ``GC_PAUSE_MAX_CHARS`` (a package of
    some 2,000 errors) collection stays on, so memory stays bounded; the objects that
    exist before the call are frozen for it (``gc.freeze``), so those collections walk
    only black's own objects, not everything the caller holds. A full collection
    before and after (a fraction of a second against the minutes such a file takes)
    keeps one file's tree from living on while the next is formatted.
    """
    format_str, mode = _black()
    if not gc.isenabled():
        return str(format_str(source, mode=mode))
    if len(source) > GC_PAUSE_MAX_CHARS:
        gc.collect()  # free what is already garbage (an earlier file's tree), or freezing would keep it
        gc.freeze()  # what the caller holds (a large API's model) is not re-walked by each collection
        try:
            return str(format_str(source, mode=mode))
        finally:
            gc.unfreeze()
            gc.collect()  # this call's tree, before the next file's
    gc.disable()
    try:
        return str(format_str(source, mode=mode))
    finally:
        gc.enable()
        gc.collect(0)


def _format_batch(files: list[tuple[str, str]]) -> list[str]:
    """Each (name, source) formatted."""
    return [format_code(source) for _, source in files]


def share_out(sizes: Mapping[str, int], bins: int) -> list[list[str]]:
    """Names split into ``bins`` lists of near-equal total size, largest first (greedy LPT).

    The first list is the one with the largest total; ties go to the lower list, so
    the split is the same on every run.
    """
    shares: list[list[str]] = [[] for _ in range(bins)]
    totals = [0] * bins
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        least = totals.index(min(totals))
        shares[least].append(name)
        totals[least] += sizes[name]
    order = sorted(range(bins), key=lambda i: -totals[i])
    return [shares[i] for i in order if shares[i]]


def _can_fork() -> bool:
    """A forked child inherits black already imported; elsewhere a worker would re-import everything."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def format_all(sources: Mapping[str, str], jobs: int = 1) -> dict[str, str]:
    """Each source formatted by black, by name; the same result whatever ``jobs`` is.

    With ``jobs`` > 1 the files are shared out over that many processes: this one and
    ``jobs - 1`` forked children, which inherit black already imported. A single
    package's files are independent, so one spec's run uses every core too. Callers
    that are themselves pool workers pass 1. Where fork is not available (Windows,
    macOS's default), or for little text, everything is formatted here.
    """
    shares = share_out({name: len(text) for name, text in sources.items()}, max(1, jobs))
    if len(shares) < 2 or sum(map(len, sources.values())) < PARALLEL_MIN_CHARS or not _can_fork():
        return dict(zip(sources, _format_batch(list(sources.items())), strict=True))
    _black()  # imported before the fork, so the children do not import it again
    done: dict[str, str] = {}
    context = multiprocessing.get_context("fork")
    with worker_pool(len(shares) - 1, context) as pool:  # workers die with this process
        futures = [(share, pool.submit(_format_batch, [(n, sources[n]) for n in share])) for share in shares[1:]]
        done.update(zip(shares[0], _format_batch([(n, sources[n]) for n in shares[0]]), strict=True))
        for share, future in futures:
            try:
                done.update(zip(share, future.result(), strict=True))  # re-raises black.InvalidInput from a child
            except BrokenProcessPool:  # a child died (killed, out of memory): its share is done here
                done.update(zip(share, _format_batch([(n, sources[n]) for n in share]), strict=True))
    return {name: done[name] for name in sources}
