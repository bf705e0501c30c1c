"""Several errors in one response: the group class is an ExceptionGroup of typed errors.

``except*`` splits it by member class, every part keeping what the response carried;
a response with one error is that error, caught by its class with a plain ``except``.
"""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ALL_SPECS, SPECS, spec_id

GRAPHQL = next(p for p in SPECS if p.stem == "flow_graphql")


def _group_specs() -> list[Path]:
    """The specs whose bodies hold a list of errors (so their packages have a group class)."""
    import yaml

    return [p for p in ALL_SPECS if "items" in (yaml.safe_load(p.read_text("utf-8")).get("envelope") or {})]


GROUP_SPECS = _group_specs()


def _api(import_api: Any, spec: Path) -> tuple[Any, type, type]:
    checked, api = import_api(spec)
    base = getattr(api, checked.class_prefix + "Error")
    return api, base, getattr(api, checked.class_prefix + "ErrorGroup")


def _classes(api: Any, base: type, group: type) -> list[type]:
    found = {getattr(api, name) for name in api.__all__}
    return sorted(
        (c for c in found if isinstance(c, type) and issubclass(c, base) and c is not group), key=lambda c: c.__name__
    )


FIELDS = dict(
    status=207,
    headers={"X-Trace": "t1", "Authorization": "Bearer secret"},
    body=b'{"errors": []}',
    request_id="req-9",
    retry_after=2.5,
    request_method="post",
    request_url="https://api.example.com/q?token=s",
    data={"partial": [1, 2]},
)


def test_group_specs_exist() -> None:
    assert {p.stem for p in GROUP_SPECS} >= {"flow_graphql", "top_level_array", "orjson_parser"}


@pytest.mark.parametrize("spec", GROUP_SPECS, ids=spec_id)
def test_group_is_an_exception_group_and_an_error_of_the_api(spec: Path, import_api: Any) -> None:
    api, base, group_class = _api(import_api, spec)
    assert issubclass(group_class, ExceptionGroup) and issubclass(group_class, base)
    members = [cls(f"m{i}") for i, cls in enumerate(_classes(api, base, group_class)[:3])]
    group = group_class("several", members, **FIELDS)
    assert group.exceptions == group.errors == tuple(members)
    assert group.message == "several" and group.args == ("several", tuple(members))
    assert group.code == members[0].code and group.retryable == all(m.retryable for m in members)
    assert (
        group.headers["authorization"] == "[redacted]"
        and group.request_url == "https://api.example.com/q?token=[redacted]"
    )
    for caught in (base, group_class, Exception):
        try:
            raise group
        except caught as error:  # a plain except catches the whole group
            assert error is group
    with pytest.raises(ValueError):
        group_class("none", [])  # an ExceptionGroup holds at least one error
    with pytest.raises(TypeError, match="holds"):
        group_class("foreign", [ValueError("x")])
    assert group_class(None, members).message == group_class.DEFAULT_MESSAGE


def _parts(eg: BaseExceptionGroup[Any] | None) -> list[BaseException]:
    """The leaves of a (possibly nested) exception group, in order."""
    if eg is None:
        return []
    found: list[BaseException] = []
    for each in eg.exceptions:
        found += _parts(each) if isinstance(each, BaseExceptionGroup) else [each]
    return found


def _shared(error: BaseException) -> dict[str, Any]:
    """What every part of a group keeps: its state, but for what its own errors decide."""
    return {k: v for k, v in vars(error).items() if k not in ("code", "retryable", "__notes__")}


