"""errorsdk's runtime (generator/rendering/runtime/) as source: copied verbatim into every package,
API-neutral, importing the generated modules only under fixed names, black-formatted, and
tested here on its own (against stand-in modules, with settings no spec has to give)."""

from __future__ import annotations

import ast
import importlib
import json
import math
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from errorsdk.model.build import build_model
from errorsdk.model.data import ApiModel
from errorsdk.rendering import runtime
from errorsdk.rendering.formatting import format_code
from errorsdk.spec.validation import load_spec

from .conftest import ALL_SPECS, CASES, ROOT, SPECS, spec_id

# What a runtime module may import relatively: the fixed names of the generated modules,
# and the other runtime modules.
FIXED_NAMES = {"_spec", "_base", "_dispatch", "_envelope", "models"} | {
    name.removesuffix(".py") for name in runtime.SOURCES
}
STAND_INS = sorted(runtime.FOLDER.glob("*.pyi"))


def _model(spec: Path) -> ApiModel:
    return build_model(load_spec(spec))


def _package_dir(spec: Path) -> Path:
    package = load_spec(spec).package
    return (ROOT / "generated" if spec in SPECS else ROOT / "tests" / "golden") / package / package


def _top_level_names(tree: ast.Module, imports: bool = True) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and imports:
            names.update(a.asname or a.name for a in node.names)
    return names


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_package_holds_the_runtime_byte_for_byte(spec: Path) -> None:
    """Each committed package's runtime modules are the header and the source file's bytes, and
    no other module of it is one (the choice of ``_detail`` follows the spec)."""
    folder = _package_dir(spec)
    chosen = runtime.modules(_model(spec))
    for target, name in chosen.items():
        assert (folder / target).read_bytes() == (runtime.HEADER + runtime.source(name)).encode(), target
    for module in folder.glob("*.py"):
        if module.name not in chosen:
            assert not module.read_text("utf-8").startswith(runtime.HEADER), module.name
    assert ("_detail.py" in chosen) == (load_spec(spec).details is not None)


