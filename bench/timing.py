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


def per_call(fn: Callable[[], object], budget: Budget) -> float:
    """Median seconds per call of ``fn`` over ``budget.rounds`` timeit rounds."""
    timer = timeit.Timer(fn)
    number, spent = timer.autorange()
    number = max(1, int(number * budget.round_seconds / max(spent, 1e-9)))
    times = timer.repeat(repeat=budget.rounds, number=number)
    return statistics.median(times) / number


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
