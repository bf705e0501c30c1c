"""Helpers for the end-to-end tests of built distributions: venvs, pip, user programs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.model import ApiModel, ErrorClass
from generator.modeling import build_model
from generator.validation import load_spec


def run(*args: str | Path, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} -> {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def make_venv(path: Path) -> Path:
    """A fresh virtual environment without pip (the test's pip installs into it); its python."""
    run(sys.executable, "-m", "venv", "--without-pip", path)
    return path / "bin" / "python"


def pip_install(python: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--disable-pip-version-check", *args)


def model(spec: Path) -> ApiModel:
    return build_model(load_spec(spec))


def _example(api: ApiModel) -> ErrorClass:
    """The error the user program uses: with code and status if any, else code, else status."""
    for wanted in (lambda e: e.code is not None and e.status is not None, lambda e: e.code is not None, lambda e: True):
        for err in api.errors:
            if wanted(err):
                return err
    raise AssertionError("a spec has at least one error")


def user_program(api: ApiModel) -> str:
    """A small typed program using one API as a user would; it runs and type-checks clean:
    dispatches a response, catches a specific class, reads typed attributes, matches codes."""
    err = _example(api)
    group = api.group_class
    names = {api.base_class, err.class_name, err.parent, "ErrorCode", "from_response", "raise_for_response"}
    first = "    return error\n"
    if group:
        names.add(group)
        first = f"    return error.errors[0] if isinstance(error, {group}) else error\n"
    typed = ["        assert_type(exc.message, str)", "        assert_type(exc.retryable, bool)"]
    typed.append("        assert_type(exc.code, str | None)")
    typed.append(f"        assert isinstance(exc, {err.parent}) and exc.message == 'boom'")
    if err.status is not None:
        typed.append(f"        expected: Literal[{err.status}] = exc.STATUS")
        typed.append("        assert exc.status == expected")
    matcher = ""
    if err.code is not None:
        typed.append(f"        assert_type(exc.CODE, Literal[{err.code!r}])")
        typed.append("        assert code_name(exc.CODE) == 'known'")
        matcher = (
            "def code_name(code: ErrorCode) -> str:\n"
            "    match code:\n"
            f"        case {err.code!r}:\n"
            "            return 'known'\n"
            "        case _:\n"
            "            return 'other'\n\n\n"
        )
    else:
        names.discard("ErrorCode")
    return (
        "from typing import Literal, assert_type\n\n"
        f"import {api.package}\n"
        f"from {api.package} import {', '.join(sorted(names))}\n\n\n"
        + matcher
        + f"def first(error: {api.base_class}) -> {api.base_class}:\n"
        + first
        + "\n\n"
        "def check() -> str:\n"
        f"    status, headers, body = {err.class_name}('boom').to_response()\n"
        "    assert_type(status, int)\n"
        "    found = from_response(status, body, headers)\n"
        "    assert found is not None\n"
        "    try:\n"
        "        raise_for_response(status, body, headers)\n"
        f"    except {api.base_class} as raised:\n"
        f"        assert type(first(raised)) is {err.class_name}\n"
        "    try:\n"
        "        raise first(found)\n"
        f"    except {err.class_name} as exc:\n"
        + "\n".join(typed)
        + f"\n        return {api.package}.SPEC_SHA256\n"
    )


def bad_program(api: ApiModel) -> str:
    """A program both checkers must reject: a code the catalogue does not have, a wrong status."""
    return (
        f"from {api.package} import ErrorCode\n\n"
        "not_a_code: ErrorCode = 'no_such_code_anywhere'\n"
    )
