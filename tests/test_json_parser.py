"""`api.json_parser: orjson`: orjson parses bodies first and json reads what it refuses, so a
package parses every body as the standard-library one does (integers beyond 64 bits aside,
as documented); without orjson installed it parses with json alone.

The orjson package is tests/cases/orjson_parser.yaml; its twin is the same spec with the
default parser, generated here."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.building import build_all
from generator.pipeline import generate_package
from generator.writing import write_package

from .conftest import CASES, import_package
from .distributions import make_venv, model, pip_install, run

SPEC = next(p for p in CASES if p.stem == "orjson_parser")
INT64_MIN, UINT64_MAX = -(2**63), 2**64 - 1


@pytest.fixture(scope="module")
def fast(import_api: Any) -> ModuleType:
    return import_api(SPEC)[1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The same API with the default parser (json)."""
    folder = tmp_path_factory.mktemp("twin")
    text = SPEC.read_text().replace("\n  json_parser: orjson\n", "\n  json_parser: stdlib\n")
    text = text.replace("package: fastjson_errors", "package: twinjson_errors")
    assert text.count("stdlib") == 1 and "twinjson_errors" in text
    spec = folder / "twin.yaml"
    spec.write_text(text)
    write_package(folder / "out", generate_package(spec))
    return import_package(folder / "out", "twinjson_errors")


def envelope(package: ModuleType) -> Any:
    return sys.modules[f"{package.__name__}._envelope"]


def shape(value: Any) -> Any:
    """A JSON value with its types spelled out, floats by repr (NaN, -0.0 and the last digit count)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def fits_64_bits(value: Any) -> bool:
    if isinstance(value, dict):
        return all(fits_64_bits(v) for v in value.values())
    if isinstance(value, list):
        return all(fits_64_bits(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return INT64_MIN <= value <= UINT64_MAX
    return True


def test_the_package_parses_with_orjson_and_requires_it(fast: ModuleType, twin: ModuleType) -> None:
    assert envelope(fast)._FAST_LOADS is orjson.loads, f"orjson {orjson.__version__}: pip install -e '.[test]'"
    assert not hasattr(envelope(twin), "_FAST_LOADS")
    source = Path(envelope(twin).__file__).read_text()
    assert "orjson" not in source and "import_module" not in source  # the standard library only
    assert model(SPEC).dependencies == ("orjson>=3.9.15",)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(INT64_MIN, UINT64_MAX) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
containers = st.lists(json_values, max_size=3) | st.dictionaries(st.text(max_size=8), json_values, max_size=4)


@settings(max_examples=400)
@given(doc=containers, ascii_only=st.booleans(), indent=st.sampled_from([None, 0, 2]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32-le"]), as_text=st.booleans())
def test_every_document_parses_as_json_reads_it(
    fast: ModuleType, twin: ModuleType, doc: Any, ascii_only: bool, indent: int | None, encoding: str, as_text: bool
) -> None:
    """Any JSON text (NaN and Infinity, lone surrogates, other encodings and byte order marks
    included): the same values, or None for both (a body that opens with a byte order mark)."""
    text = json.dumps(doc, ensure_ascii=ascii_only, indent=indent)
    body: str | bytes = text if as_text else text.encode(encoding, "surrogatepass")
    expected = envelope(twin).parse_body(body)
    assert expected is not None or not as_text and encoding in ("utf-8-sig", "utf-16")  # a BOM: not a JSON body
    assert shape(envelope(fast).parse_body(body)) == shape(expected)


@settings(max_examples=400)
@given(body=st.binary(max_size=40).map(lambda b: b"{" + b) | st.binary(max_size=40).map(lambda b: b"[" + b))
def test_any_bytes_parse_as_json_reads_them(fast: ModuleType, twin: ModuleType, body: bytes) -> None:
    """Broken, truncated or odd JSON: None where json says None, the same values where it reads one."""
    expected = envelope(twin).parse_body(body)
    if fits_64_bits(expected):
        assert shape(envelope(fast).parse_body(body)) == shape(expected)


@pytest.mark.parametrize(
    "body",
    [
        b'{"ratio": NaN, "limit": Infinity}',  # orjson refuses NaN and Infinity
        b'{"field": "\\ud800"}',  # a lone surrogate
        '{"field": "caf\u00e9"}'.encode("utf-16-le"),
        b'{"n": 1e400}',  # json: inf; orjson refuses
        bytearray(b'{"field": "a"}'),
        memoryview(b'{"field": "a"}'),
        type("Body", (bytes,), {})(b'{"field": "a"}'),  # orjson takes exact types only
        type("Text", (str,), {})('{"field": "a"}'),
    ],
    ids=["nan", "surrogate", "utf-16", "huge-float", "bytearray", "memoryview", "bytes-subclass", "str-subclass"],
)
def test_what_orjson_refuses_json_reads(fast: ModuleType, twin: ModuleType, body: bytes) -> None:
    expected = envelope(twin).parse_body(body)
    assert expected is not None
    assert shape(envelope(fast).parse_body(body)) == shape(expected)


def test_integers_beyond_64_bits_arrive_as_floats(fast: ModuleType, twin: ModuleType) -> None:
    """The documented difference (specs/README.md, the package README): if orjson ever reads
    these exactly, drop the caveat from the docs."""
    body = json.dumps([INT64_MIN, UINT64_MAX, INT64_MIN - 1, UINT64_MAX + 1]).encode()
    assert envelope(twin).parse_body(body) == [INT64_MIN, UINT64_MAX, INT64_MIN - 1, UINT64_MAX + 1]
    got = envelope(fast).parse_body(body)
    assert got[:2] == [INT64_MIN, UINT64_MAX] and all(type(v) is int for v in got[:2])
    assert [type(v) for v in got[2:]] == [float, float]


def summary(err: Any) -> Any:
    """What a user reads from an error, for comparing two packages' errors."""
    if err is None:
        return None
    parts = [type(err).__name__, err.status, err.code, err.message, err.request_id, shape(err.raw_detail), repr(err.detail)]
    return (*parts, [summary(e) for e in getattr(err, "errors", ())])


item = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from([1001, 1002, 1003, 9999, "1001", 1001.0]),
        "status": st.sampled_from([422, 429, 503, 400]),
        "message": st.text(max_size=10),
        "detail": st.lists(
            st.fixed_dictionaries({"field": st.text(max_size=5)}, optional={"limit": st.integers(INT64_MIN, UINT64_MAX), "ratio": st.floats()}),
            max_size=3,
        )
        | json_values,
    },
)


@settings(max_examples=300)
@given(status=st.sampled_from([200, 400, 422, 429, 500, 503]), items=st.lists(item, max_size=3), raw=st.booleans())
def test_dispatch_agrees_with_the_default_parser(fast: ModuleType, twin: ModuleType, status: int, items: list[Any], raw: bool) -> None:
    body: Any = {"errors": items} if not raw else items
    data = json.dumps(body).encode()
    headers = {"x-request-id": "r-1"}
    assert summary(fast.from_response(status, data, headers)) == summary(twin.from_response(status, data, headers))


@pytest.mark.parametrize(
    "stand_in",
    [
        "None  # import orjson raises ImportError",
        "types.SimpleNamespace(__version__='3.9.14', loads=None)  # crashes on deep nesting",
        "types.SimpleNamespace(__version__='3.10.0rc1', loads=None)  # a version we do not read",
        "types.SimpleNamespace(loads=None)  # no version",
    ],
    ids=["absent", "too-old", "odd-version", "no-version"],
)
def test_without_a_safe_orjson_the_package_parses_with_json(fast: ModuleType, stand_in: str) -> None:
    """A copied folder where orjson is not installed, or is older than 3.9.15 (CVE-2024-27454):
    json parses alone, and nothing changes."""
    folder = Path(fast.__file__).parent.parent
    script = (
        "import sys, json, types\n"
        f"sys.modules['orjson'] = {stand_in}\n"
        f"sys.path.insert(0, {str(folder)!r})\n"
        "import fastjson_errors as f, fastjson_errors._envelope as e\n"
        "assert e._FAST_LOADS is None\n"
        "body = json.dumps({'errors': [{'code': 1001, 'message': 'bad', 'detail': [{'field': 'a', 'ratio': float('nan')}]}]}).encode()\n"
        "err = f.from_response(422, body)  # one error: itself, not a group\n"
        "print(type(err).__name__, err.code, err.detail[0].field)\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["InvalidFieldError", "1001", "a"]


@pytest.fixture(scope="module")
def fast_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fast-dist")
    built, failures = build_all([SPEC], folder, progress=lambda line: None)
    assert not failures
    return next(f for f in built[0].files if f.suffix == ".whl")


PROGRAM = """\
import json
from typing import assert_type

import fastjson_errors
from fastjson_errors import FastJsonError, FastJsonErrorGroup, InvalidFieldError, _envelope


def first(body: bytes) -> FastJsonError | None:
    err = fastjson_errors.from_response(422, body)
    return err.errors[0] if isinstance(err, FastJsonErrorGroup) else err


err = first(json.dumps({"errors": [{"code": 1001, "message": "bad", "detail": [{"field": "a", "limit": 3}]}]}).encode())
assert isinstance(err, InvalidFieldError)
assert err.detail is not None
assert_type(err.detail[0].field, str)
print(err.detail[0].field, err.detail[0].limit, _envelope._FAST_LOADS is not None)
"""


def test_the_wheel_requires_orjson_and_runs_and_type_checks_without_it(fast_wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(fast_wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        assert Parser().parsestr(zf.read(meta).decode()).get_all("Requires-Dist") == ["orjson>=3.9.15"]
    python = make_venv(tmp_path / "venv")
    # Without an index pip cannot fetch orjson: --no-deps installs the package alone.
    pip_install(python, "--no-index", "--no-deps", fast_wheel)
    program = tmp_path / "use.py"
    program.write_text(PROGRAM)
    assert run(python, "-I", program).stdout.split() == ["a", "3", "False"]
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python), "--cache-dir", str(tmp_path / "cache")]
    checked = run(*mypy, program, check=False)
    assert checked.returncode == 0, checked.stdout


def test_the_wheel_installs_beside_orjson_and_parses_with_it(fast_wheel: Path, tmp_path: Path) -> None:
    """A venv that sees this interpreter's orjson (a .pth file: not --system-site-packages,
    which would show the base interpreter's, perhaps older, orjson): pip resolves the
    requirement offline, and the package parses with it."""
    python = make_venv(tmp_path / "venv")
    purelib = run(python, "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    (Path(purelib) / "tests-orjson.pth").write_text(str(Path(orjson.__file__).resolve().parent.parent) + "\n")
    pip_install(python, "--no-index", fast_wheel)  # fails if pip cannot find orjson>=3.9.15
    program = tmp_path / "use.py"
    program.write_text(PROGRAM)
    assert run(python, program).stdout.split() == ["a", "3", "True"]