@pytest.mark.parametrize(
    "spec", [s for s in ALL_SPECS if s.stem in ("flux", "details_pydantic", "cliquify")], ids=spec_id
)
def test_black_formats_only_the_rendered_files(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from errorsdk.rendering import formatting
    from errorsdk.rendering import templates as rendering

    formatted: list[str] = []
    real = formatting.format_all

    def recording(sources: dict[str, str], jobs: int = 1) -> dict[str, str]:
        formatted.extend(sources)
        return real(sources, jobs)

    monkeypatch.setattr(formatting, "format_all", recording)
    api = _model(spec)
    files = rendering.render(api)
    copied = set(runtime.files(api))
    assert copied and copied <= set(files) and not copied & set(formatted)
    assert {f"{api.package}/_spec.py", f"{api.package}/errors.py"} <= set(formatted)


@pytest.mark.parametrize("name", runtime.SOURCES)
def test_runtime_sources_are_black_formatted(name: str) -> None:
    """Copied without formatting, they must already be what black would write."""
    text = runtime.source(name)
    assert format_code(runtime.HEADER + text) == runtime.HEADER + text


@pytest.mark.parametrize("name", runtime.SOURCES)
def test_runtime_sources_are_api_neutral_and_self_contained(name: str) -> None:
    """No template syntax, no API's name; relative imports only of the fixed names; absolute
    imports only of the standard library (pydantic only inside the pydantic checker's functions)."""
    text = runtime.source(name)
    assert "{{" not in text and "{%" not in text
    for spec in ALL_SPECS:
        api = _model(spec)
        assert api.package not in text and api.base_class not in text, spec.name
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert node.level == 1, ast.unparse(node)
            sources = {a.name for a in node.names} if node.module is None else {node.module}
            assert sources <= FIXED_NAMES, ast.unparse(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            tops = (
                {a.name.split(".")[0] for a in node.names}
                if isinstance(node, ast.Import)
                else {(node.module or "").split(".")[0]}
            )
            extra = tops - sys.stdlib_module_names - {"__future__"}
            assert not extra or (name == "_detail_pydantic.py" and extra == {"pydantic"} and node not in tree.body), (
                ast.unparse(node)
            )


@pytest.mark.parametrize("stand_in", STAND_INS, ids=lambda p: p.name)
@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_stand_ins_name_only_what_every_package_defines(stand_in: Path, spec: Path) -> None:
    """The .pyi stand-ins mypy checks the runtime against promise nothing a generated module lacks."""
    if stand_in.stem == "models":
        return  # models.py is datamodel-code-generator's; the stand-in only says "any name"
    module = _package_dir(spec) / f"{stand_in.stem}.py"
    promised = {
        n for n in _top_level_names(ast.parse(stand_in.read_text()), imports=False) if not n.startswith("_StandIn")
    }
    assert promised <= _top_level_names(ast.parse(module.read_text("utf-8"))), module


def test_the_base_class_has_what_the_stand_in_promises(import_api: Any) -> None:
    tree = ast.parse((runtime.FOLDER / "_base.pyi").read_text())
    stand_in = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_StandInError")
    attributes = {n.target.id for n in stand_in.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    for spec in SPECS + CASES[:3]:
        _, api = import_api(spec)
        spec_module = importlib.import_module(f"{api.__name__}._spec")
        hints: set[str] = set()
        for klass in spec_module.APIError.__mro__:
            hints.update(getattr(klass, "__annotations__", {}))
        assert attributes <= hints, api.__name__


# ---- the runtime on its own: copied into a package of stand-in modules, written here ----

FAKE_BASE = """
from ._core import ErrorCore


class FakeError(ErrorCore):
    CODE = None
    raw_detail = body = request_id = retry_after = rate_limit = request_method = request_url = None

    def __init__(self, message="fake", status=None, headers=None, retryable=False, code=None, detail=None):
        self.args = (message,)
        self.status, self.headers, self.retryable = status, headers, retryable
        self.code, self.message = code, message
        if detail is not None:
            self.raw_detail = detail
"""

# Settings no bundled spec has all of: a code prefix, a list of errors, a filter step,
# a success flag, a header writer, a spec-listed secret header.
FAKE_ENVELOPE = """
import json

ORJSON = None
SECRET_HEADERS = frozenset({"authorization", "x-vault"})
SECRET_SQUASHED = frozenset({"authorization", "xvault"})
SECRET_MARKERS = ("token", "secret")
READ_HEADERS = frozenset({"x-request-token"})
CODE_PREFIX = ": "
BODY_WRITERS = (("status", ("meta", "status")), ("request_id", ("meta", "id")))
ITEMS_AT = ("errors",)
ITEM_WRITERS = (("detail", ("extensions",)), ("code", ("extensions", "codes", ("?", "kind", "code"), "value")), ("message", ("message",)))
HEADER_WRITERS = (("request_id", "x-request-id"),)
MARKS = ((("ok",), False),)
CATEGORY_STATUS = {"not_found": 404}
DEFAULT_STATUS = 500
CONTENT_TYPE = "application/json"


def render_body(doc):
    return json.dumps(doc).encode()
"""

FAKE_DISPATCH = """
from ._retry import annotate
from ._spec import APIError

CALLS = []


def from_response(status, body=None, headers=None, *, method=None, url=None):
    CALLS.append((status, body, method, url))
    if status is None or status < 400 and body != b"error":
        return None
    error = APIError(status=status, headers=dict(headers or {}), retryable=status >= 500 or status == 429)
    annotate((error,), method, url)
    return error


def classify(status, code, message=None, method=None, url=None):
    return APIError
"""

FAKE_SPEC = """
from ._base import FakeError

APIError = FakeError
ERRORS_IN_SUCCESS = True
AFTER_HEADERS = ("retry-after-ms", "retry-after")
LIMIT_HEADER = "x-limit"
REMAINING_HEADER = "x-remaining"
RESET_HEADER = "x-reset"
MAX_RETRY_AFTER = 30.0
SHOULD_RETRY_HEADER = "x-should-retry"
ERROR_EVENTS = ("error",)
WATCHED_HEADERS = ("retry-after", "retry-after-ms", "x-limit", "x-remaining", "x-reset", "x-should-retry")
REQUEST_ID_HEADER = None
"""


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """A package ``rt_standin`` of the runtime's source and the stand-ins above."""
    root = tmp_path_factory.mktemp("runtime")
    package = root / "rt_standin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in (
        ("_base.py", FAKE_BASE),
        ("_dispatch.py", FAKE_DISPATCH),
        ("_spec.py", FAKE_SPEC),
        ("_envelope.py", FAKE_ENVELOPE),
    ):
        (package / name).write_text(textwrap.dedent(text))
    for name in ("_retry.py", "_clients.py", "_core.py", "_json.py", "_observe.py"):
        (package / name).write_text(runtime.source(name))
    sys.path.insert(0, str(root))
    try:
        for name in ("_retry", "_clients", "_dispatch", "_core", "_json"):
            importlib.import_module(f"rt_standin.{name}")
        return importlib.import_module("rt_standin")
    finally:
        sys.path.remove(str(root))


def test_retry_reads_the_settings_it_is_given(rt: ModuleType) -> None:
    retry, clients = rt._retry, rt._clients
    assert retry.AFTER_HEADERS == ("retry-after-ms", "retry-after") and retry.MAX_RETRY_AFTER == 30.0
    err = rt._dispatch.from_response(429, b"", {"retry-after-ms": "1500", "retry-after": "9", "x-remaining": "0"})
    assert err.retry_after == 1.5 and err.rate_limit == (None, 0, None)  # the first header present wins
    err = rt._dispatch.from_response(429, b"", {"x-limit": "10", "x-remaining": "0", "x-reset": "7"})
    assert err.retry_after == 7.0 and retry.should_retry(err) and retry.wait_for(err) == 7.0
    err = rt._dispatch.from_response(503, b"", {"retry-after": "31"})  # beyond MAX_RETRY_AFTER
    assert not retry.should_retry(err) and retry.should_retry(err, max_retry_after=31)
    err = rt._dispatch.from_response(503, b"", {"x-should-retry": "false"})
    assert not retry.should_retry(err) and not retry.should_retry(ValueError())
    assert clients.may_carry_error(200)  # ERRORS_IN_SUCCESS of this stand-in spec


def test_clients_pass_the_request_and_read_the_body(rt: ModuleType) -> None:
    class Request:
        method, url = "post", "https://h/p?key=secret"

    class Response:
        status_code, headers, request = 200, {"retry-after": "2"}, Request()

        def read(self) -> bytes:
            return b"error"

    err = rt._clients.from_httpx(Response())
    assert rt._dispatch.CALLS[-1] == (200, b"error", "post", "https://h/p?key=secret")
    assert (err.request_method, err.request_url, err.retry_after) == ("POST", "https://h/p?key=[redacted]", 2.0)
    with pytest.raises(rt._spec.APIError):
        rt._clients.raise_for_httpx(Response())


@given(st.text(max_size=40), st.sampled_from([1.0, 0.001]), st.booleans())
def test_parse_delay_never_raises_and_is_never_negative(rt: ModuleType, text: str, unit: float, epoch: bool) -> None:
    delay = rt._retry.parse_delay(text, unit=unit, epoch=epoch)
    assert delay is None or (math.isfinite(delay) and delay >= 0)


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_backoff_stays_between_its_bounds(rt: ModuleType, attempt: int) -> None:
    delay = rt._retry.backoff(attempt)
    ceiling = (
        min(rt._retry.INITIAL_DELAY * 2.0 ** max(attempt - 1, 0), rt._retry.MAX_DELAY)
        if attempt < 64
        else rt._retry.MAX_DELAY
    )
    assert 0.75 * ceiling <= delay <= ceiling


# ---- _core and _json on their own, with the stand-in _envelope's settings above ----


def test_core_cleans_headers_of_every_shape_with_the_settings_it_is_given(rt: ModuleType) -> None:
    clean = rt._core.clean_headers
    redacted = rt._core.REDACTED
    pairs = [("Authorization", "a"), ("X-Vault", "b"), ("X-My-Token", "c"), ("X-Request-Token", "d"), ("X-A", "1")]
    expected = {
        "authorization": redacted,  # a default secret
        "x-vault": redacted,  # the spec's
        "x-my-token": redacted,  # named like one (a marker)
        "x-request-token": "d",  # read by the package: exempt from the markers
        "x-a": "1",
    }
    assert (
        clean(dict(pairs))
        == clean(pairs)
        == clean(b"".join(b"%s: %s\r\n" % (n.encode(), v.encode()) for n, v in pairs))
        == expected
    )
    assert clean([("Set-Cookie", "a"), ("set-cookie", "b")]) == {"set-cookie": "a, b"}  # repeats joined
    cleaned = clean({"A": "1"})
    assert (
        clean(cleaned) is cleaned
        and clean(None) == {}
        and clean(object()) == {}
        and clean([1, ("a", "b")]) == {"a": "b"}
    )
    assert rt._core.is_secret("x-secret-thing") and not rt._core.is_secret("x-request-token")


@given(
    st.one_of(
        st.none(),
        st.text(),
        st.binary(),
        st.lists(st.tuples(st.text(), st.text())),
        st.dictionaries(st.text(), st.text()),
    )
)
def test_core_header_cleaning_never_raises(rt: ModuleType, headers: Any) -> None:
    cleaned = rt._core.clean_headers(headers)
    assert all(type(k) is str and type(v) is str and k == k.strip().lower() for k, v in cleaned.items())


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("https://h/p", "https://h/p"),
        (
            "https://user:pw@h:8443/p;jsessionid=1?key=secret&x#frag",
            "https://h:8443/p;jsessionid=[redacted]?key=[redacted]&[redacted]",
        ),
        (b"http://h/p?q=1", "http://h/p?q=[redacted]"),
        ("user:secret@h/p", "h/p"),
        ("https://[::1/p?a=b", "https://[::1/p?a=[redacted]"),
        (None, None),
    ],
)
def test_core_redacts_urls(rt: ModuleType, url: object, redacted: str | None) -> None:
    assert rt._core.redact_url(url) == redacted


