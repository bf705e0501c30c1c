"""Generated packages are mypy --strict clean and black-formatted; user code type-checks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import black
import pytest

from errorsdk.rendering.formatting import format_code

from .conftest import ROOT

USER_PROGRAM = """
from typing import assert_type, Literal

import flux_errors
from flux_errors import FluxError, FluxValidationError, from_response, ErrorCode


def handle(status: int, body: bytes) -> str:
    err = from_response(status, body, {"x-request-id": "1"})
    if err is None:
        return "ok"
    assert_type(err, FluxError)
    assert_type(err.status, int | None)
    assert_type(err.code, str | None)
    assert_type(err.message, str)
    assert_type(err.retryable, bool)
    assert_type(err.hint, str | None)
    assert_type(FluxValidationError.STATUS, Literal[422])
    assert_type(FluxValidationError.CODE, Literal["validation_error"])
    try:
        raise err
    except flux_errors.PermissionDeniedError as denied:
        return denied.message
    except flux_errors.FluxError as other:
        return str(other.detail)


def code_name(code: ErrorCode) -> str:
    match code:
        case "validation_error" | "access_denied":
            return code
        case _:
            return "other"

code_name("access_denied")
denied = flux_errors.AccessDeniedError("m")
assert_type(denied.code, str)  # a code class: never None
assert_type(denied.status, int)


status, headers, payload = FluxValidationError("m").to_response()
assert_type(status, int)
assert_type(payload, bytes)
"""

GROUP_PROGRAM = """
from typing import assert_type

from flow_graphql_errors import (
    FlowGraphqlError, FlowGraphqlErrorGroup, JSONValue, PayloadMismatchError, UnauthorizedError,
    ValidationError, from_response, raise_for_response,
)


def handle(status: int, body: bytes) -> list[str]:
    seen: list[str] = []
    try:
        raise_for_response(status, body)
    except* ValidationError as invalid:
        assert_type(invalid, ExceptionGroup[ValidationError])
        for each in invalid.exceptions:
            if isinstance(each, ValidationError):
                assert_type(each.code, str | None)
                seen.append(each.message)
        if isinstance(invalid, FlowGraphqlErrorGroup):  # a group's part keeps the response's data
            assert_type(invalid.data, JSONValue)
            assert_type(invalid.errors, tuple[FlowGraphqlError, ...])
    except* UnauthorizedError as denied:
        assert_type(denied, ExceptionGroup[UnauthorizedError])
    return seen


def one(status: int, body: bytes) -> JSONValue:
    try:
        raise_for_response(status, body)
    except UnauthorizedError as error:  # one error: its own class
        assert_type(error.data, JSONValue)
        return error.data
    except FlowGraphqlErrorGroup as group:  # several: the group, still a FlowGraphqlError
        assert_type(group.exceptions, tuple[FlowGraphqlError | ExceptionGroup[FlowGraphqlError], ...])
        assert_type(group.errors, tuple[FlowGraphqlError, ...])
        matched, rest = group.split(PayloadMismatchError)
        assert_type(matched, ExceptionGroup[PayloadMismatchError] | None)
        assert_type(group.derive(group.errors[:1]), ExceptionGroup[FlowGraphqlError])
        return group.data
    return None


err = from_response(200, b"{}")
assert_type(err, FlowGraphqlError | None)
group = FlowGraphqlErrorGroup("two", [UnauthorizedError(), PayloadMismatchError()], data={"a": 1})
assert isinstance(group, ExceptionGroup) and isinstance(group, FlowGraphqlError)
"""

BAD_PROGRAM = """
from flux_errors import ErrorCode
code: ErrorCode = "not_a_flux_code"
"""


def _mypy(paths: list[str], cwd: Path, extra_path: list[Path], *options: str) -> subprocess.CompletedProcess[str]:
    env_path = ":".join(str(p) for p in extra_path)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", *options, *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"MYPYPATH": env_path, "PATH": "/usr/bin:/bin"},
    )


def test_every_generated_package_is_mypy_strict_clean(case_output_dir: Path) -> None:
    folders = sorted(p for p in (ROOT / "generated").iterdir() if p.is_dir()) + sorted(
        p for p in case_output_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    for folder in folders:  # one run per package: each is its own top-level package
        result = _mypy([folder.name], folder, [])
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_bundled_packages_are_mypy_strict_clean_for_later_pythons(version: str) -> None:
    """The wheels claim 3.11 to 3.13: the packages type-check as each (3.11: the test above)."""
    folders = sorted(p.name for p in (ROOT / "generated").iterdir() if p.is_dir())
    result = _mypy(folders, ROOT / "generated", [], "--python-version", version)
    assert result.returncode == 0 and "Success: no issues found" in result.stdout, result.stdout


NUMERIC_PROGRAM = """
from typing import assert_type, Literal

