"""Every spec that validates generates a package that works; every spec it refuses gets file:line:col.

Hypothesis writes specs within the format: random envelopes (keys, list indices of
either sign, ``$``, headers, lists of paths, defaults, ``items``, success flags),
names, packages, codes of either type, statuses and categories, texts, retry
numbers (infinity included) and detail schemas. Each is validated; one that passes
is generated, imported, and every catalogue class ``C`` must survive
``from_response(*C().to_response())`` as a ``C`` with the same code, status and
message. One that is refused must be refused with ``file:line:col`` on every
problem, never a traceback. Hand-picked envelopes of real APIs (PayPal, GitHub,
Apollo, Firebase) are checked the same way, and a few packages pass ``mypy --strict``.

ERRORSDK_HEAVY=1 runs many more examples.
"""

from __future__ import annotations

import importlib
import itertools
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package
from errorsdk.spec import taxonomy
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.paths import MAX_INDEX, MAX_STEPS
from errorsdk.spec.validation import load_spec

from .conftest import ALL_SPECS, spec_id

HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))
_names = itertools.count()

# A few keys, so that random paths meet: share prefixes, collide, nest.
KEYS = ["code", "message", "error", "errors", "detail", "extensions", "id", "x-y", "odd.key"]
HEADERS = ["header:X-Code", "header:X-Request-Id", "header:x-code"]
STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 503]


def _path_text(steps: list[str | int]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step.replace("_", "a").replace("-", "a").isalnum() and not step[0].isdigit():
            out += f".{step}" if out else step
        else:
            out += f'["{step}"]'
    return out if out and not out.startswith("[") else "$" + out


step = st.one_of(st.sampled_from(KEYS), st.integers(min_value=-2, max_value=2))
body_path = st.lists(step, max_size=3).map(_path_text)
path = st.one_of(body_path, body_path, body_path, st.sampled_from(HEADERS))
field = st.one_of(
    path,
    st.lists(path, min_size=1, max_size=3),
    st.fixed_dictionaries(
        {"path": st.lists(path, min_size=1, max_size=2)}, optional={"default": st.sampled_from(["about:blank", 7])}
    ),
)
text = st.text(max_size=12)
code_text = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.text(min_size=1, max_size=6))


def _chance(draw: st.DrawFn, n: int) -> bool:
    """True about once in ``n`` draws (hypothesis favours the ends of a range: not those)."""
    return draw(st.integers(0, n - 1)) == n // 2


@st.composite
def random_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """Any paths at all: most of these collide, and validation must say where."""
    env: dict[str, Any] = {}
    for name in ("code", "message", "detail", "status", "request_id"):
        if draw(st.booleans()):
            env[name] = draw(field)
    if _chance(draw, 4):
        env["items"] = draw(body_path)
        if draw(st.booleans()):
            env["errors_on_success"] = True
        if draw(st.booleans()):
            env["data"] = draw(body_path)
    elif _chance(draw, 4):
        env["error_flag"] = {"path": draw(body_path), "equals": draw(st.sampled_from([False, "error", 0, None]))}
    return env


PREFIXES: list[list[str | int]] = [
    [],
    [],
    ["error"],
    ["errors", 0],
    ["errors", -1],
    ["data", "err"],
    ["odd.key"],
    ["e", 1, "x"],
]


@st.composite
def layered_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """Fields apart by construction (a shared prefix, a key each), the detail sometimes holding them,
    headers, fallback paths, a list of errors or a success flag: shapes real APIs use."""
    prefix = draw(st.sampled_from(PREFIXES))
    names = ["code", *draw(st.permutations(["message", "detail", "status", "request_id"]))]
    leaves = iter(draw(st.permutations(KEYS)))
    headers = iter(["header:X-Code", "header:X-Request-Id", "header:X-Msg", "header:X-Detail", "header:X-Status"])
    env: dict[str, Any] = {}
    for name in names[: draw(st.integers(1, 5))]:
        where = draw(st.integers(0, 9))
        if where == 0:
            env[name] = next(headers)
            continue
        if name == "detail" and prefix and where < 4:
            env[name] = _path_text(prefix)  # the detail holds the other fields
            continue
        steps = [*prefix, next(leaves)]
        if where == 9:
            steps += [draw(st.integers(-2, 2)), next(leaves)]
        env[name] = _path_text(steps)
        if _chance(draw, 5):  # a fallback path: may collide, and must then be refused
            env[name] = [env[name], draw(path)]
    if "code" in env and _chance(draw, 5):
        env["code"] = {"path": env["code"], "default": draw(st.sampled_from(["about:blank", "unknown"]))}
    kind = draw(st.integers(0, 5))
    if kind == 0:
        env["items"] = _path_text(draw(st.sampled_from([["errors"], [], ["data", "errors"], ["errs", 0]])))
        env["errors_on_success"] = draw(st.booleans())
        if draw(st.booleans()):
            env["data"] = "data"
    elif kind == 1:
        env["error_flag"] = {
            "path": "ok" if not prefix else "success",
            "equals": draw(st.sampled_from([False, 0, "no"])),
        }
    return env