@pytest.mark.parametrize("spec", GROUP_SPECS, ids=spec_id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_split_and_except_star_keep_the_groups_attributes(spec: Path, import_api: Any, data: st.DataObject) -> None:
    """Whatever the members and whichever class is matched: every member lands in exactly
    one side, in order; each part is the group's class with the group's status, headers,
    body, request id, data and retry advice, and the code and retryable of its errors;
    ``except*`` hands the same parts to its handlers."""
    api, base, group_class = _api(import_api, spec)
    classes = _classes(api, base, group_class)
    kinds = data.draw(st.lists(st.sampled_from(classes), min_size=2, max_size=6), label="members")
    members = [cls(f"m{i}", code=f"c{i}", retryable=data.draw(st.booleans())) for i, cls in enumerate(kinds)]
    fields = {k: v for k, v in FIELDS.items() if data.draw(st.booleans(), label=k)}
    group = group_class("several", members, **fields)
    group.add_note("a note")
    matcher = data.draw(st.sampled_from(classes + [base]), label="matcher")
    match, rest = group.split(matcher)
    order = [id(m) for m in members]
    for side in (match, rest):  # each side keeps the members' order
        ids = [id(e) for e in _parts(side)]
        assert ids == sorted(ids, key=order.index)
    assert sorted(map(id, _parts(match) + _parts(rest))) == sorted(order)
    assert all(isinstance(e, matcher) for e in _parts(match))
    assert not any(isinstance(e, matcher) for e in _parts(rest))
    for part in (match, rest):
        if part is None:
            continue
        assert type(part) is group_class and part.message == group.message
        assert _shared(part) == _shared(group)
        assert part.code == part.errors[0].code and part.retryable == all(e.retryable for e in part.errors)
        assert part.__notes__ == ["a note"]
        again = pickle.loads(pickle.dumps(part))
        assert type(again) is group_class and vars(again) == vars(part)
    handled: list[BaseException] = []
    try:
        raise group
    except* matcher as eg:
        handled.append(eg)
    except* base as eg:
        handled.append(eg)
    assert [_parts(e) for e in handled] == [_parts(part) for part in (match, rest) if part is not None]
    assert [_shared(e) for e in handled] == [_shared(group)] * len(handled)
    assert sum(len(_parts(e)) for e in handled) == len(members)


def test_except_star_handles_each_member_class_of_a_graphql_response(import_api: Any) -> None:
    api, base, group_class = _api(import_api, GRAPHQL)
    payload = {
        "data": {"flow": {"id": 7}, "runs": None},
        "errors": [
            {"message": 'Variable "$input" got invalid value', "extensions": {"code": "BAD_USER_INPUT"}},
            {"message": "Run failed", "extensions": {"code": "RUN_FAILED"}},
            {"message": "Expected type Int", "extensions": {"code": "BAD_USER_INPUT"}},
        ],
    }
    body = json.dumps(payload).encode()
    headers = {"X-Should-Retry": "true", "Retry-After": "4"}
    seen: dict[str, Any] = {}
    try:
        api.raise_for_response(200, body, headers, method="POST", url="https://flow.example/graphql?key=k")
    except* api.ValidationError as invalid:  # the payload-mismatch errors
        seen["invalid"] = invalid
    except* api.UnknownError as other:  # the rest: GraphQL errors of a 200
        seen["other"] = other
    invalid, other = seen["invalid"], seen["other"]
    assert [type(e).__name__ for e in invalid.exceptions] == ["PayloadMismatchError", "PayloadMismatchError"]
    assert [type(e).__name__ for e in other.exceptions] == ["GraphqlResponseError"]
    for part in (invalid, other):
        assert isinstance(part, group_class)
        assert part.data == payload["data"] and part.status == 200 and part.body == body
        assert part.headers == {"x-should-retry": "true", "retry-after": "4"}
        assert part.request_method == "POST" and part.request_url == "https://flow.example/graphql?key=[redacted]"
        assert part.retryable is True and part.retry_after == 4.0  # the server's advice, on every part
        for error in part.exceptions:  # and on every error, with the data
            assert (error.retryable, error.retry_after, error.data) == (True, 4.0, payload["data"])
            assert error.request_url == part.request_url
    assert (invalid.code, other.code) == ("BAD_USER_INPUT", "RUN_FAILED")
    # Nested in a foreign group, the GraphQL group still splits and keeps its data.
    outer = ExceptionGroup("batch", [api.from_response(200, body), KeyError("k")])
    match, rest = outer.split(api.ValidationError)
    assert type(match.exceptions[0]) is group_class and match.exceptions[0].data == payload["data"]
    assert isinstance(rest.exceptions[1], KeyError)
    assert type(api.from_response(200, body).derive([KeyError("k")])) is ExceptionGroup  # not ours to hold


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_group_pickles_and_copies_whole(import_api: Any, protocol: int) -> None:
    api, _, group_class = _api(import_api, GRAPHQL)
    body = json.dumps({"data": {"a": 1}, "errors": [{"message": "payload wrong"}, {"message": "b"}]}).encode()
    group = api.from_response(200, body, {"Retry-After": "1"}, method="post", url="https://x/graphql")
    group.add_note("seen")
    for again in (pickle.loads(pickle.dumps(group, protocol=protocol)), copy.deepcopy(group), copy.copy(group)):
        assert type(again) is group_class and again is not group
        assert vars(again) == vars(group) and again.args[0] == group.args[0] == group.message
        assert str(again) == str(group) and again.__notes__ == ["seen"]
        assert [type(e) for e in again.exceptions] == [type(e) for e in group.exceptions]
        assert [vars(e) for e in again.exceptions] == [vars(e) for e in group.exceptions]
    clone = copy.deepcopy(group)
    assert clone.data == group.data and clone.data is not group.data
    assert all(e.data is clone.data for e in clone.exceptions)  # still one data, shared


def test_group_keeps_its_args_and_message_through_the_base_init(import_api: Any) -> None:
    """The group's fields are set by the base class's ``__init__`` (one way to make an
    error), which leaves the ExceptionGroup's (message, errors) as they were."""
    api, _, group_class = _api(import_api, GRAPHQL)
    body = json.dumps({"errors": [{"message": "a"}, {"message": "b"}]}).encode()
    group = api.from_response(200, body, {})
    assert type(group) is group_class
    assert group.args == (group.message, group.exceptions) and group.message.startswith("2 errors")
    assert "message" not in vars(group)
    with pytest.raises(AttributeError):
        group.message = "another"


GRAPHQL_STATUSES = [200, 400, 401, 403, 404, 429, 500, 502]
messages = st.one_of(
    st.sampled_from(["Unauthorized", "payload does not fit", 'Variable "$x" got invalid value', "boom", ""]),
    st.text(max_size=30),
    st.none(),
)
items = st.fixed_dictionaries(
    {"message": messages},
    optional={
        "extensions": st.fixed_dictionaries({}, optional={"code": st.sampled_from(["UNAUTHENTICATED", "X", ""])})
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(GRAPHQL_STATUSES), first=items, second=items, data=st.none() | st.just({"k": 1}))
def test_one_error_is_its_own_class_and_a_groups_members_are_the_same(
    import_api: Any, status: int, first: dict[str, Any], second: dict[str, Any], data: Any
) -> None:
    """A response with one error raises that error's class (caught by a plain ``except``),
    with the response's data; in a response with more, each member is the error its
    item would be alone."""
    api, base, group_class = _api(import_api, GRAPHQL)
    alone = [
        api.from_response(status, json.dumps({"errors": [item], "data": data}).encode()) for item in (first, second)
    ]
    for error, item in zip(alone, (first, second)):
        assert not isinstance(error, BaseExceptionGroup) and isinstance(error, base)
        assert error.data == data
        try:
            api.raise_for_response(status, json.dumps({"errors": [item], "data": data}).encode())
        except type(error) as caught:  # its own class, with a plain except
            assert type(caught) is type(error) and vars(caught) == vars(error)
    both = api.from_response(status, json.dumps({"errors": [first, second], "data": data}).encode())
    assert type(both) is group_class and both.data == data
    assert [type(e) for e in both.exceptions] == [type(e) for e in alone]
    keys = ("message", "status", "code", "raw_detail", "retryable", "data")
    assert [[getattr(e, k) for k in keys] for e in both.exceptions] == [[getattr(e, k) for k in keys] for e in alone]


def test_graphql_401_with_one_error_is_caught_by_its_class(import_api: Any) -> None:
    api, base, group_class = _api(import_api, GRAPHQL)
    body = json.dumps(
        {"errors": [{"message": "Unauthorized", "extensions": {"code": "UNAUTHENTICATED"}}], "data": {"viewer": None}}
    ).encode()
    with pytest.raises(api.UnauthorizedError) as caught:
        api.raise_for_response(401, body)
    assert type(caught.value) is api.UnauthorizedError and isinstance(caught.value, api.AuthenticationError)
    assert caught.value.code == "UNAUTHENTICATED" and caught.value.data == {"viewer": None}
    assert caught.value.body == body
    try:  # and except* still works: Python wraps a lone error in a plain ExceptionGroup
        api.raise_for_response(401, body)
    except* api.AuthenticationError as eg:
        assert type(eg.exceptions[0]) is api.UnauthorizedError and eg.exceptions[0].data == {"viewer": None}


# --- the classify memo (what keeps a group's eager classification cheap) -------------

MEMO_SPECS = [p for p in ALL_SPECS if p.stem in ("flow_graphql", "flowlu")]


def _dispatch_module(import_api: Any, spec: Path) -> Any:
    import importlib

    _, api = import_api(spec)
    return importlib.import_module(api.__name__ + "._dispatch")


@pytest.mark.parametrize("spec", MEMO_SPECS, ids=spec_id)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_classify_memo_answers_as_the_rules_do(spec: Path, import_api: Any, data: st.DataObject) -> None:
    """From a few statuses, codes, messages, methods and URLs, calls that differ only in
    what a rule looks at: the memoised answer is always the rules' own (so the memo's
    key holds everything an answer depends on)."""
    dispatch = _dispatch_module(import_api, spec)
    assert dispatch.RULES and isinstance(dispatch._CLASSIFIED, dict)
    dispatch._CLASSIFIED.clear()
    words = sorted({w for rule in dispatch.RULES for w in rule.literals or ()} | {"plain", ""})
    calls = st.tuples(
        st.sampled_from([200, 403]),
        st.sampled_from([None, "x"]),
        st.sampled_from([None, *words[:4]]),
        st.sampled_from([None, "POST", "post", "GET"]),
        st.sampled_from([None, "https://a.example/api/v1/module/webhooks?k=1", "https://a.example/api/v1/tasks"]),
    )
    for call in data.draw(st.lists(calls, min_size=1, max_size=20)):
        assert dispatch.classify(*call) is dispatch._classify(*call), call
    assert len(dispatch._CLASSIFIED) <= dispatch._MAX_CLASSIFIED


def test_classify_memo_is_bounded(import_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    dispatch = _dispatch_module(import_api, GRAPHQL)
    dispatch._CLASSIFIED.clear()
    monkeypatch.setattr(dispatch, "_MAX_CLASSIFIED", 5)
    answers = [dispatch.classify(200, None, f"message {i} payload" * (i % 2)) for i in range(20)]
    assert len(dispatch._CLASSIFIED) == 5  # full: the rest are worked out each time, right
    assert answers == [dispatch._classify(200, None, f"message {i} payload" * (i % 2), None, None) for i in range(20)]
    dispatch._CLASSIFIED.clear()
    long = "payload " * 100
    assert dispatch.classify(400, None, long) is dispatch._classify(400, None, long, None, None)
    assert dispatch._CLASSIFIED == {}  # a long message is not kept
    dispatch._CLASSIFIED.clear()


def test_group_takes_the_base_classes_first_fields_by_position(import_api: Any) -> None:
    """After its message and errors, the group takes status, code, detail, headers, body and
    request_id by position, in the base class's order (dispatch passes them so), as by keyword."""
    api, base, group_class = _api(import_api, GRAPHQL)
    members = [base("a", 400, "X"), base("b", 400, "Y", retryable=True)]
    headers = {"X-Trace": "t1", "Authorization": "Bearer secret"}
    by_position = group_class("two", members, 400, None, {"d": 1}, headers, b"{}", "req-1", data={"k": 1})
    by_keyword = group_class(
        "two", members, status=400, detail={"d": 1}, headers=headers, body=b"{}", request_id="req-1", data={"k": 1}
    )
    assert vars(by_position) == vars(by_keyword)
    assert by_position.code == "X" and by_position.retryable is False and by_position.raw_detail == {"d": 1}
    assert by_position.headers["authorization"] == "[redacted]" and by_position.request_id == "req-1"
    assert by_position.args == ("two", tuple(members)) and by_position.message == "two"
    assert group_class("two", [members[1]]).retryable is True
