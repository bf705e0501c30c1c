"""Behaviour of the generated packages at runtime, on the seed APIs and the cases."""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import json
import logging
import pickle
import subprocess
import sys
import threading
import traceback
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ALL_SPECS, CASES, SPECS, spec_id

SEED = {p.stem: p for p in SPECS}
CASE = {p.stem: p for p in CASES}


def all_classes(api: Any, base: type) -> list[type]:
    """Every error class the package exports (a code's class is made here if not yet)."""
    found = {getattr(api, name) for name in api.__all__}
    return sorted({v for v in found if isinstance(v, type) and issubclass(v, base)}, key=lambda c: c.__name__)


def test_flux_validation_error_with_detail(import_api: Any) -> None:
    _, flux = import_api(SEED["flux"])
    body = json.dumps(
        {
            "message": "Validation error",
            "error_code": "validation_error",
            "detail": [{"field": "where.$.all_of[0].status__eq", "message": "Invalid operator"}],
        }
    ).encode()
    err = flux.from_response(422, body, {"X-Thing": "1"})
    assert type(err) is flux.FluxValidationError
    assert isinstance(err, flux.ValidationError) and isinstance(err, flux.FluxError)
    assert err.raw_detail == [{"field": "where.$.all_of[0].status__eq", "message": "Invalid operator"}]
    models = importlib.import_module("flux_errors.models")  # a submodule, imported on first check
    assert err.detail == [models.FieldError(field="where.$.all_of[0].status__eq", message="Invalid operator")]
    assert (err.status, err.code, err.message) == (422, "validation_error", "Validation error")
    assert err.headers == {"x-thing": "1"}
    assert str(err) == "422 validation_error: Validation error"
    assert err.retryable is False


def test_flux_every_401_is_authentication_required(import_api: Any) -> None:
    _, flux = import_api(SEED["flux"])
    for body in (b"", b"<html>401</html>", b'{"error_code": "new_code"}'):
        err = flux.from_response(401, body)
        assert type(err) is flux.AuthenticationRequiredError
    assert flux.from_response(401, b'{"error_code": "new_code"}').code == "new_code"


def test_flow_rest_dispatches_by_status_and_reason(import_api: Any) -> None:
    _, flow = import_api(SEED["flow_rest"])

    def body(status: int, reason: str) -> bytes:
        return json.dumps({"error": {"code": status, "reason": reason, "message": "m"}}).encode()

    assert type(flow.from_response(400, body(400, "required"))) is flow.MissingRequiredParameterError
    assert type(flow.from_response(401, body(401, "required"))) is flow.AuthenticationRequiredError
    # The page files rate_limit_exceeded under 409: a 409 with that reason still finds it.
    assert type(flow.from_response(409, body(409, "rate_limit_exceeded"))).__name__ == "RateLimitExceededError"
    # Status carried only in the body (e.g. a proxy rewrote the status to 200).
    err = flow.from_response(None, body(403, "forbidden"))
    assert err.status == 403 and isinstance(err, flow.PermissionDeniedError)


def test_graphql_errors_in_200_become_one_group(import_api: Any) -> None:
    _, gql = import_api(SEED["flow_graphql"])
    payload = {
        "data": {"flow": None, "other": 1},
        "errors": [
            {"message": 'Variable "$input" got invalid value', "extensions": {"code": "BAD_USER_INPUT"}},
            {"message": "Something else broke", "extensions": {"code": "INTERNAL"}},
            {"message": "no extensions at all"},
        ],
    }
    group = gql.from_response(200, json.dumps(payload).encode())
    assert isinstance(group, gql.FlowGraphqlErrorGroup)
    assert isinstance(group, ExceptionGroup) and isinstance(group, gql.FlowGraphqlError)
    assert group.errors == group.exceptions and len(group.errors) == 3
    assert group.data == {"flow": None, "other": 1}
    assert all(e.data is group.data for e in group.errors)  # every error of the response has its data
    assert [e.code for e in group.errors] == ["BAD_USER_INPUT", "INTERNAL", None]
    assert isinstance(group.errors[0], gql.ValidationError)  # the payload-mismatch rule
    assert all(isinstance(e, gql.FlowGraphqlError) for e in group.errors)
    assert group.status == 200 and group.code == "BAD_USER_INPUT" and group.retryable is False
    assert group.message == '3 errors: Variable "$input" got invalid value; Something else broke; no extensions at all'
    assert gql.from_response(200, b'{"data": {"x": 1}}') is None
    assert gql.from_response(200, b'{"data": {"x": 1}, "errors": []}') is None
    # Round trip of the whole group.
    status, headers, body = group.to_response()
    again = gql.from_response(status, body, headers)
    assert [type(e) for e in again.errors] == [type(e) for e in group.errors]