envelopes = st.one_of(layered_envelopes(), layered_envelopes(), layered_envelopes(), random_envelopes())


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    integer = _chance(draw, 5)
    envelope = draw(envelopes)
    errors: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 4))):
        entry: dict[str, Any] = {"message": draw(text)}
        kind = draw(st.integers(0, 5))
        if kind and errors and "code" in errors[-1] and _chance(draw, 6):  # one code under two statuses
            entry["code"] = errors[-1]["code"]
        elif kind:  # mostly errors with a code
            entry["code"] = draw(st.integers(1, 99_999)) if integer else f"c{i}" + draw(code_text)
        status = draw(st.sampled_from([*STATUSES, None]))
        if status is None:
            entry["category"] = draw(st.sampled_from(taxonomy.CATEGORY_NAMES))
        else:
            entry["status"] = status
        if "code" not in entry or _chance(draw, 6):
            entry["name"] = f"n{i}" + draw(st.from_regex(r"[a-z0-9_]{0,6}", fullmatch=True))
        if _chance(draw, 6):
            entry["retryable"] = draw(st.booleans())
        if "detail" in envelope and _chance(draw, 10):
            entry["detail_schema"] = {"type": "object", "properties": {"field": {"type": "string"}}}
        errors.append(entry)
    name = draw(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True))  # made unique per example
    api: dict[str, Any] = {"name": name, "version": "1.0.0", "title": draw(text.filter(str.strip))}
    if _chance(draw, 12):  # a package name of its own, sometimes one Python has
        api["package"] = draw(
            st.one_of(
                st.sampled_from(["json", "typing", "re", "math", "__main__", "__pycache__", "class", "test", "site"]),
                st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
            )
        )
    spec: dict[str, Any] = {"errorsdk": 1, "api": api, "envelope": envelope, "errors": errors}
    if integer:
        spec["codes"] = {"type": "integer"}
    named = [e["name"] for e in errors if "name" in e]
    if _chance(draw, 3):  # fallbacks: a taxonomy class, the base class, or a named error
        target = st.sampled_from(["category", "base", *named])
        fallbacks = draw(
            st.fixed_dictionaries({}, optional={"unknown_code": target, "no_code": target, "unknown_status": target})
        )
        statuses = draw(st.lists(st.sampled_from(STATUSES), max_size=2, unique=True))
        if statuses:
            fallbacks["status"] = {status: draw(target) for status in statuses}
        spec["fallbacks"] = fallbacks
    if named and _chance(draw, 4):  # a rule: on status and code alone it takes every such response
        rule: dict[str, Any] = {
            "error": draw(st.sampled_from(named)),
            "status": draw(st.sampled_from([*STATUSES, "4xx"])),
        }
        codes = [e["code"] for e in errors if "code" in e]
        if codes and draw(st.booleans()):
            rule["code"] = draw(st.sampled_from(codes))
        if draw(st.booleans()):
            rule["message"] = "(?i)" + draw(st.sampled_from(["a", "x", "error"]))
        spec["rules"] = [rule]
    if draw(st.booleans()):
        seconds = st.floats(min_value=0.001, allow_nan=False, allow_infinity=True)
        spec["retry"] = {"max_retry_after": draw(st.one_of(seconds, st.integers(1, 10**6)))}
    return spec


@contextmanager
def imported(root: Path, package: str) -> Iterator[ModuleType]:
    """The package in ``root``, imported; forgotten afterwards (the next example may reuse the name)."""
    assert package not in sys.modules, f"{package} would not be the generated package"
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[module]


def _one(error: Any) -> Any:
    errors = getattr(error, "errors", None)
    if errors is not None:
        assert len(errors) == 1, errors
        return errors[0]
    return error


