"""What a user reads must be true: README.md and specs/README.md, parsed as CommonMark.

Every fence is closed and no heading is swallowed by one; every Python snippet runs
against the bundled packages, installed from their wheels as a user installs them
(the network calls of the client snippet answered by a stand-in transport); the
spec shown in specs/README.md validates; the README's `errorsdk` commands and the
CONTRIBUTING.md commands are real, with real options; every repository path the
three pages name exists.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from errorsdk.output.dist import build_spec
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import load_spec

from .conftest import ROOT, SPECS
from .distributions import pip_install

PAGES = [ROOT / "README.md", ROOT / "specs" / "README.md"]


def fences(page: Path) -> list[Token]:
    return [t for t in MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8")) if t.type == "fence"]


def python_snippets() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for token in fences(page):
            if token.info.split()[:1] == ["python"]:
                assert token.map is not None
                found.append((f"{page.relative_to(ROOT)}:{token.map[0] + 1}", token.content))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fence_is_closed_and_swallows_no_heading(page: Path) -> None:
    lines = page.read_text(encoding="utf-8").splitlines()
    for token in fences(page):
        assert token.map is not None
        start, end = token.map
        closing = lines[end - 1].strip() if end - 1 > start else ""
        assert closing.startswith(token.markup), f"{page.name}:{start + 1}: the fence is never closed"
        swallowed = [line for line in token.content.splitlines() if line.startswith("## ")]
        assert not swallowed, f"{page.name}:{start + 1}: the fence holds the heading {swallowed[0]!r}"


def test_the_readme_has_its_sections_as_headings() -> None:
    tokens = MarkdownIt("commonmark").parse((ROOT / "README.md").read_text(encoding="utf-8"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    for expected in ("With your HTTP client, and retries", "A tour", "Shipping a package", "Benchmarks"):
        assert expected in headings


def test_the_readme_starts_with_the_two_setup_commands() -> None:
    first = fences(ROOT / "README.md")[0]
    commands = [line.split("#")[0].strip() for line in first.content.splitlines()]
    assert commands == [
        "pip install -e . && errorsdk generate",
        "pip install -e '.[test]' && python -m pytest",
    ]


def test_the_spec_in_specs_readme_validates(tmp_path: Path) -> None:
    yaml_fences = [t for t in fences(ROOT / "specs" / "README.md") if t.info.split()[:1] == ["yaml"]]
    whole = [t for t in yaml_fences if "\nerrorsdk: 1" in "\n" + t.content]
    assert whole, "specs/README.md shows no whole spec"
    for token in whole:
        spec = tmp_path / "example.yaml"
        spec.write_text(token.content, encoding="utf-8")
        try:
            load_spec(spec)
        except SpecError as error:  # pragma: no cover - the failure message is the point
            pytest.fail(f"specs/README.md:{(token.map or [0])[0] + 1}: {error}")


# The client snippet calls a Flux URL: a stand-in transport answers each URL with a
# 503 (Retry-After: 0) and then a 200, so both retry loops retry once and succeed.
_STAND_IN = textwrap.dedent(
    """
    import httpx

    _calls: dict[str, int] = {}

    def _answer(self, request):
        url = str(request.url)
        _calls[url] = _calls.get(url, 0) + 1
        if _calls[url] % 2:
            body = b'{"error_code": "service_unavailable", "message": "busy"}'
            return httpx.Response(503, headers={"Retry-After": "0"}, content=body, request=request)
        return httpx.Response(200, json=[], request=request)

    httpx.HTTPTransport.handle_request = _answer
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled packages installed from their wheels into a folder of their own."""
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("site")
    wheels = [f for spec in SPECS for f in build_spec(spec, dist).files if f.suffix == ".whl"]
    pip_install(Path(sys.executable), "--no-deps", "--target", target, *wheels)
    return target


@pytest.mark.parametrize("where, code", python_snippets(), ids=[w for w, _ in python_snippets()])
def test_every_python_snippet_runs(where: str, code: str, installed: Path, tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text(_STAND_IN + "\n" + code, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(installed)!r}); exec(open({str(script)!r}).read())",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, f"{where}: the snippet fails\n{done.stderr}"


# --- CONTRIBUTING.md: every command it gives works, every path it names exists ---------------
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
# Programs of the set-up steps that are not this project's: present wherever Python is.
_OTHER_PROGRAMS = {"python3", "pip", ".", "pre-commit"}


def contributing_commands() -> list[tuple[str, list[str]]]:
    found = []
    for token in fences(CONTRIBUTING):
        if token.info.split()[:1] != ["sh"]:
            continue
        for offset, line in enumerate(token.content.splitlines()):
            command = line.split(" #")[0].split(">")[0].strip()
            for part in command.split("&&"):
                if part.strip():
                    found.append((f"CONTRIBUTING.md:{(token.map or [0])[0] + 2 + offset}", shlex.split(part)))
    return found


def _registered_markers() -> set[str]:
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    return {line.split(":")[0].strip() for line in ini["markers"]}


@pytest.mark.parametrize("where, argv", contributing_commands(), ids=[w for w, _ in contributing_commands()])
def test_every_contributing_command_exists(where: str, argv: list[str]) -> None:
    program, args = argv[0], argv[1:]
    paths = [a for a in args if "/" in a and not a.startswith((".venv", "-", "'"))]
    for path in paths:
        assert (ROOT / path).exists(), f"{where}: {path} does not exist"
    if program == "errorsdk":
        done = subprocess.run(
            [str(Path(sys.executable).parent / "errorsdk"), args[0], "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0, f"{where}: errorsdk has no command {args[0]!r}"
        for option in [a for a in args if a.startswith("--")]:
            assert option in done.stdout, f"{where}: errorsdk {args[0]} has no option {option}"
    elif program == "scripts/check":
        script = ROOT / "scripts" / "check"
        assert script.is_file() and os.access(script, os.X_OK), f"{where}: scripts/check is not executable"
        assert all(a in script.read_text(encoding="utf-8") for a in args), f"{where}: scripts/check takes no {args}"
    elif program == "python" and args[:1] == ["-m"]:
        assert importlib.util.find_spec(args[1]) is not None, f"{where}: no module {args[1]}"
        if args[1] == "pytest" and "-m" in args[2:]:
            words = set(args[args.index("-m", 2) + 1].split()) - {"not", "and", "or"}
            assert words <= _registered_markers(), f"{where}: unregistered markers {words - _registered_markers()}"
    else:
        assert program in _OTHER_PROGRAMS, f"{where}: {program} is not a command this project documents"


def named_paths(page: Path) -> list[str]:
    """The repository paths ``page`` names in backticks (placeholders such as NAME, <package> left out)."""
    spans = re.findall(r"`([^`\s]+)`", page.read_text(encoding="utf-8"))
    named = [
        s.split("::")[0] for s in spans if re.match(r"^(generator|templates|tests|specs|bench|scripts|generated)/", s)
    ]
    return [p for p in named if "NAME" not in p and "<" not in p and p != "generator/x.py"]


@pytest.mark.parametrize(
    "page", [CONTRIBUTING, ROOT / "README.md", ROOT / "specs" / "README.md"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_every_path_a_page_names_exists(page: Path) -> None:
    named = named_paths(page)
    assert named or page.parent.name == "specs", f"{page.name} names no paths"
    missing = [p for p in named if not glob.glob(str(ROOT / p))]
    assert missing == [], f"{page.relative_to(ROOT)} names paths that do not exist: {missing}"


def readme_commands() -> list[tuple[str, list[str]]]:
    """Every ``errorsdk`` command of README.md's sh fences, as words (``[--opt X]`` unbracketed)."""
    found = []
    for token in fences(ROOT / "README.md"):
        if token.info.split()[:1] != ["sh"]:
            continue
        for offset, line in enumerate(token.content.splitlines()):
            for part in line.split(" #")[0].split("&&"):
                words = shlex.split(part.replace("[", " ").replace("]", " "))
                if words[:1] == ["errorsdk"]:
                    found.append((f"README.md:{(token.map or [0])[0] + 2 + offset}", words))
    return found


@pytest.mark.parametrize("where, argv", readme_commands(), ids=[w for w, _ in readme_commands()])
def test_every_readme_command_exists(where: str, argv: list[str]) -> None:
    """The README's errorsdk commands name real subcommands (``import`` kinds too) and options."""
    command = argv[1:3] if argv[1] == "import" else argv[1:2]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "errorsdk"), *command, "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, f"{where}: errorsdk has no command {' '.join(command)!r}"
    for option in [a for a in argv if a.startswith("--")]:
        assert option in done.stdout, f"{where}: errorsdk {' '.join(command)} has no option {option}"