def _graphql_group(gql: Any, messages: list[Any], **request: Any) -> Any:
    errors = [{"message": m, "extensions": {"code": f"C{i}"}} for i, m in enumerate(messages)]
    return gql.from_response(200, json.dumps({"errors": errors, "data": None}).encode(), **request)


@pytest.mark.parametrize("junk", [1, "text", None, ["nested"]])
def test_graphql_entries_that_are_not_objects_are_left_out(import_api: Any, junk: Any) -> None:
    _, gql = import_api(SEED["flow_graphql"])
    payload = {"errors": [junk, {"message": "a"}, junk, {"message": "b"}], "data": None}
    group = gql.from_response(200, json.dumps(payload).encode())
    assert group.message == "2 errors: a; b" and [e.message for e in group.errors] == ["a", "b"]
    assert gql.from_response(200, json.dumps({"errors": [junk]}).encode()) is None
    alone = gql.from_response(200, json.dumps({"errors": [junk, {"message": "a"}]}).encode())
    assert type(alone) is gql.GraphqlResponseError and alone.message == "a"  # one error left: itself


def test_graphql_group_keeps_its_own_copy_of_a_parsed_body(import_api: Any) -> None:
    _, gql = import_api(SEED["flow_graphql"])
    doc = {"errors": [{"message": "a"}, {"message": "b"}], "data": None}
    dispatch = importlib.import_module(gql.__name__ + "._dispatch")
    group = dispatch.from_response(200, json.dumps(doc).encode())
    parsed = {"errors": [{"message": "a"}, {"message": "b"}]}
    direct = gql.from_response(200, parsed)  # a document given as is
    parsed["errors"].append({"message": "added later"})
    assert [e.message for e in direct.errors] == [e.message for e in group.errors] == ["a", "b"]


def test_graphql_group_without_a_message_takes_the_default_of_its_class(import_api: Any) -> None:
    _, gql = import_api(SEED["flow_graphql"])
    group = _graphql_group(gql, ["a", None, 7])
    assert group.message == "3 errors: a; GraphQL errors in the response body; 7"
    assert [e.message for e in group.errors] == ["a", "GraphQL errors in the response body", "7"]


def _rule_specs() -> list[Path]:
    """The specs with a rule on the message."""
    return [
        p for p in ALL_SPECS if any("message" in rule for rule in yaml.safe_load(p.read_text("utf-8")).get("rules", []))
    ]


