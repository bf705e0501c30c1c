"""Invariants over a corpus of real, published error catalogues (tests/corpus/).

For every spec of the corpus, and every catalogue class of each generated package
(``ERROR_CLASSES``: one per entry):

- ``generates``: generation succeeds, or validation fails with ``file:line:col`` messages
  (a SpecError), never another exception;
- ``refused``: the same spec broken one way (a duplicate entry, a bad status, a bad path, a
  fallback naming nothing) is refused with every problem at its ``file:line:col``;
- ``round_trip``: ``from_response(*C().to_response())`` is a ``C`` with the same code, status
  and message;
- ``examples``: every documented example (``example:`` of an entry) dispatches to its entry,
  and its detail, where a detail schema covers it, matches the schema (``detail_error`` None);
- ``mypy``, ``pyright``: ``mypy --strict`` clean, ``pyright --verifytypes`` clean (100%);
- ``pickle``: pickle (every protocol) and deepcopy keep the exact class and every attribute;
- ``same_bytes``: the same spec gives the same bytes under different ``PYTHONHASHSEED``.

The default suite runs ``tests.corpus.sample()`` (every envelope kind, the largest
catalogue), and the slow checks (mypy, pyright, hash seeds) on ``DEEP`` only;
``ERRORSDK_HEAVY=1`` runs every check on every catalogue.

Known failures are listed once, in ``KNOWN_FAILURES``, and marked strict xfail: when a fix
lands, the test XPASSes, fails, and the entry is deleted.
"""

from __future__ import annotations

import copy
import fnmatch
import importlib.util
import json
import os
import pickle
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from errorsdk.output.write import PackageOutput, write_package
from errorsdk.pipeline import generate_package
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import load_spec

from . import corpus
from .conftest import ROOT
from .corpus.digest import package_digest
from .test_conformance import _unwrap, response_status
from .test_typecheck import _mypy

# (catalogue, invariant) -> the defect that breaks it, today. The catalogue may be an fnmatch
# pattern ("aws.*"); every case it matches must fail (strict xfail: a fix turns it into an
# XPASS failure, and the entry goes), so keep it precise.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}

# The catalogues the slow checks (mypy, pyright, hash seeds) run on by default.
DEEP = ("docs.discord", "docs.apollo_graphql", "google.error_reason", "aws.lambda")

CATALOGUES = corpus.selected()


def known(name: str, invariant: str) -> str | None:
    for (pattern, which), reason in KNOWN_FAILURES.items():
        if which == invariant and fnmatch.fnmatchcase(name, pattern):
            return reason
    return None


def cases(invariant: str, deep: bool = False) -> list[Any]:
    chosen = [c for c in CATALOGUES if corpus.HEAVY or not deep or c.name in DEEP]
    params = []
    for c in chosen:
        reason = known(c.name, invariant)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(c, id=c.name, marks=marks))
    if invariant == "generates" and corpus.HEAVY:  # counted and shown, never generated
        params += [
            pytest.param(c, id=c.name, marks=pytest.mark.skip(reason=c.unsupported))
            for c in corpus.catalogues()
            if c.unsupported is not None
        ]
    return params


# --- generating and importing, once per catalogue per session -----------------------------


@dataclass
class Built:
    spec: Path
    output: PackageOutput | None  # None: the spec was refused
    error: SpecError | None


_BUILT: dict[str, Built] = {}
_IMPORTED: dict[str, tuple[CheckedSpec, ModuleType]] = {}


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def spec_path(base: Path, cat: corpus.Catalogue) -> Path:
    return base / "specs" / f"{cat.name}.yaml"


def build(base: Path, cat: corpus.Catalogue) -> Built:
    if cat.name not in _BUILT:
        path = spec_path(base, cat)
        path.parent.mkdir(exist_ok=True)
        path.write_text(cat.text(), "utf-8")
        try:
            output = generate_package(path)
        except SpecError as error:
            _BUILT[cat.name] = Built(path, None, error)
        else:
            write_package(base / "out", output)
            _BUILT[cat.name] = Built(path, output, None)
    return _BUILT[cat.name]