def test_core_writes_the_envelope_it_is_given(rt: ModuleType) -> None:
    """to_response() through every kind of step: a list of errors, a filter, the flag, a header."""
    error = rt._base.FakeError("bad", None, {}, False, code="E1", detail={"at": 1})
    error.request_id = "r1"
    status, headers, body = error.to_response()
    assert status == 500 and headers == {"x-request-id": "r1", "content-type": "application/json"}
    assert json.loads(body) == {
        "errors": [{"extensions": {"at": 1, "codes": [{"kind": "code", "value": "E1"}]}, "message": "E1: bad"}],
        "meta": {"status": 500, "id": "r1"},
        "ok": False,
    }
    assert rt._core.split_code("E1: bad") == ("E1", "bad") and rt._core.split_code("bad") == ("bad", "bad")
    assert rt._core.joined_message(None, "bad") == "bad" and rt._core.joined_message(7, None) == "7"


def test_core_pickles_a_detail_nested_deeper_than_pickle_recurses(rt: ModuleType) -> None:
    import pickle

    deep: Any = "leaf"
    for _ in range(5000):
        deep = [deep, {"k": (1, 2)}]
    error = rt._base.FakeError(status=400, headers={"a": "b"}, detail=deep)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and back.headers == {"a": "b"}
    assert rt._core._flatten(back.raw_detail) == rt._core._flatten(deep)  # == itself would recurse
    assert str(back) == "400: fake" and repr(back).startswith("FakeError(status=400, code=None")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_json_reads_every_encoding_json_reads(rt: ModuleType, encoding: str) -> None:
    doc = {"code": "E\u00e9", "n": [1, 2.5, None, True]}
    assert rt._json.parse_body(json.dumps(doc, ensure_ascii=False).encode(encoding)) == doc
    assert rt._json.parse_body(b"<html>502</html>") is None and rt._json.parse_body(b'{"a": ') is None