@pytest.mark.parametrize("spec", _rule_specs(), ids=spec_id)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_rule_prefilter_never_skips_a_match(spec: Path, import_api: Any, data: st.DataObject) -> None:
    """A rule's literal prefilter only skips searches that would fail: dispatch with and
    without it picks the same rule, on any message (words of the patterns, any case,
    non-ASCII letters, long texts)."""
    _, api = import_api(spec)
    dispatch = importlib.import_module(api.__name__ + "._dispatch")
    assert any(rule.literals for rule in dispatch.RULES)  # the prefilter is there to test
    words = sorted({w for rule in dispatch.RULES for w in rule.literals or ()} | {"K", "\u212a", "\u017f", " ", "$"})
    matching = [
        st.from_regex(rule.message, alphabet=st.characters(codec="ascii")) for rule in dispatch.RULES if rule.message
    ]
    pieces = st.one_of(st.sampled_from(words), st.text(max_size=6), *matching)
    message = data.draw(
        st.lists(pieces, max_size=8).map("".join).map(lambda m: data.draw(st.sampled_from([m, m.upper(), m.title()])))
    )
    status = data.draw(st.sampled_from(sorted({s for rule in dispatch.RULES for s in rule.statuses} | {400, 200})))
    code = data.draw(st.sampled_from([None, *{rule.code for rule in dispatch.RULES if rule.code}]))
    plain = tuple(rule._replace(literals=None) for rule in dispatch.RULES)
    extra = (None,) * (len(inspect.signature(dispatch._rule_error).parameters) - 3)  # method, url(, headers)
    with_prefilter = dispatch._rule_error(status, code, message, *extra)
    original = dispatch.RULES
    try:
        dispatch.RULES = plain
        assert dispatch._rule_error(status, code, message, *extra) == with_prefilter
    finally:
        dispatch.RULES = original


def test_status_only_api(import_api: Any) -> None:
    _, flowlu = import_api(SEED["flowlu"])
    assert type(flowlu.from_response(401, b"")) is flowlu.UnauthorizedError
    assert type(flowlu.from_response(403, b"")) is flowlu.FlowluPermissionDeniedError
    hook = flowlu.from_response(403, b"", method="POST", url="https://x.flowlu.com/api/v1/module/webhooks?key=1")
    assert type(hook).__name__ == "WebhookCreationFailedError"
    assert flowlu.from_response(204, b"") is None
    assert flowlu.CODES == frozenset()


def test_codes_literal_and_frozenset(import_api: Any) -> None:
    checked, cliquify = import_api(SEED["cliquify"])
    assert cliquify.CODES == {str(e.code) for e in checked.spec.errors}
    assert set(cliquify.ErrorCode.__args__) == cliquify.CODES


def test_header_code_api(import_api: Any) -> None:
    _, api = import_api(CASE["header_code"])
    err = api.from_response(404, b'{"msg": "gone"}', [("X-Error-Code", "NoSuchBucket"), ("X-Request-Id", "r-9")])
    assert type(err) is api.NoSuchBucketError and err.request_id == "r-9" and err.message == "gone"
    assert api.ClassError.CODE == "class"  # a keyword code still yields a valid class name
    assert api.HeaderApi2faRequiredError.CODE == "2fa.required"  # a leading digit too
    assert api.NoSuchKeyError.DEPRECATED == "use NoSuchBucket"
    ruled = api.from_response(403, b'{"msg": "Quota exhausted"}')
    assert type(ruled) is api.QuotaExceededError and ruled.retryable


def test_problem_json(import_api: Any) -> None:
    _, api = import_api(CASE["problem_json"])
    body = {
        "type": "https://example.com/probs/out-of-credit",
        "title": "You do not have enough credit.",
        "detail": "Your current balance is 30, but that costs 50.",
        "instance": "/account/12345/msgs/abc",
        "status": 403,
    }
    err = api.from_response(403, json.dumps(body))
    assert type(err) is api.OutOfCreditError
    assert err.message == "Your current balance is 30, but that costs 50."
    assert err.request_id == "/account/12345/msgs/abc"
    assert err.hint == "Top up the account, then retry."
    blank = api.from_response(404, b'{"title": "Not Found", "status": 404}')
    assert type(blank) is api.BlankNotFoundError and blank.code == "about:blank"


def test_success_flag(import_api: Any) -> None:
    _, api = import_api(CASE["success_flag"])
    assert api.from_response(200, b'{"ok": true}') is None
    err = api.from_response(200, b'{"ok": false, "error": "channel_not_found"}')
    assert type(err) is api.ChannelNotFoundError and err.status == 200
    assert type(api.from_response(200, b'{"ok": false, "error": "brand_new"}')) is api.SlackishError
    assert api.from_response(200, b'{"ok": 0, "error": "channel_not_found"}') is None  # 0 is not false