def _holds_others(checked: CheckedSpec) -> bool:
    """Whether other fields are written inside the detail (GraphQL's extensions holds the code)."""
    detail = checked.envelope_paths["detail"][0]
    if detail.header is not None:
        return False
    others = [
        paths[0] for name, paths in checked.envelope_paths.items() if paths and name not in ("detail", "request_id")
    ]
    return any(p.header is None and p.steps[: len(detail.steps)] == detail.steps for p in others)


def _left_to_rules(checked: CheckedSpec, name: str, code: object, message: str, ruled: set[str]) -> bool:
    """Whether the spec's rules decide this error's own response: a code-less error that rules
    name, or a message a rule's pattern matches (the spec then says it is that rule's error)."""
    if code is None and name in ruled:
        return True
    return any(r.message is not None and re.search(r.message, message) for r in checked.spec.rules)


def assert_round_trips(checked: CheckedSpec, pkg: ModuleType) -> int:
    """Every catalogue class: from_response(*C().to_response()) is a C with its code, status, message."""
    code_field = checked.spec.envelope.code
    default = None if code_field is None or code_field.default is None else str(code_field.default)
    ruled = {rule.error for rule in checked.spec.rules}
    for cls, name, entry in zip(pkg.ERROR_CLASSES, checked.error_names, checked.spec.errors):
        if _left_to_rules(checked, name, entry.code, cls.DEFAULT_MESSAGE, ruled):
            continue
        original = cls()
        status, headers, body = original.to_response()
        again = pkg.from_response(status, body, headers)
        assert again is not None, (cls, status, headers, body)
        one = _one(again)
        shown = (cls.__name__, status, headers, body)
        assert type(one) is cls, (type(one), *shown)
        # A code-less error reads the spec's default code, where it has one (problem+json's about:blank).
        assert one.code == original.code or (original.code is None and one.code == default), (one.code, *shown)
        assert one.message == original.message, (one.message, *shown)
        assert one.status == status == (original.status if original.status is not None else status)
        if not checked.envelope_paths["detail"]:
            continue
        # A detail comes back whole, unless other fields are written inside it.
        status, headers, body = cls(detail={"field": "f"}).to_response()
        with_detail = _one(pkg.from_response(status, body, headers))
        # written into it; a code-less error's body with a detail is an envelope, so its code reads the
        # default even where the empty body without one read none
        same_code = with_detail.code == one.code or (original.code is None and with_detail.code == default)
        assert type(with_detail) is cls and same_code, (with_detail, *shown)
        detail = with_detail.raw_detail
        if checked.envelope_paths["detail"][0].header is not None:
            detail = json.loads(detail)  # a header holds text: the detail as JSON
        assert detail == {"field": "f"} or _holds_others(checked), (detail, *shown)
    return len(pkg.ERROR_CLASSES)