def test_json_reads_the_envelope_of_a_document_deeper_than_the_stack(rt: ModuleType) -> None:
    text = '{"code": "E", "d": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert rt._json.parse_body(text)["code"] == "E"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@given(JSON)
def test_detail_convert_and_to_json_give_back_any_json(value: object) -> None:
    """The standard-library checker imported as source: Any keeps a value, to_json gives it back."""
    from errorsdk.rendering.runtime import _detail

    converted = _detail.convert(Any, value)
    assert json.dumps(_detail.to_json(converted)) == json.dumps(value)
    if _depth(value) <= _detail.MAX_DEPTH:
        assert _detail.convert(dict[str, Any] if isinstance(value, dict) else Any, value) == value


@given(JSON)
def test_pydantic_checker_measures_nesting_as_recursion_would(value: object) -> None:
    from errorsdk.rendering.runtime import _detail_pydantic

    assert _detail_pydantic.nesting(value) == _depth(value)


def test_detail_refuses_what_its_type_is_not() -> None:
    from errorsdk.rendering.runtime import _detail

    with pytest.raises(_detail.DetailMismatch, match=r"detail\[1\]: expected int, got str"):
        _detail.convert(list[int], [1, "2"])
    deep: Any = [1]
    tp: Any = list[int]
    for _ in range(_detail.MAX_DEPTH):
        deep, tp = [deep], list[tp]
    assert _detail.convert(tp, deep) == deep
    with pytest.raises(_detail.DetailMismatch, match="nested deeper"):
        _detail.convert(list[tp], [deep])


# ---- the installed generator carries its runtime ----


def test_the_wheel_of_errorsdk_ships_the_runtime_and_generates_the_same(tmp_path: Path) -> None:
    """errorsdk's own wheel holds the runtime (copied from, not rendered) and the
    templates; run from the unpacked wheel, it writes the committed packages."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("errorsdk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert {f"errorsdk/rendering/runtime/{name}" for name in runtime.SOURCES} <= names
    assert "errorsdk/_templates/package/_spec.py.jinja" in names
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, errorsdk.cli; sys.exit(errorsdk.cli.main())",
            "generate",
            "--specs-dir",
            str(ROOT / "specs"),
            "--out",
            str(out),
            "--no-cache",
        ],
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(tmp_path / "site"),
            "PATH": "/usr/bin:/bin",
            "ERRORSDK_CACHE_DIR": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import errorsdk.rendering.runtime as r; print(r.FOLDER)"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(tmp_path / "site"))
    for spec in SPECS:
        package = load_spec(spec).package
        for module in (ROOT / "generated" / package / package).glob("*.py"):
            assert (out / package / package / module.name).read_bytes() == module.read_bytes(), module