def test_normalised_and_fallback_paths(import_api: Any) -> None:
    _, api = import_api(CASE["fallbacks_normalize"])
    err = api.from_response(400, b'{"__type": "com.amazon.coral#ThrottlingException:http://x", "message": "slow"}')
    assert type(err) is api.ThrottlingExceptionError and err.code == "ThrottlingException"
    assert isinstance(err, api.RateLimitError) and err.retryable
    err = api.from_response(
        400, b'{"error": {"code": "ValidationException", "message": "bad"}}', {"x-amzn-RequestId": "q"}
    )
    assert type(err) is api.ValidationExceptionError and err.request_id == "q" and err.message == "bad"
    hook = api.from_response(400, b"{}", method="post", url="https://h/v1/webhooks")
    assert type(hook).__name__ == "WebhookFailedError"


def test_integer_codes_are_coerced(import_api: Any) -> None:
    _, api = import_api(CASE["integer_codes"])
    for sent in (1001, "1001", 1001.0, " 1001 ", "+1001", "01001"):
        err = api.from_response(400, json.dumps({"errcode": sent, "errmsg": "x"}))
        assert type(err) is api.Numeric1001Error  # a numeric code gets the API prefix
        assert err.code == 1001 and type(err.code) is int
    status, _, body = api.from_response(400, b'{"errcode": 1001}').to_response()
    assert json.loads(body)["errcode"] == 1001
    assert api.CODES == frozenset({0, 1001, 40001}) and api.Numeric1001Error.CODE == 1001
    assert api.classify(400, 1001) is api.Numeric1001Error
    for sent in ("abc", "10.5", 10.5, True, None, [1001], "1" * 5000):  # not an integer: no code
        err = api.from_response(400, json.dumps({"errcode": sent}))
        assert err.code is None and type(err) is api.BadRequestError, sent


@given(
    code=st.integers(-(10**30), 10**30) | st.sampled_from([0, 1001, 40001]),
    form=st.sampled_from(["int", "text", "float", "padded"]),
)
def test_any_integer_code_arrives_as_an_int(import_api: Any, code: int, form: str) -> None:
    """An integer catalogue's codes are ints end to end, however the response sends them."""
    _, api = import_api(CASE["integer_codes"])
    sent: Any = {"int": code, "text": str(code), "float": float(code), "padded": f" {code}\t"}[form]
    err = api.from_response(400, json.dumps({"errcode": sent}))
    expected = int(float(code)) if form == "float" else code
    assert type(err.code) is int and err.code == expected
    known = {1001: api.Numeric1001Error, 40001: api.Numeric40001Error, 0: api.Numeric0Error}
    assert type(err) is known.get(expected, api.BadRequestError)


def _fresh_import(folder: Path, package: str, code: str) -> str:
    """Run ``code`` after importing ``package`` in a new interpreter; its output."""
    script = f"import sys; sys.path.insert(0, {str(folder)!r}); import {package} as pkg\n{code}"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout


def _synthetic_package(root: Path, errors: int) -> tuple[Path, str]:
    """A generated package of ``errors`` synthetic codes: (its folder, its name)."""
    from bench.synthetic import write_specs
    from errorsdk.output.write import write_package
    from errorsdk.pipeline import generate_package

    output = generate_package(write_specs(root / "specs", 1, errors)[0])
    write_package(root / "out", output)
    return root / "out" / output.package, output.package