def check_spec(spec: dict[str, Any], work: Path) -> ModuleType | None:
    """Validate, generate, import and round-trip; None (with every problem placed) when refused."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=10**9), "utf-8")
    try:
        checked = load_spec(path)
    except SpecError as exc:
        for problem in exc.diagnostics:
            assert problem.file == str(path) and problem.line > 0 and problem.column > 0, problem
            assert problem.message
        return None
    output = generate_package(path)
    write_package(work / "out", output)
    with imported(work / "out" / checked.package, checked.package) as pkg:
        assert_round_trips(checked, pkg)
        return pkg


@settings(
    max_examples=300 if HEAVY else 15,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example generates a package
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=specs())
def test_every_spec_that_validates_round_trips(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    name = f"{spec['api']['name']}{os.getpid()}x{next(_names)}"
    spec["api"]["name"] = name
    package = spec["api"].get("package", f"{name}_errors")
    assume(package not in sys.modules)  # a random package name may be one this process imported
    check_spec(spec, tmp_path_factory.mktemp(name))


# --- envelopes of real APIs, and the inputs of the issue -------------------------------


def _spec(envelope: dict[str, Any], errors: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    api = {"name": "x", "version": "1.0.0", "title": "Demo API", **extra.pop("api", {})}
    return {"errorsdk": 1, "api": api, "envelope": envelope, "errors": errors, **extra}


ACCEPTED = {
    "paypal": _spec(
        {"code": ["details[0].issue", "name"], "message": "message", "detail": "details", "request_id": "debug_id"},
        [
            {"code": "INVALID_PARAMETER_VALUE", "status": 400, "message": "Invalid"},
            {"name": "server", "status": 500, "message": "Server"},
        ],
    ),
    "github": _spec(
        {
            "code": "errors[0].code",
            "message": "message",
            "detail": "errors",
            "request_id": "header:x-github-request-id",
        },
        [
            {"code": "missing_field", "status": 422, "message": "Validation Failed"},
            {"name": "not_there", "status": 404, "message": "Not Found"},
        ],
    ),
    "apollo": _spec(
        {
            "items": "errors",
            "code": "extensions.code",
            "message": "message",
            "detail": "extensions",
            "data": "data",
            "errors_on_success": True,
        },
        [
            {"code": "GRAPHQL_VALIDATION_FAILED", "status": 400, "message": "Invalid query"},
            {"code": "UNAUTHENTICATED", "category": "authentication", "message": "Log in"},
        ],
    ),
    "last_item": _spec(
        {"code": "errors[-1].code", "message": "errors[0].message", "status": "errors[-2].status"},
        [{"code": "a", "status": 409, "message": "A"}],
    ),
    "inf_retry": _spec(
        {"code": "code"}, [{"code": "a", "status": 429, "message": "A"}], retry={"max_retry_after": math.inf}
    ),
}

REFUSED = {
    "firebase": (  # code and message at one path: one of them would be lost
        _spec(
            {"code": "error.message", "message": "error.message"},
            [{"code": "EMAIL_NOT_FOUND", "status": 400, "message": "m"}],
            codes={"normalize": "^([A-Z_]+)"},
        ),
        "message and code are both at 'error.message'",
    ),
    "root_list_and_object": (
        _spec({"code": "$[0]", "message": "message"}, [{"code": "a", "status": 400, "message": "A"}]),
        "code needs a list at the top of the body, where message needs an object",
    ),
    "huge_index": (
        _spec({"code": "[99999999999999999999]"}, [{"code": "a", "status": 400, "message": "A"}]),
        "is beyond",
    ),
    "long_path": (
        _spec({"code": ".".join(["a"] * 3000)}, [{"code": "a", "status": 400, "message": "A"}]),
        "steps; at most",
    ),
    "stdlib_package": (
        _spec({}, [{"status": 400, "message": "A"}], api={"package": "json"}),
        "shadows the standard library",
    ),
    "pycache_package": (_spec({}, [{"status": 400, "message": "A"}], api={"package": "__pycache__"}), "reserves"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_real_envelopes_round_trip(name: str, tmp_path: Path) -> None:
    spec = json.loads(json.dumps(ACCEPTED[name], allow_nan=True))
    spec["api"]["name"] = f"rt{os.getpid()}{name}"
    assert check_spec(spec, tmp_path) is not None


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_impossible_envelopes_are_refused(name: str, tmp_path: Path) -> None:
    spec, message = REFUSED[name]
    assert check_spec(spec, tmp_path) is None
    with pytest.raises(SpecError) as refused:
        load_spec(tmp_path / "spec.yaml")
    assert message in str(refused.value)


def test_path_limits_are_what_the_generated_code_can_hold(tmp_path: Path) -> None:
    """The longest path and the largest index the format allows generate and round-trip."""
    deepest = ".".join(["a"] * (MAX_STEPS - 1)) + f"[{-MAX_INDEX}]"
    spec = _spec({"code": deepest, "message": f"m[{MAX_INDEX}]"}, [{"code": "a", "status": 400, "message": "A"}])
    spec["api"]["name"] = f"rt{os.getpid()}deep"
    assert check_spec(spec, tmp_path) is not None


def test_a_few_generated_packages_are_mypy_strict_clean(tmp_path: Path) -> None:
    """Index steps after keys (errors[0].code) type-check; one mypy run for the hand-picked packages."""
    folders = []
    for name in ("paypal", "github", "last_item"):
        spec = json.loads(json.dumps(ACCEPTED[name]))
        spec["api"]["name"] = f"my{name}"
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(spec, sort_keys=False), "utf-8")
        output = generate_package(path)
        write_package(tmp_path / "out", output)
        folders.append(f"{output.package}/{output.package}")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", *folders],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_class_of_every_committed_spec_round_trips(spec: Path, import_api: Any) -> None:
    """The seed specs and the feature cases: C() with its default message, and with a detail."""
    checked, api = import_api(spec)
    assert assert_round_trips(checked, api) == len(checked.spec.errors)
