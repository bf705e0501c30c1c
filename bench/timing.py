"""Medians of per-call times, and the table rows every section reports."""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """How hard to measure: rounds (timeit repeats) and the time each round aims for."""

    rounds: int
    round_seconds: float
    quick: bool


FULL = Budget(rounds=41, round_seconds=0.02, quick=False)
QUICK = Budget(rounds=7, round_seconds=0.005, quick=True)


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    section: str
    case: str
    subject: str
    value: str
    ratio: str = ""
    target: str = ""

    def cells(self) -> tuple[str, ...]:
        return (self.section, self.case, self.subject, self.value, self.ratio, self.target)


def interleaved(subjects: dict[str, Callable[[], object]], budget: Budget) -> dict[str, list[float]]:
    """Seconds per call of each subject, per round, the subjects taking turns round by round.

    Each subject's calls per round are sized to ``budget.round_seconds`` first. Taking
    turns means a burst of load on a shared machine hits every subject alike, so the
    ratio of two subjects within a round (see ``paired_ratio``) is far steadier than
    the ratio of medians measured one subject after the other.
    """
    timers: dict[str, tuple[timeit.Timer, int]] = {}
    for name, fn in subjects.items():
        timer = timeit.Timer(fn)
        number, spent = timer.autorange()
        timers[name] = (timer, max(1, int(number * budget.round_seconds / max(spent, 1e-9))))
    rounds: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(budget.rounds):
        for name, (timer, number) in timers.items():
            rounds[name].append(timer.timeit(number) / number)
    return rounds


def paired_ratio(subject: list[float], baseline: list[float]) -> float:
    """The median, over rounds, of subject / baseline measured in the same round."""
    return statistics.median(a / b for a, b in zip(subject, baseline, strict=True))


def ratio_quartiles(subject: list[float], baseline: list[float]) -> tuple[float, float]:
    """The first and third quartiles, over rounds, of subject / baseline in the same round."""
    ratios = [a / b for a, b in zip(subject, baseline, strict=True)]
    if len(ratios) < 2:
        return ratios[0], ratios[0]
    first, _, third = statistics.quantiles(ratios, n=4)
    return first, third


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt_time(seconds: float) -> str:
    """A duration with a unit fit for its size."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"


def verdict(ok: bool, target: str) -> str:
    return f"{'holds' if ok else 'MISSED'} ({target})"