def test_a_fresh_import_holds_every_class_and_loads_a_pickle(tmp_path: Path) -> None:
    """Every code's class is a plain module attribute from the import on (no module
    ``__getattr__``, nothing made later); a pickle made in one interpreter loads in another."""
    folder, package = _synthetic_package(tmp_path, 30)
    out = _fresh_import(
        folder,
        package,
        (
            "names = [c.__name__ for c in pkg.ERROR_CLASSES]\n"
            "print(len(names), all(n in vars(pkg.errors) and n in vars(pkg) for n in names))\n"
            "print(hasattr(pkg.errors, '__getattr__'), hasattr(pkg, '__getattr__'))\n"
            "import pickle\n"
            'print(pickle.dumps(pkg.from_response(409, b\'{"error": {"code": "conflict_case_00002"}}\')).hex())\n'
        ),
    ).splitlines()
    assert out[:2] == ["30 True", "False False"]
    loaded = _fresh_import(
        folder,
        package,
        (
            f"import pickle; err = pickle.loads(bytes.fromhex({out[2]!r}))\n"
            "print(type(err) is pkg.ConflictCase00002Error, err.code, isinstance(err, pkg.ConflictError))\n"
        ),
    )
    assert loaded == "True conflict_case_00002 True\n"
    for where in (package, f"{package}.errors"):
        missing = _fresh_import(
            folder,
            package,
            (
                f"import importlib; module = importlib.import_module({where!r})\n"
                "try: module.NoSuchError\n"
                "except AttributeError as exc: print(exc)\n"
            ),
        )
        assert missing == f"module {where!r} has no attribute 'NoSuchError'\n"


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_class_is_a_class_statement_in_errors(spec: Path, import_api: Any) -> None:
    """Go-to-definition and ``inspect.getsource`` land on each class's ``class`` statement
    in errors.py, whose constants and docstring are the class's own; no stub beside it."""
    checked, api = import_api(spec)
    source = Path(api.errors.__file__)
    assert source.name == "errors.py" and not list(source.parent.glob("*.pyi"))
    tree = ast.parse(source.read_text("utf-8"))
    statements = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    classes = [v for v in vars(api.errors).values() if isinstance(v, type) and v.__module__ == api.errors.__name__]
    assert set(api.ERROR_CLASSES) <= set(classes) and len(api.ERROR_CLASSES) == len(checked.spec.errors)
    for cls in classes:
        node = statements[cls.__name__]
        lines, first = inspect.getsourcelines(cls)
        assert (inspect.getsourcefile(cls), first) == (str(source), node.lineno), cls.__name__
        bases = ", ".join(ast.unparse(b) for b in node.bases)
        assert lines[0] == f"class {cls.__name__}({bases}):\n"
        assert [b.__name__ for b in cls.__bases__] == [ast.unparse(b).partition("[")[0] for b in node.bases]
        assert inspect.cleandoc(ast.get_docstring(node) or "") == inspect.getdoc(cls)
        for stmt in node.body:  # each constant the statement sets is the class's value
            if isinstance(stmt, ast.AnnAssign) and stmt.value is not None and not isinstance(stmt.value, ast.Call):
                assert vars(cls)[ast.unparse(stmt.target)] == ast.literal_eval(stmt.value), cls.__name__
    for cls in api.ERROR_CLASSES:  # CODE and STATUS typed as their Literal values
        hints = typing.get_type_hints(cls)
        for name in ("CODE", "STATUS"):
            value = vars(cls)[name]
            expected = typing.ClassVar[None] if value is None else typing.ClassVar[typing.Literal[value]]
            assert hints[name] == expected, (cls.__name__, name)