def load_package(folder: Path, name: str) -> ModuleType:
    """Import ``folder/name`` as the top-level package ``name`` (one sys.path entry for none)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, folder / name / "__init__.py", submodule_search_locations=[str(folder / name)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def package(base: Path, cat: corpus.Catalogue) -> tuple[CheckedSpec, ModuleType]:
    built = build(base, cat)
    if built.output is None:
        pytest.skip(f"the spec is refused (see test_generates): {built.error}")
    if cat.name not in _IMPORTED:
        checked = load_spec(built.spec)
        _IMPORTED[cat.name] = checked, load_package(base / "out" / built.output.package, built.output.package)
    return _IMPORTED[cat.name]


def classes(checked: CheckedSpec, api: ModuleType) -> dict[str, Any]:
    found = dict(zip(checked.error_names, api.ERROR_CLASSES))
    assert len(found) == len(checked.spec.errors)
    return found


def report(failures: list[str], total: int, what: str) -> None:
    shown = "\n".join(failures[:15]) + (f"\n... and {len(failures) - 15} more" if len(failures) > 15 else "")
    assert not failures, f"{len(failures)} of {total} {what}:\n{shown}"


# --- the invariants ---------------------------------------------------------------------------

DIAGNOSTIC = re.compile(r"^\S.*:\d+:\d+: \S")


@pytest.mark.parametrize("cat", cases("generates"))
def test_generates(cat: corpus.Catalogue, corpus_dir: Path) -> None:
    """Generation succeeds, or every problem is reported as file:line:col (never a traceback)."""
    built = build(corpus_dir, cat)  # any exception but SpecError fails here, with its traceback
    if built.error is not None:
        problems = [line for line in str(built.error).splitlines() if not line.startswith("    fix:")]
        assert problems and all(DIAGNOSTIC.match(p) and p.startswith(str(built.spec)) for p in problems), problems
        pytest.fail(f"the corpus spec is refused, every problem with file:line:col:\n{built.error}")
    assert built.output is not None and built.output.files


MUTATIONS = {
    "duplicate_entry": lambda spec: spec["errors"].append(dict(spec["errors"][0])),
    "bad_status": lambda spec: spec["errors"][-1].update(status=99),
    "bad_path": lambda spec: spec["envelope"].update(message="error..message"),
    "unknown_fallback": lambda spec: spec.setdefault("fallbacks", {}).update(no_code="no_such_entry"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("cat", cases("refused"))
def test_a_broken_corpus_spec_is_refused_with_positions(cat: corpus.Catalogue, mutation: str, tmp_path: Path) -> None:
    """The same real spec, broken one way: refused, every problem at its file:line:col."""
    import yaml

    spec = yaml.safe_load(cat.text())
    MUTATIONS[mutation](spec)
    path = tmp_path / f"{cat.name}.yaml"
    path.write_text(corpus.dump(spec, "a mutation"), "utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    problems = [line for line in str(caught.value).splitlines() if not line.startswith("    fix:")]
    assert problems and all(DIAGNOSTIC.match(p) and p.startswith(str(path)) for p in problems), problems
    assert all(d.line > 0 for d in caught.value.diagnostics), problems


@pytest.mark.parametrize("cat", cases("round_trip"))
def test_round_trip(cat: corpus.Catalogue, corpus_dir: Path) -> None:
    """from_response(*C().to_response()) is a C with the same code, status and message."""
    checked, api = package(corpus_dir, cat)
    failures = []
    table = classes(checked, api)
    for name, cls in table.items():
        original = cls()
        status, headers, body = original.to_response()
        again = api.from_response(status, body, headers)
        one = None if again is None else _unwrap(again)
        got = None if one is None else (type(one).__name__, one.code, one.status, one.message)
        want = (
            cls.__name__,
            original.code,
            original.status if original.status is not None else status,
            original.message,
        )
        if got != want:
            failures.append(f"{name}: sent {status} {headers} {body[:200]!r}; want {want}, got {got}")
    report(failures, len(table), "classes do not come back as themselves")


@pytest.mark.parametrize("cat", cases("examples"))
def test_examples_dispatch_to_their_entry(cat: corpus.Catalogue, corpus_dir: Path) -> None:
    checked, api = package(corpus_dir, cat)
    table = classes(checked, api)
    failures, total = [], 0
    for i, entry in enumerate(checked.spec.errors):
        if entry.example is None:
            continue
        total += 1
        status = response_status(checked, i)
        got = api.from_response(status, json.dumps(entry.example).encode(), {"content-type": "application/json"})
        errors = getattr(got, "errors", None) if got is not None else None
        one: Any = errors[0] if errors else got
        if type(one) is not table[checked.error_names[i]]:
            failures.append(f"{checked.error_names[i]}: {status} {entry.example} -> {type(one).__name__}")
        elif one.raw_detail is not None and one.detail_error is not None:  # a schema refuses the real detail
            failures.append(f"{checked.error_names[i]}: detail {one.raw_detail} refused: {one.detail_error}")
    if not total:
        pytest.skip("the catalogue documents no example")
    report(failures, total, "examples dispatch elsewhere")


def same(a: Any, b: Any, where: str = "") -> list[str]:
    """Where ``a`` and ``b`` differ: exact types, attributes of exceptions, containers, values."""
    if type(a) is not type(b):
        return [f"{where}: type {type(a).__name__} != {type(b).__name__}"]
    if isinstance(a, BaseException):
        return same(a.args, b.args, where + ".args") + same(vars(a), vars(b), where)
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(map(str, a))} != {sorted(map(str, b))}"]
        return [d for k in a for d in same(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in same(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


@pytest.mark.parametrize("cat", cases("pickle"))
def test_pickle_and_deepcopy_keep_class_and_attributes(cat: corpus.Catalogue, corpus_dir: Path) -> None:
    """Every exception class the package exports, made and received back, survives both intact."""
    checked, api = package(corpus_dir, cat)
    classes(checked, api)
    exported = [getattr(api, n) for n in api.__all__]  # the catalogue's, the taxonomy's, the base
    table: dict[str, Any] = {c.__name__: c for c in exported if isinstance(c, type) and issubclass(c, BaseException)}
    failures = []
    base = next(c for c in table.values() if any(b.__name__ == "ErrorCore" for b in c.__bases__))  # the API's base
    for name, cls in table.items():
        # A group (an ExceptionGroup) is made of errors; every other class from nothing.
        made = cls("2 errors", [base(), base("b")]) if issubclass(cls, BaseExceptionGroup) else cls()
        received = api.from_response(*made.to_response())
        for error in (made, received):
            if error is None:
                continue
            getattr(error, "detail", None)  # checked and cached: the cache is pickled too
            copies = [pickle.loads(pickle.dumps(error, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)]
            for again in copies + [copy.deepcopy(error)]:
                failures += [f"{name}{d}" for d in same(error, again)][:3]
    report(failures, len(table), "differences after pickle/deepcopy")


@pytest.mark.parametrize("cat", cases("mypy", deep=True))
def test_mypy_strict_clean(cat: corpus.Catalogue, corpus_dir: Path) -> None:
    package(corpus_dir, cat)
    output = _BUILT[cat.name].output
    assert output is not None
    done = _mypy([output.package], corpus_dir / "out" / output.package, [])
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("cat", cases("pyright", deep=True))
def test_pyright_verifytypes_clean(cat: corpus.Catalogue, corpus_dir: Path) -> None:
    package(corpus_dir, cat)
    output = _BUILT[cat.name].output
    assert output is not None
    folder = corpus_dir / "out" / output.package
    done = subprocess.run(
        [sys.executable, "-m", "basedpyright", "--verifytypes", output.package, "--outputjson"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(folder)},
    )
    result = json.loads(done.stdout)
    completeness = result["typeCompleteness"]
    assert completeness["moduleName"] == output.package and result["summary"]["filesAnalyzed"] > 0
    vague = [
        f"{s['name']}: {' '.join(d['message'] for d in s.get('diagnostics', []))[:160]}"
        for s in completeness.get("symbols", [])
        if not s.get("isTypeKnown", True) or s.get("isTypeAmbiguous")
    ]
    assert completeness["completenessScore"] == 1.0 and done.returncode == 0, (
        f"score {completeness['completenessScore']:.3f}, {completeness['exportedSymbolCounts']}, "
        f"{result['generalDiagnostics'][:3]}\n" + "\n".join(vague[:15])
    )


SEEDS = ("0", "4242")


@pytest.fixture(scope="session")
def seeded_digests(corpus_dir: Path, request: pytest.FixtureRequest) -> dict[str, dict[str, str]]:
    """Per PYTHONHASHSEED: the digest of each selected catalogue's package, from one fresh process."""
    chosen: list[Any] = [
        item.callspec.params["cat"]
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.originalname == "test_same_bytes_under_different_hash_seeds"
    ]
    paths = []
    for cat in chosen:
        if build(corpus_dir, cat).output is not None:
            paths.append(str(spec_path(corpus_dir, cat)))
    found = {}
    for seed in SEEDS:
        done = subprocess.run(
            [sys.executable, "-m", "tests.corpus.digest", *paths],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        found[seed] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("cat", cases("same_bytes", deep=True))
def test_same_bytes_under_different_hash_seeds(
    cat: corpus.Catalogue, corpus_dir: Path, seeded_digests: dict[str, dict[str, str]]
) -> None:
    package(corpus_dir, cat)
    output = _BUILT[cat.name].output
    assert output is not None
    here = package_digest(output)
    there = {seed: found[str(spec_path(corpus_dir, cat))] for seed, found in seeded_digests.items()}
    assert set(there.values()) == {here}, (here, there)


# --- the corpus itself ------------------------------------------------------------------------


def test_known_failures_name_real_cases() -> None:
    """Every entry of KNOWN_FAILURES names an invariant and matches a catalogue of the corpus."""
    invariants = {"generates", "refused", "round_trip", "examples", "pickle", "mypy", "pyright", "same_bytes"}
    names = [c.name for c in (corpus.supported() if corpus.HEAVY else corpus.sample())]
    for (pattern, invariant), reason in KNOWN_FAILURES.items():
        assert invariant in invariants and reason.strip(), (pattern, invariant)
        if corpus.HEAVY or not pattern.startswith("aws."):
            assert fnmatch.filter(names, pattern), f"{pattern!r} matches no catalogue"


def test_sample_covers_every_envelope_kind_and_the_largest() -> None:
    sample = {c.name: c for c in corpus.sample()}
    assert corpus.LARGEST in sample
    assert len({c.kind for c in sample.values()}) == len(sample)  # one catalogue per kind
    if not corpus.HEAVY:
        pytest.skip("the whole corpus is read under ERRORSDK_HEAVY=1")
    every = corpus.supported()
    assert {c.kind for c in every} == {c.kind for c in sample.values()}
    largest = max(every, key=lambda c: len(load_spec_text(c)["errors"]))
    assert largest.name == corpus.LARGEST


def load_spec_text(cat: corpus.Catalogue) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(cat.text())
    return data
