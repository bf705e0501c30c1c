"""`api.json_parser: orjson`: orjson parses bodies first and json reads what it refuses, so a
package parses every body as the standard-library one does (integers beyond 64 bits aside,
as documented); without orjson installed it parses with json alone.

The orjson package is tests/cases/orjson_parser.yaml; its twin is the same spec with the
default parser, generated here."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
import tracemalloc
import zipfile
from email.parser import Parser
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.output.dist import build_all
from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package

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
    """The package's JSON body reader (the runtime's ``_json``)."""
    return sys.modules[f"{package.__name__}._json"]


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
    assert envelope(twin)._FAST_LOADS is None  # the standard library only: orjson never imported
    settings = (sys.modules[f"{p.__name__}._envelope"].ORJSON for p in (fast, twin))
    assert list(settings) == [(3, 9, 15), None]
    assert model(SPEC).dependencies == ("orjson>=3.9.15",)


texts = st.text() | st.text(st.characters(categories=("Cs", "Ll", "Nd")), max_size=4)  # lone surrogates too
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(INT64_MIN, UINT64_MAX) | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
containers = st.lists(json_values, max_size=3) | st.dictionaries(st.text(max_size=8), json_values, max_size=4)


# The encodings json.loads reads (RFC 8259 section 8.1 and RFC 4627), each with and without
# a byte order mark.
BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
encodings = st.tuples(st.sampled_from(sorted(BOMS)), st.booleans())


def encode(text: str, encoding: tuple[str, bool]) -> bytes:
    name, bom = encoding
    return (BOMS[name] if bom else b"") + text.encode(name, "surrogatepass")


@settings(max_examples=400)
@given(
    doc=json_values,
    ascii_only=st.booleans(),
    indent=st.sampled_from([None, 0, 2]),
    encoding=encodings,
    as_text=st.booleans(),
)
def test_every_document_parses_as_json_reads_it(
    fast: ModuleType,
    twin: ModuleType,
    doc: Any,
    ascii_only: bool,
    indent: int | None,
    encoding: tuple[str, bool],
    as_text: bool,
) -> None:
    """Any JSON text (NaN and Infinity, lone surrogates), in every encoding json reads, with
    or without a byte order mark: json's values (a container) or None (a scalar: not an
    envelope), the same in each encoding and with either parser."""
    text = json.dumps(doc, ensure_ascii=ascii_only, indent=indent)
    body: str | bytes = ("\ufeff" if encoding[1] else "") + text if as_text else encode(text, encoding)
    expected = json.loads(text) if isinstance(doc, (dict, list)) else None
    assert shape(envelope(twin).parse_body(body)) == shape(expected)
    assert shape(envelope(fast).parse_body(body)) == shape(expected)
    if not as_text:
        assert shape(json.loads(body)) == shape(json.loads(text))  # a body json.loads reads


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
        '{"field": "\ud800"}'.encode("utf-8", "surrogatepass"),  # one json.loads decodes from bytes
        b"\xef\xbb\xbf" + '{"field": "\udfff"}'.encode("utf-8", "surrogatepass"),
        '{"field": "caf\u00e9"}'.encode("utf-16-le"),
        b'{"n": 1e400}',  # json: inf; orjson refuses
        bytearray(b'{"field": "a"}'),
        memoryview(b'{"field": "a"}'),
        type("Body", (bytes,), {})(b'{"field": "a"}'),  # orjson takes exact types only
        type("Text", (str,), {})('{"field": "a"}'),
    ],
    ids=[
        "nan",
        "surrogate",
        "utf-8-surrogate",
        "bom-surrogate",
        "utf-16",
        "huge-float",
        "bytearray",
        "memoryview",
        "bytes-subclass",
        "str-subclass",
    ],
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
    parts = [
        type(err).__name__,
        err.status,
        err.code,
        err.message,
        err.request_id,
        shape(err.raw_detail),
        repr(err.detail),
    ]
    return (*parts, [summary(e) for e in getattr(err, "errors", ())])


item = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from([1001, 1002, 1003, 9999, "1001", 1001.0]),
        "status": st.sampled_from([422, 429, 503, 400]),
        "message": st.text(max_size=10),
        "detail": st.lists(
            st.fixed_dictionaries(
                {"field": st.text(max_size=5)},
                optional={"limit": st.integers(INT64_MIN, UINT64_MAX), "ratio": st.floats()},
            ),
            max_size=3,
        )
        | json_values,
    },
)


@settings(max_examples=300)
@given(status=st.sampled_from([200, 400, 422, 429, 500, 503]), items=st.lists(item, max_size=3), raw=st.booleans())
def test_dispatch_agrees_with_the_default_parser(
    fast: ModuleType, twin: ModuleType, status: int, items: list[Any], raw: bool
) -> None:
    body: Any = {"errors": items} if not raw else items
    data = json.dumps(body).encode()
    headers = {"x-request-id": "r-1"}
    assert summary(fast.from_response(status, data, headers)) == summary(twin.from_response(status, data, headers))


@settings(max_examples=200)
@given(status=st.sampled_from([400, 422, 503]), items=st.lists(item, max_size=3), raw=st.booleans(), encoding=encodings)
def test_every_encoding_dispatches_as_utf_8(
    fast: ModuleType, twin: ModuleType, status: int, items: list[Any], raw: bool, encoding: tuple[str, bool]
) -> None:
    text = json.dumps({"errors": items} if not raw else items, ensure_ascii=False)
    for package in (fast, twin):
        expected = summary(package.from_response(status, encode(text, ("utf-8", False))))
        assert summary(package.from_response(status, encode(text, encoding))) == expected
        assert summary(package.from_response(status, ("\ufeff" if encoding[1] else "") + text)) == expected


# --- whatever else a body holds, its envelope is read, whatever the caller's stack depth ---

JUNK = "\u0000junk\u0000"
junk_texts = st.one_of(
    st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),  # json's scanner stops near 1,000
    st.integers(0, 1500).map(lambda depth: '{"a": ' * depth + "0" + "}" * depth),
    st.integers(4295, 4400).map(lambda digits: "-" * (digits % 2) + "7" * digits),  # Python converts 4,300 digits
    st.integers(10_001, 10_050).map(lambda depth: "[" * depth + "]" * depth),  # beyond the depth budget
)


def with_junk(doc: Any, place: int) -> Any:
    """``doc`` with a JUNK field added to one of its objects (by index), or to a new one."""
    objects: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            objects.append(value)
            for member in value.values():
                walk(member)
        elif isinstance(value, list):
            for member in value:
                walk(member)

    walk(doc)
    if not objects:
        return [doc, {"junk": JUNK}] if isinstance(doc, list) else doc
    objects[place % len(objects)]["junk" * (1 + place % 3)] = JUNK
    return doc


def flat(value: Any) -> list[Any]:
    """shape(value) without recursion, as a flat list (a junk field nests deeper than shape reaches)."""
    out: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            out.append(("dict", tuple(item)))
            stack.extend(reversed(item.values()))
        elif isinstance(item, list):
            out.append(("list", len(item)))
            stack.extend(reversed(item))
        else:
            out.append(shape(item))
    return out


def at_depth(frames: int, call: Any) -> Any:
    return at_depth(frames - 1, call) if frames else call()


def members(err: Any) -> Any:
    """What dispatch read from the envelope: class, status, code, message and request id."""
    if err is None:
        return None
    return (
        type(err).__name__,
        err.status,
        err.code,
        err.message,
        err.request_id,
        [members(e) for e in getattr(err, "errors", ())],
    )


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from([400, 422, 503]),
    items=st.lists(item, max_size=3),
    raw=st.booleans(),
    place=st.integers(0, 50),
    junk=junk_texts,
    frames=st.integers(0, 700),
    as_text=st.booleans(),
)
def test_a_junk_field_anywhere_leaves_the_envelope_read(
    fast: ModuleType,
    twin: ModuleType,
    status: int,
    items: list[Any],
    raw: bool,
    place: int,
    junk: str,
    frames: int,
    as_text: bool,
) -> None:
    """A field nested too deep for json (or for the caller's stack), or an integer of more
    digits than Python converts, added anywhere: the same class, code, message, status and
    request id, called at any stack depth; the document the same at every depth."""
    doc: Any = {"errors": items} if not raw else items
    clean = json.dumps(doc)
    text = json.dumps(with_junk(json.loads(clean), place)).replace(json.dumps(JUNK), junk)
    body: str | bytes = text if as_text else text.encode()
    for package in (fast, twin):
        expected = members(package.from_response(status, clean.encode()))
        assert members(package.from_response(status, body)) == expected
        assert members(at_depth(frames, lambda: package.from_response(status, body))) == expected  # noqa: B023 (called at once)
        parsed = envelope(package).parse_body(body)
        assert parsed is not None and flat(at_depth(frames, lambda: envelope(package).parse_body(body))) == flat(parsed)  # noqa: B023


def test_the_reported_bodies() -> None:
    """The issue's reproductions, on a bundled package."""
    from .conftest import ROOT, import_package

    flux = import_package(ROOT / "generated", "flux_errors")
    plain = b'{"error_code": "validation_error", "message": "x"}'
    assert type(flux.from_response(422, b"\xef\xbb\xbf" + plain)).__name__ == "FluxValidationError"
    huge = b'{"error_code": "validation_error", "message": "x", "n": ' + b"1" * 4301 + b"}"
    assert type(flux.from_response(422, huge)).__name__ == "FluxValidationError"
    deep = b'{"error_code": "validation_error", "message": "x", "f": ' + b"[" * 700 + b"]" * 700 + b"}"
    assert type(at_depth(400, lambda: flux.from_response(422, deep))).__name__ == "FluxValidationError"
    assert envelope(flux).parse_body(huge)["n"] == float("1" * 4301)  # inf: the digits stay in err.body


json_texts = json_values.map(lambda doc: json.dumps(doc))


@settings(max_examples=300)
@given(
    text=json_texts | st.text(alphabet='[]{}",:0123456789.eE-+ \\nulltrefasNIiy', max_size=30),
    frames=st.integers(0, 100),
)
def test_the_parser_without_recursion_reads_as_json_does(twin: ModuleType, text: str, frames: int) -> None:
    """_deep (what reads a document json's scanner cannot read on this stack) reads any text
    as json does: the same value, or an error."""
    try:
        expected: Any = ("value", shape(json.loads(text)))
    except ValueError:
        expected = "error"
    try:
        value, end = at_depth(frames, lambda: envelope(twin)._deep(text, 0))
        got: Any = ("value", shape(value)) if not text[end:].strip(" \t\r\n") else "error"
    except ValueError:
        got = "error"
    assert got == expected


@pytest.mark.parametrize("kind", ["array", "object"])
def test_beyond_the_depth_budget_containers_arrive_as_none(twin: ModuleType, kind: str) -> None:
    limit = envelope(twin)._MAX_DEPTH
    opener, closer = ("[", "]") if kind == "array" else ('{"a": ', "}")
    value = envelope(twin).parse_body(opener * (limit + 5) + "1" + closer * (limit + 5))
    for _ in range(limit):
        value = value[0] if kind == "array" else value["a"]
    assert value is None
    assert envelope(twin).parse_body(opener * (limit + 5) + "1" + closer * (limit + 4)) is None  # unbalanced


def test_orjson_memory_is_bounded_on_large_bodies(fast: ModuleType, twin: ModuleType) -> None:
    """orjson holds about 13 times a body at its peak: a body above _FAST_LIMIT is parsed by
    json, so dispatch traces no more memory than the default parser's package."""
    size = envelope(fast)._FAST_LIMIT * 3
    body = json.dumps({"errors": [{"code": 1001, "message": "m" * size}]}).encode()
    peaks = []
    for package in (fast, twin):
        tracemalloc.start()
        try:
            assert type(package.from_response(422, body)).__name__ == "InvalidFieldError"  # one error: itself
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[0] < 1.2 * peaks[1] and peaks[0] < 4 * len(body), peaks


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
        "import fastjson_errors as f, fastjson_errors._json as e\n"
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
from fastjson_errors import FastJsonError, FastJsonErrorGroup, InvalidFieldError, _json


def first(body: bytes) -> FastJsonError | None:
    err = fastjson_errors.from_response(422, body)
    return err.errors[0] if isinstance(err, FastJsonErrorGroup) else err


err = first(json.dumps({"errors": [{"code": 1001, "message": "bad", "detail": [{"field": "a", "limit": 3}]}]}).encode())
assert isinstance(err, InvalidFieldError)
assert err.detail is not None
assert_type(err.detail[0].field, str)
print(err.detail[0].field, err.detail[0].limit, _json._FAST_LOADS is not None)
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
    mypy = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-executable",
        str(python),
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
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