def _calls(run: Any) -> tuple[Any, list[Any]]:
    """``run()``'s result, and the code object of every Python function it called, in order
    (what a debugger's breakpoints see)."""
    seen: list[Any] = []

    def tracer(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            seen.append(frame.f_code)

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = run()
    finally:
        sys.settrace(previous)
    return result, seen


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_dispatch_constructs_through_init_and_reads_with_the_envelope_readers(spec: Path, import_api: Any) -> None:
    """Every error dispatch returns was made by its class's ``__init__`` (a breakpoint
    there hits), and the fields were read by ``_envelope``'s readers: dispatch holds no
    copy of them, nor another way to make an error."""
    checked, api = import_api(spec)
    base = getattr(api, checked.class_prefix + "Error")
    group = next(
        (c for c in vars(api.errors).values() if isinstance(c, type) and issubclass(c, BaseExceptionGroup)), None
    )
    envelope, dispatch = api._envelope, api._dispatch
    readers = {name: f for name, f in vars(envelope).items() if name.startswith("read_") and callable(f)}
    used = {name for name in readers if name in vars(dispatch)}
    assert all(vars(dispatch)[name] is readers[name] for name in used)
    tree = ast.parse(Path(dispatch.__file__).read_text("utf-8"))
    for node in ast.walk(tree):  # no instance made past __init__, no reader's expression inlined
        assert not (isinstance(node, ast.Attribute) and node.attr in {"__dict__", "__new__"}), ast.unparse(node)
        assert not (isinstance(node, ast.Name) and node.id in {"_new", "_new_group"})
    inits = {base.__init__.__code__} | ({group.__init__.__code__} if group else set())
    for cls in api.ERROR_CLASSES[:25]:
        status, headers, body = cls().to_response()
        error, seen = _calls(lambda s=status, b=body, h=headers: api.from_response(s, b, h))
        assert isinstance(error, base)
        members = list(error.exceptions) if group is not None and isinstance(error, group) else []
        assert sum(code in inits for code in seen) == 1 + len(members), cls.__name__
        called = {code for code in seen}
        for name in used & {"read_code", "read_message", "read_detail"}:
            assert readers[name].__code__ in called, (cls.__name__, name)


_POSITIONAL = (
    "status",
    "code",
    "detail",
    "headers",
    "body",
    "request_id",
)  # after the message, as dispatch passes them


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    message=st.one_of(st.none(), st.text(max_size=20)),
    status=st.one_of(st.none(), st.integers(100, 599)),
    code=st.one_of(st.none(), st.text(max_size=10)),
    detail=st.one_of(st.none(), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3)),
    headers=st.one_of(
        st.none(), st.dictionaries(st.sampled_from(["X-A", "Authorization", "retry-after"]), st.text(max_size=8))
    ),
    body=st.one_of(st.none(), st.binary(max_size=20), st.text(max_size=20)),
    request_id=st.one_of(st.none(), st.text(max_size=10)),
)
def test_positional_construction_is_the_keyword_construction(
    spec: Path,
    import_api: Any,
    message: Any,
    status: Any,
    code: Any,
    detail: Any,
    headers: Any,
    body: Any,
    request_id: Any,
) -> None:
    """Dispatch passes what it read by position; ``__init__``'s first parameters take it in
    that order, so an error made so is the error made with keywords, whichever class."""
    checked, api = import_api(spec)
    base = getattr(api, checked.class_prefix + "Error")
    values = (status, code, detail, headers, body, request_id)
    names = list(inspect.signature(base.__init__).parameters)[2 : 2 + len(_POSITIONAL)]
    assert tuple(names) == _POSITIONAL  # the order _dispatch relies on
    for cls in (base, *api.ERROR_CLASSES[:5]):
        by_position = cls(message, *values)
        by_keyword = cls(message, **dict(zip(_POSITIONAL, values)))
        assert vars(by_position) == vars(by_keyword) and by_position.args == by_keyword.args == (by_position.message,)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_class_pickles_copies_and_formats(spec: Path, import_api: Any) -> None:
    checked, api = import_api(spec)
    base = getattr(api, checked.class_prefix + "Error")
    for cls in all_classes(api, base):
        members = ([base("member", code="m")],) if issubclass(cls, ExceptionGroup) else ()  # a group's errors
        err = cls(
            "msg " + cls.__name__,
            *members,
            status=499,
            code="c",
            detail={"a": [1]},
            headers={"Cookie": "s=1", "A": "b"},
            body=b"x" * 500,
            request_id="rid",
        )
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(err, protocol=protocol))
            assert type(again) is cls
            assert again.__dict__ == err.__dict__
            assert str(again) == str(err)
        clone = copy.deepcopy(err)
        assert type(clone) is cls and clone.__dict__ == err.__dict__
        assert err.headers["cookie"] == "[redacted]"
        assert b"s=1" not in pickle.dumps(err) and "s=1" not in repr(err)
        assert len(repr(err)) < 400  # the 500-byte body is truncated
        assert "msg " + cls.__name__ in "".join(traceback.format_exception(err))
        hash(err)
        assert {err: 1}[err] == 1