from numeric_errors import CODES, ErrorCode, Numeric1001Error, NumericError, from_response

err = from_response(400, b'{"errcode": "1001"}')
assert err is not None
assert_type(err.code, int | None)
assert_type(Numeric1001Error.CODE, Literal[1001])
assert_type(Numeric1001Error("m").code, int)
assert_type(CODES, frozenset[int])
code: ErrorCode = 1001
print(err.code == 1001, isinstance(err, Numeric1001Error), type(err.code).__name__)
"""


def test_integer_codes_are_ints_for_type_checkers(tmp_path: Path) -> None:
    """codes.type: integer: int codes end to end, as mypy sees them and at runtime."""
    golden = ROOT / "tests" / "golden" / "numeric_errors"
    (tmp_path / "user.py").write_text(NUMERIC_PROGRAM)
    result = _mypy(["user.py"], tmp_path, [golden])
    assert result.returncode == 0, result.stdout
    ran = subprocess.run(
        [sys.executable, "user.py"], cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(golden)}
    )
    assert ran.stdout.split() == ["True", "True", "int"], ran.stderr
    (tmp_path / "bad.py").write_text('from numeric_errors import ErrorCode\ncode: ErrorCode = "1001"\n')
    result = _mypy(["bad.py"], tmp_path, [golden])
    assert result.returncode == 1 and "Literal['1001']" in result.stdout, result.stdout


def test_user_program_type_checks_and_wrong_codes_do_not(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(textwrap.dedent(USER_PROGRAM))
    result = _mypy(["user.py"], tmp_path, [ROOT / "generated" / "flux_errors"])
    assert result.returncode == 0, result.stdout
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD_PROGRAM))
    result = _mypy(["bad.py"], tmp_path, [ROOT / "generated" / "flux_errors"])
    assert result.returncode == 1 and "not_a_flux_code" in result.stdout, result.stdout


def test_user_code_with_except_star_on_a_group_type_checks(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(textwrap.dedent(GROUP_PROGRAM))
    result = _mypy(["user.py"], tmp_path, [ROOT / "generated" / "flow_graphql_errors"])
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("py_file", sorted((ROOT / "generated").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_code_is_black_formatted(py_file: Path) -> None:
    source = py_file.read_text()
    assert format_code(source) == source
    black.assert_equivalent(source, source)


def test_generator_is_mypy_strict_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "generator"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_bundled_packages_are_fully_typed_libraries(tmp_path: Path) -> None:
    """pyright's --verifytypes: every symbol of every bundled package's public interface
    has a known type (class constants and narrowed attributes annotated), a 100% score."""
    import json

    for folder in sorted(p for p in (ROOT / "generated").iterdir() if p.is_dir()):
        done = subprocess.run(
            [sys.executable, "-m", "basedpyright", "--verifytypes", folder.name, "--ignoreexternal", "--outputjson"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        )
        report = json.loads(done.stdout)
        completeness = report["typeCompleteness"]
        problems = [d["message"] for d in report["generalDiagnostics"] if d["severity"] == "error"] + [
            f"{s['name']}: {d['message']}"
            for s in completeness["symbols"]
            for d in s["diagnostics"]
            if d["severity"] == "error"
        ]
        assert completeness["exportedSymbolCounts"]["withKnownType"] > 50, folder.name
        assert completeness["completenessScore"] == 1.0 and not problems, (folder.name, problems[:10])
