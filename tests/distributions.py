"""Helpers for the end-to-end tests of built distributions: venvs, pip, user programs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from errorsdk.model.build import build_model
from errorsdk.model.data import ApiModel, ErrorClass
from errorsdk.spec.validation import load_spec


def run(*args: str | Path, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} -> {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def make_venv(path: Path, python: str | Path = sys.executable) -> Path:
    """A fresh virtual environment of ``python`` without pip (the test's pip installs into it); its python."""
    run(python, "-m", "venv", "--without-pip", path)
    return path / "bin" / "python"


def other_pythons() -> list[Path]:
    """CPython 3.12 and later on this machine, one per version other than this one's:
    pyenv's versions, or python3.N on PATH (a pyenv shim that refuses to run is skipped)."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = sorted(root.glob("versions/3.*/bin/python3"))
    candidates += [Path(found) for minor in range(12, 20) if (found := shutil.which(f"python3.{minor}"))]
    chosen: dict[tuple[int, int], Path] = {}
    for python in candidates:
        try:
            done = subprocess.run(
                [
                    python,
                    "-I",
                    "-c",
                    "import sys, platform; print(platform.python_implementation(), *sys.version_info[:2])",
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
        except OSError:
            continue
        words = done.stdout.split()
        if done.returncode != 0 or len(words) != 3 or words[0] != "CPython":
            continue
        version = (int(words[1]), int(words[2]))
        if version >= (3, 12) and version != sys.version_info[:2]:
            chosen.setdefault(version, python)
    return [chosen[v] for v in sorted(chosen)]


def pip_install(python: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--disable-pip-version-check", *args
    )


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
    # a code class narrows its code: never None (the response's code, else CODE)
    code_type = api.dispatch.code_type
    typed.append(f"        assert_type(exc.code, {code_type if err.code is not None else code_type + ' | None'})")
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
        f"    except {err.class_name} as exc:\n" + "\n".join(typed) + f"\n        return {api.package}.SPEC_SHA256\n"
    )


def bad_program(api: ApiModel) -> str:
    """A program both checkers must reject: a code the catalogue does not have, a wrong status."""
    return f"from {api.package} import ErrorCode\n\nnot_a_code: ErrorCode = 'no_such_code_anywhere'\n"