def test_logging_exception_keeps_secrets_out(import_api: Any, caplog: pytest.LogCaptureFixture) -> None:
    _, flux = import_api(SEED["flux"])
    err = flux.from_response(
        403, b'{"error_code": "access_denied", "message": "no"}', {"Authorization": "Bearer sk-123"}
    )
    try:
        raise err
    except flux.FluxError:
        logging.getLogger("t").exception("failed: %r", err)
    assert "sk-123" not in caplog.text and "access_denied" in caplog.text


def test_raise_for_response(import_api: Any) -> None:
    _, flux = import_api(SEED["flux"])
    flux.raise_for_response(200, b"{}")
    with pytest.raises(flux.AccessDeniedError):
        flux.raise_for_response(403, b'{"error_code": "access_denied", "message": "no"}')


def test_dispatch_is_thread_safe(import_api: Any) -> None:
    _, flux = import_api(SEED["flux"])
    bodies = [
        (404, b'{"error_code": "route_not_found"}', "RouteNotFoundError"),
        (422, b'{"error_code": "validation_error", "detail": []}', "FluxValidationError"),
        (502, b"<html>", "ServiceUnavailableError"),
    ]
    failures: list[str] = []

    def work() -> None:
        for _ in range(300):
            for status, body, name in bodies:
                got = type(flux.from_response(status, body)).__name__
                if got != name:
                    failures.append(got)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.one_of(st.none(), st.integers(min_value=-5, max_value=1000)),
    body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()), st.text(max_size=50)),
    headers=st.one_of(st.none(), st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3)),
)
def test_from_response_never_raises(spec: Path, import_api: Any, status: Any, body: Any, headers: Any) -> None:
    checked, api = import_api(spec)
    base = getattr(api, checked.class_prefix + "Error")
    err = api.from_response(status, body, headers)
    assert err is None or isinstance(err, base)
    if isinstance(status, int) and status >= 400:
        assert isinstance(err, base)


def _rebuilt(err: Any) -> Any:
    """``err`` built again through its class's constructor, from its public attributes."""
    first = (err.message, err.errors) if isinstance(err, ExceptionGroup) else (err.message,)
    extra = {"data": err.data} if hasattr(err, "data") else {}
    if "x-should-retry" in err.headers:  # else the class (or a group's members) decides
        extra["retryable"] = err.retryable
    if hasattr(type(err), "SUB_CODE") and not isinstance(err, ExceptionGroup):  # issue 18 section 2
        extra["sub_code"] = err.sub_code
    if hasattr(type(err), "TYPE") and not isinstance(err, ExceptionGroup):
        extra["kind"] = err.kind
    again = type(err)(
        *first,
        status=err.status,
        code=err.code,
        detail=err.raw_detail,
        headers=err.headers,
        body=err.body,
        request_id=err.request_id,
        retry_after=err.retry_after,
        rate_limit=err.rate_limit,
        request_method=err.request_method,
        request_url=err.request_url,
        **extra,
    )
    # A response without a sub-code (or type) on a class that has one: the constructor's
    # None means the class's, so the None the response carried is set as dispatch sets it.
    for name, constant in (("sub_code", "SUB_CODE"), ("kind", "TYPE")):
        if name in vars(err) and getattr(err, name) is None and getattr(type(err), constant, None) is not None:
            setattr(again, name, None)
    return again


