"""Formatting a package's files over several processes gives the bytes of formatting them here."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput
from hypothesis import given
from hypothesis import strategies as st

from errorsdk.pipeline import generate_package
from errorsdk.rendering import formatting

from .conftest import SPECS, spec_id

needs_fork = pytest.mark.skipif(not formatting._can_fork(), reason="formatting in children needs fork")


@given(
    st.dictionaries(st.text(min_size=1, max_size=8), st.integers(min_value=0, max_value=10_000), max_size=30),
    st.integers(min_value=1, max_value=6),
)
def test_share_out_places_every_name_once_in_balanced_shares(sizes: dict[str, int], bins: int) -> None:
    shares = formatting.share_out(sizes, bins)
    assert sorted(name for share in shares for name in share) == sorted(sizes)
    assert len(shares) <= bins and all(shares)
    totals = [sum(sizes[name] for name in share) for share in shares]
    assert totals == sorted(totals, reverse=True)  # this process takes the largest share
    if sizes:  # greedy largest-first: no share exceeds an even split by more than one item
        assert totals[0] <= sum(sizes.values()) / bins + max(sizes.values())
    assert formatting.share_out(dict(reversed(list(sizes.items()))), bins) == shares  # order of input is irrelevant


@needs_fork
@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_package_formatted_over_two_processes_is_byte_identical(spec: Path) -> None:
    assert generate_package(spec, jobs=2).files == generate_package(spec, jobs=1).files


def _sources() -> dict[str, str]:
    big = "".join(f"def f{i}( a,b ):\n  return a+b\n" for i in range(800))
    assert len(big) > formatting.PARALLEL_MIN_CHARS
    return {"big.py": big, "small.py": "x  =  1\n", "other.py": "y=[1,\n2]\n"}


@needs_fork
def test_children_format_the_smaller_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "format_code", lambda source: str(os.getpid()))  # forked children inherit it
    done = formatting.format_all(_sources(), jobs=2)
    assert list(done) == ["big.py", "small.py", "other.py"]  # the callers' order, whoever formatted what
    assert done["big.py"] == str(os.getpid())
    assert done["small.py"] == done["other.py"] != str(os.getpid())


@needs_fork
def test_one_job_or_little_text_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "format_code", lambda source: str(os.getpid()))
    assert set(formatting.format_all(_sources(), jobs=1).values()) == {str(os.getpid())}
    small = {"a.py": "a=1\n", "b.py": "b=2\n"}
    assert set(formatting.format_all(small, jobs=2).values()) == {str(os.getpid())}


@needs_fork
def test_a_childs_black_error_reaches_the_caller() -> None:
    sources = _sources() | {"broken.py": "def (:\n"}
    with pytest.raises(InvalidInput, match="Cannot parse|cannot parse"):
        formatting.format_all(sources, jobs=3)


def test_formatting_matches_black_itself() -> None:
    sources = _sources()
    done = formatting.format_all(sources, jobs=2)
    mode = Mode(target_versions={TargetVersion.PY311})
    assert done == {name: black.format_str(text, mode=mode) for name, text in sources.items()}


@pytest.mark.parametrize("limit, paused", [(10_000, True), (3, False)])
def test_black_runs_with_the_collector_paused_up_to_a_size(
    monkeypatch: pytest.MonkeyPatch, limit: int, paused: bool
) -> None:
    seen: list[bool] = []
    frozen: list[int] = []

    def recording(source: str, mode: object) -> str:
        seen.append(gc.isenabled())
        frozen.append(gc.get_freeze_count())
        if source == "boom":
            raise ValueError(source)
        return source.upper()

    monkeypatch.setattr(formatting, "_black", lambda: (recording, None))
    monkeypatch.setattr(formatting, "GC_PAUSE_MAX_CHARS", limit)
    assert gc.isenabled()
    assert formatting.format_code("x = 1\n") == "X = 1\n"
    with pytest.raises(ValueError):
        formatting.format_code("boom")
    assert seen == [not paused, not paused] and gc.isenabled()  # restored, even after an error
    # Collecting during the call: what existed before is frozen for it, and thawed after.
    assert all(count > 0 for count in frozen) != paused and gc.get_freeze_count() == 0
    gc.disable()
    try:  # a caller that paused it itself keeps it paused
        formatting.format_code("y\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


@needs_fork
def test_a_child_that_dies_leaves_its_share_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = formatting.format_code

    def dying(source: str) -> str:
        if os.getpid() != parent:
            os._exit(9)  # as if killed
        return real(source)

    monkeypatch.setattr(formatting, "format_code", dying)
    sources = _sources()
    mode = Mode(target_versions={TargetVersion.PY311})
    assert formatting.format_all(sources, jobs=2) == {n: black.format_str(t, mode=mode) for n, t in sources.items()}
