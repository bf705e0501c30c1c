"""The benchmark machinery runs (tiny sizes, no timing asserted): python -m bench stays usable."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import dispatch, imports, report, synthetic
from bench.timing import Budget, Row
from errorsdk.spec.validation import load_spec

TINY = Budget(rounds=2, round_seconds=0.0005, quick=True)


def test_every_dispatch_case_yields_an_error_from_ours_and_the_floor() -> None:
    for case in dispatch.cases():
        module = dispatch._package(case.package, dispatch.ROOT / "generated")
        error = module.from_response(case.status, case.body, case.headers)
        assert isinstance(error, Exception) and error.status == case.status
        if case.xml is not None:
            assert isinstance(dispatch.xml_floor(case.status, case.body, case.headers), dispatch.FloorError)
            continue
        # The floor gives what ours gives: a group where ours does, one error per item, the headers kept.
        made = dispatch.floor(case.status, case.body, case.headers, case.floor_reads)
        members = list(made.exceptions) if isinstance(made, ExceptionGroup) else [made]
        assert isinstance(made, ExceptionGroup) == isinstance(error, ExceptionGroup), case.name
        ours = list(getattr(error, "exceptions", [error]))
        assert len(members) == len(ours), case.name
        assert all(isinstance(m, dispatch.FloorError) and m.args[3] == case.headers for m in members)
        # It reads the code and the message where the case's envelope keeps them, as ours does.
        if not case.body.startswith(b"<"):  # a JSON body (not the HTML page)
            assert [m.args[1:3] for m in members] == [(e.code, e.message) for e in ours], case.name
        assert isinstance(dispatch.bare_floor(case.status, case.body), dispatch.FloorError)


def test_before_after_compares_every_case_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    small = [c for c in dispatch.cases() if len(c.body) < 10_000][:2]
    monkeypatch.setattr(dispatch, "cases", lambda quick=False: small)
    rows = dispatch.against(dispatch.ROOT / "generated", TINY)  # this checkout against itself
    assert [r.case for r in rows] == [c.name for c in small]
    assert all(r.ratio.endswith("x") and r.target.startswith("rounds ") for r in rows)


def test_dispatch_rows_cover_every_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "peers", lambda: ([], ["peer: not installed"]))
    small = [c for c in dispatch.cases() if len(c.body) < 10_000][:2]
    monkeypatch.setattr(dispatch, "cases", lambda quick=False: small)
    rows = dispatch.run(TINY)
    ours = [r for r in rows if r.subject.startswith("errorsdk")]
    assert [r.case for r in ours] == [c.name for c in small for _ in range(2)]
    assert [r.subject.endswith("json_parser: orjson") for r in ours] == [False, True] * len(small)
    assert all(r.ratio.endswith("x") and "floor" in r.target for r in ours)
    assert rows[-1].subject == "peer: not installed"


def test_orjson_twins_parse_with_orjson_and_dispatch_alike(tmp_path: Path) -> None:
    case = next(c for c in dispatch.cases() if c.name == "validation + detail")
    twins, note = dispatch.orjson_twins([case.package], tmp_path)
    assert note is None and list(twins) == [case.package]
    twin = twins[case.package]
    assert twin.__name__ == case.package + dispatch.ORJSON_SUFFIX
    assert importlib.import_module(f"{twin.__name__}._json")._FAST_LOADS is not None
    ours = dispatch._package(case.package, dispatch.ROOT / "generated").from_response(
        case.status, case.body, case.headers
    )
    theirs = twin.from_response(case.status, case.body, case.headers)
    assert (type(theirs).__name__, theirs.code, theirs.raw_detail) == (type(ours).__name__, ours.code, ours.raw_detail)


@pytest.mark.parametrize("errors", [1, 30])
def test_synthetic_specs_are_valid(tmp_path: Path, errors: int) -> None:
    spec = synthetic.write_specs(tmp_path, 2, errors)[1]
    checked = load_spec(spec)
    assert len(checked.spec.errors) == errors and checked.package == "syn0001_errors"


def test_results_markdown_has_machine_and_table() -> None:
    rows = [Row("dispatch", "flat code", "errorsdk", "1.00 µs", "1.10x", "holds (<= 1.3x floor)")]
    text = report.markdown(rows, report.machine(), ["a note"])
    assert "- nproc: " in text and "- python: " in text and "- cpu: " in text
    assert "| dispatch | flat code | errorsdk" in text and "- a note" in text


def test_detail_codegen_comparison_runs_on_the_same_schemas() -> None:
    from bench import detail_models

    timed = detail_models.codegen(3, 1)
    assert set(timed) == {"datamodel_code_generator_s", "errorsdk_models_s", "package_with_s", "package_without_s"}
    assert all(seconds > 0 for seconds in timed.values())


def test_synthetic_detail_spec_has_a_model_per_schema(tmp_path: Path) -> None:
    from errorsdk.model.build import build_model

    spec = tmp_path / "syndetail.yaml"
    spec.write_text(synthetic.detail_spec_text("syndetail", 4), "utf-8")
    details = build_model(load_spec(spec)).details
    assert details is not None and details.style == "dataclasses"
    assert "Problem" in details.names and len(details.names) >= 5


def test_black_command_floor_formats_the_very_files_generate_writes(tmp_path: Path) -> None:
    """The few-specs floor: black's command on the unformatted files gives errorsdk's output byte for byte."""
    from bench import generation
    from errorsdk.pipeline import generate_package
    from errorsdk.rendering import runtime

    spec = synthetic.write_specs(tmp_path / "specs", 1, 5)[0]
    generation._child("raw", str(tmp_path / "specs"), str(tmp_path / "raw"))
    raw = {p.relative_to(tmp_path / "raw").as_posix(): p for p in (tmp_path / "raw").rglob("*.py")}
    files = generate_package(spec).files
    copied = {name for name, text in files.items() if text.startswith(runtime.HEADER)}  # never formatted
    expected = {name: text for name, text in files.items() if name.endswith(".py") and name not in copied}
    assert sorted(raw) == sorted(expected) and copied
    assert any(p.read_text("utf-8") != expected[name] for name, p in raw.items())  # really unformatted
    assert generation._black_command(tmp_path / "raw", tmp_path / "scratch") > 0
    formatted = tmp_path / "scratch" / "files"
    assert {name: (formatted / name).read_text("utf-8") for name in raw} == expected


def test_a_partial_run_replaces_only_its_sections() -> None:
    """python -m bench --only ...: the other sections of RESULTS.md stay where they were, with their date."""
    old_rows = [
        Row("dispatch", "flat code", "errorsdk", "2.00 µs", "1.10x", "holds"),
        Row("import", "2,000 codes", "errorsdk package", "10.00 ms", "0.74x", "holds (<= 1.5x floor)"),
        Row("generation", "1 API, 10 errors", "errorsdk", "1 s", "1.0x"),
        Row("incremental", "nothing changed", "errorsdk", "1 ms", "0.01x"),
    ]
    old_info = {"date": "2026-11-01 10:00 UTC", "run": "full, 700 s"}
    old = report.markdown(old_rows, old_info, ["a note"])
    assert report.read(old) == (old_info, old_rows)
    recorded = (Path(dispatch.__file__).parent / "RESULTS.md").read_text("utf-8")
    table = recorded[recorded.index("| section") :].split("\n\n")[0]
    assert report.table(report.read(recorded)[1]) == table  # the recorded run reads back as written
    # --only generation: its run yields the generation and incremental sections
    new = [
        Row("generation", "1 API, 10 errors", "errorsdk", "0.9 s", "0.9x"),
        Row("incremental", "nothing changed", "errorsdk", "2 ms", "0.02x"),
    ]
    info = {"date": "2026-11-22 13:00 UTC", "run": "full, 90 s (generation only)"}
    rows, merged = report.merge(old, new, info)
    assert [r.value for r in rows] == ["2.00 µs", "10.00 ms", "0.9 s", "2 ms"]
    assert merged[report.SECTION_DATES] == (
        "dispatch: 2026-11-01 10:00 UTC (full); import: 2026-11-01 10:00 UTC (full); "
        "generation: 2026-11-22 13:00 UTC (full); incremental: 2026-11-22 13:00 UTC (full)"
    )
    again, merged = report.merge(
        report.markdown(rows, merged, []),
        [Row("import", "2,000 codes", "x", "9 ms")],
        {"date": "2026-11-23 09:00 UTC", "run": "quick, 5 s"},
    )
    assert [r.value for r in again] == ["2.00 µs", "9 ms", "0.9 s", "2 ms"]
    assert merged[report.SECTION_DATES].startswith(
        "dispatch: 2026-11-01 10:00 UTC (full); import: 2026-11-23 09:00 UTC (quick); generation: 2026-11-22"
    )


def test_ratio_quartiles_mark_a_tie() -> None:
    from bench.timing import ratio_quartiles

    assert ratio_quartiles([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]) == (1.25, 3.75)
    low, high = ratio_quartiles([0.97, 1.02, 0.99, 1.04, 0.98], [1.0] * 5)
    assert low < 1.0 < high
    assert ratio_quartiles([2.0], [1.0]) == (2.0, 2.0)


def test_import_children_read_bytecode_as_users_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that inherits PYTHONDONTWRITEBYTECODE=1 would compile the package at every run."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert "PYTHONDONTWRITEBYTECODE" not in imports.child_env()
    code = "import sys; print(sys.dont_write_bytecode)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=imports.child_env()
    )
    assert out.stdout.strip() == "False"


def test_fixed_cost_rows_compare_a_one_code_package_with_its_stdlib_imports(tmp_path: Path) -> None:
    rows = imports.fixed_cost_rows(tmp_path, runs=1)
    assert [row.case for row in rows] == ["fixed cost (1 code)"] * 2
    assert rows[0].ratio == "1.00x" and re.match(
        r"floor: the \d+ stdlib modules it loads \(it imports \w", rows[0].subject
    )
    assert "1 code" in rows[1].subject and rows[1].value.endswith("ms")


def test_runtime_copy_rows_pair_each_run_with_formatting_the_runtime(tmp_path: Path) -> None:
    from bench import generation

    spec = synthetic.write_specs(tmp_path / "specs", 1, 5)[0]
    result = generation._child("runtime", str(spec), str(tmp_path / "out"), "1")
    assert result["copied_chars"] > 0 and result["formatted_chars"] > 0
    assert result["before"] > 0 and result["now"] > 0  # times, not compared: machines are noisy


def test_the_xml_cases_are_read_by_ours_the_floor_and_botocore() -> None:
    """Every XML case dispatches to its catalogue class in errorsdk, to the floor's
    specific class, and to botocore's modeled exception: all three read the code."""
    for case in dispatch.XML_CASES:
        module = dispatch._package(case.package, dispatch.ROOT / "generated")
        error = module.from_response(case.status, case.body, case.headers)
        assert error.code in ("NoSuchKey", "NoSuchEntity"), case.name
        made = dispatch.xml_floor(case.status, case.body, case.headers)
        assert type(made) is dispatch.FloorNotFound and made.args[1:4] == (error.code, error.message, case.headers)
        for peer in dispatch.case_peers(case, []):
            assert type(peer.dispatch(peer.build(case))).__name__.startswith(str(error.code)), case.name