def _assert_built_as_constructed(err: Any) -> None:
    # Dispatch fills the instance's __dict__ itself instead of calling __init__;
    # the two must leave the same state (and the same args), member errors too.
    again = _rebuilt(err)
    assert vars(err) == vars(again)
    if isinstance(err, ExceptionGroup):  # an ExceptionGroup's args: its message and its errors
        assert err.args == again.args == (err.message, err.exceptions)
        assert again.exceptions == err.exceptions
    else:
        assert err.args == again.args == (err.message,)
    for member in getattr(err, "errors", ()):
        _assert_built_as_constructed(member)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_dispatch_builds_what_the_constructor_builds(spec: Path, import_api: Any) -> None:
    checked, api = import_api(spec)
    seen: set[type] = set()
    for cls in api.ERROR_CLASSES:
        status, headers, body = cls("Boom", request_id="req-1", detail=None).to_response()
        headers = {**headers, "Retry-After": "3", "X-Request-Id": "req-2", "Authorization": "Bearer x"}
        for extra in ({}, {"method": "post", "url": "https://u:p@api.example.com/v1/x?token=1"}):
            err = api.from_response(status, body, headers, **extra)
            assert err is not None
            seen.update(type(one) for one in (err, *getattr(err, "errors", ())))
            _assert_built_as_constructed(err)
    assert len(seen) > 1  # the check ran on real dispatch results, not one fallback


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.one_of(st.none(), st.integers(min_value=100, max_value=599)),
    body=st.one_of(st.binary(max_size=100), json_values.map(lambda v: json.dumps(v).encode())),
    headers=st.dictionaries(
        st.sampled_from(["retry-after", "x-should-retry", "x-request-id", "cookie", "x"]),
        st.text(max_size=6),
        max_size=3,
    ),
)
def test_dispatch_state_matches_constructor_on_any_response(
    spec: Path, import_api: Any, status: Any, body: Any, headers: Any
) -> None:
    _, api = import_api(spec)
    err = api.from_response(status, body, headers)
    if err is not None:
        _assert_built_as_constructed(err)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_error_class_has_type_hints_that_resolve(spec: Path, import_api: Any) -> None:
    """typing.get_type_hints (what dataclass-like tools and doc generators call) works on every class."""
    _, api = import_api(spec)
    classes = {v for v in vars(api.errors).values() if isinstance(v, type) and issubclass(v, BaseException)}
    for cls in sorted(classes | set(api.ERROR_CLASSES), key=lambda c: c.__name__):
        hints = typing.get_type_hints(cls)
        assert hints["rate_limit"] == api.RateLimit | None, cls.__name__
        if getattr(cls, "CODE", None) is not None and cls in api.ERROR_CLASSES:
            assert hints["CODE"] == typing.ClassVar[typing.Literal[cls.CODE]], cls.__name__


def test_every_text_a_pattern_searches_is_bounded(import_api: Any) -> None:
    """A rule sees a message's first _MATCH_LIMIT characters (and a path's); normalize
    skips a code longer than _NORMALIZE_LIMIT, which is kept whole: a hostile server's
    megabyte costs no more than its first kilobyte."""
    _, headers = import_api(CASE["header_code"])
    limit = headers._dispatch._MATCH_LIMIT
    near = headers.from_response(403, json.dumps({"msg": "quota" + "x" * 10**6}), {"x-error-code": "Nope"})
    far = headers.from_response(403, json.dumps({"msg": "x" * limit + "quota"}), {"x-error-code": "Nope"})
    assert type(near) is headers.QuotaExceededError and len(near.message) == 10**6 + 5
    assert type(far) is not headers.QuotaExceededError and len(far.message) == limit + 5  # kept whole
    _, ordered = import_api(CASE["fallbacks_normalize"])
    code_limit = ordered._envelope._NORMALIZE_LIMIT
    long_code = "com.amazon#ThrottlingException" + ":" * (code_limit * 40)
    err = ordered.from_response(400, json.dumps({"__type": long_code}))
    assert err.code == long_code  # not normalised, nothing lost
    short = ordered.from_response(400, json.dumps({"__type": long_code[:code_limit]}))
    assert short.code == "ThrottlingException"
    path = "/" + "a" * (limit * 10) + "/webhooks"
    body = b'{"__type": "ValidationException"}'
    assert (
        type(ordered.from_response(400, body, method="post", url="https://h" + path))
        is ordered.ValidationExceptionError
    )
    assert (
        type(ordered.from_response(400, body, method="post", url="https://h/a/webhooks")).__name__
        == "WebhookFailedError"
    )
