"""The Python reference dispatch (what ``validate`` dispatches examples with) agrees with
the generated ``from_response`` on every bundled and case spec, over random responses
shaped by each spec's own envelope, codes, rules and statuses."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.model.build import build_model
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.paths import EnvelopePath as EnvPath
from errorsdk.spec.paths import Select, Step
from errorsdk.spec.reference_dispatch import Outcome, Reference, parsed_body

from .conftest import ALL_SPECS, spec_id

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _put(doc: Any, steps: tuple[Step, ...], value: Any) -> Any:
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if isinstance(head, Select):  # into the first element it passes, else a new one
        items = doc if isinstance(doc, list) else []
        at = next((i for i, item in enumerate(items) if head.test(item)), None)
        if at is None:
            items.append({head.key: head.value} if head.key is not None else None)
            at = len(items) - 1
        items[at] = _put(items[at], rest, value)
        return items
    if isinstance(head, int):
        items = doc if isinstance(doc, list) else []
        index = max(head, 0)
        while len(items) <= index:
            items.append(None)
        items[index] = _put(items[index], rest, value)
        return items
    obj = doc if isinstance(doc, dict) else {}
    obj[head] = _put(obj.get(head), rest, value)
    return obj


def _regex_text(pattern: str) -> st.SearchStrategy[str]:
    try:
        return st.from_regex(re.compile(pattern)).map(lambda s: s[:60])
    except Exception:  # noqa: BLE001 - a pattern Hypothesis cannot generate from
        return st.nothing()


class Shapes:
    """Strategies for the responses of one spec."""

    def __init__(self, checked: CheckedSpec) -> None:
        api = build_model(checked)
        self.checked = checked
        found = {e.code for e in api.errors if e.code is not None} | {r.code for r in api.rules if r.code}
        codes = sorted(str(c) for c in found)  # as text: integer codes are also sent as strings
        code_texts = st.sampled_from(codes) if codes else st.nothing()
        numeric = [int(c) for c in codes if c.lstrip("-").isdigit()]
        messages = [_regex_text(r.message) for r in api.rules if r.message is not None]
        messages += [st.sampled_from(r.message_literals) for r in api.rules if r.message_literals]
        self.values: dict[str, st.SearchStrategy[Any]] = {
            "code": st.one_of(
                code_texts,
                code_texts.map(lambda c: f"ns#{c}:x"),
                st.sampled_from(numeric) if numeric else st.nothing(),
                st.text(max_size=6),
                st.integers(-3, 1000),
                st.floats(allow_nan=False, allow_infinity=False),
                st.booleans(),
                st.none(),
                json_values,
            ),
            "message": st.one_of(st.text(max_size=12), *messages, st.none(), st.integers(), json_values),
            "status": st.one_of(
                st.sampled_from([200, 400, 401, 404, 422, 429, 500])
                .map(lambda s: st.just(s) | st.just(str(s)))
                .flatmap(lambda s: s),
                st.integers(0, 700),
                st.none(),
                st.text(max_size=3),
            ),
            "detail": json_values,
            "request_id": st.one_of(st.text(max_size=6), st.integers(), st.none()),
        }
        # issue 18 sections 2, 3: the catalogue's sub-codes and the groups' types, and any value
        keys = {
            "sub_code": sorted({e.sub_code for e in api.errors if e.sub_code is not None}),
            "type": sorted({g.type for g in api.groups if g.type is not None}),
        }
        for field, known in keys.items():
            self.values[field] = st.one_of(
                st.sampled_from(known) if known else st.nothing(), st.text(max_size=6), st.integers(-3, 9), json_values
            )
        separator = checked.spec.envelope.code_prefix
        if separator is not None:  # the code opens the message (issue 18 section 5)
            self.values["message"] = st.one_of(
                self.values["message"],
                code_texts,
                st.tuples(code_texts, st.text(max_size=8)).map(lambda pair: pair[0] + separator + pair[1]),
            )
        statuses = {e.status for e in api.errors if e.status is not None}
        statuses |= {s for r in api.rules for s in r.statuses} | set(checked.spec.fallbacks.status)
        statuses |= {c * 100 + 3 for r in api.rules for c in r.status_classes}
        self.statuses = st.sampled_from(sorted(statuses | {200, 201, 400, 404, 418, 500, 503, 599})) | st.integers(
            100, 599
        )
        methods = sorted({m for r in api.rules for m in r.methods} | {"GET"})
        self.methods = st.none() | st.sampled_from(methods) | st.sampled_from(methods).map(str.lower)
        url_paths = [_regex_text(r.path) for r in api.rules if r.path is not None]
        self.urls = st.none() | st.one_of(st.text(max_size=8), *url_paths).map(
            lambda p: "https://api.test/" + p.lstrip("/").replace("?", "").replace("#", "")
        )

        self.rules = api.rules
        self.errors = api.errors
        self.type_of = api.type_of

    def aimed(self, draw: st.DrawFn) -> tuple[int | None, str | None, str | None, dict[str, Any]]:
        """A third of the time a catalogue entry's code and status, a third a status, method,
        URL and field values that meet a rule's conditions; else nothing fixed."""
        aim = draw(st.integers(0, 2))
        if aim == 1:
            entry = draw(st.sampled_from(self.errors))
            aimed: dict[str, Any] = {} if entry.code is None else {"code": entry.code}
            if entry.sub_code is not None:
                aimed["sub_code"] = entry.sub_code
            kind = self.type_of(entry.class_name)
            if kind is not None:
                aimed["type"] = kind
            return entry.status, None, None, aimed
        if not self.rules or aim == 0:
            return None, None, None, {}
        rule = draw(st.sampled_from(self.rules))
        statuses = [*rule.statuses, *(c * 100 + 2 for c in rule.status_classes)]
        status = draw(st.sampled_from(statuses)) if statuses else None
        method = draw(st.sampled_from(rule.methods)) if rule.methods else None
        url = (
            "https://api.test/" + draw(_regex_text(rule.path)).lstrip("/").replace("?", "").replace("#", "")
            if rule.path
            else None
        )
        values: dict[str, Any] = {}
        if rule.code is not None:
            values["code"] = rule.code
        if rule.message is not None:
            values["message"] = draw(_regex_text(rule.message))
        return status, method, url, values

    def fields(
        self,
        draw: st.DrawFn,
        doc: Any,
        names: tuple[str, ...],
        headers: dict[str, str],
        fixed: dict[str, Any] | None = None,
    ) -> Any:
        fixed = fixed or {}
        separator = self.checked.spec.envelope.code_prefix
        if separator is not None and "code" in fixed and "message" not in fixed:
            fixed = {**fixed, "message": f"{fixed['code']}{separator}{fixed.get('message', 'text')}"}
        for name in names:
            paths: tuple[EnvPath, ...] = self.checked.envelope_paths[name]
            if not paths:
                continue
            chosen = draw(st.lists(st.sampled_from(paths), min_size=name in fixed, max_size=2, unique=True))
            for path in chosen:
                value = fixed[name] if name in fixed and path == chosen[0] else draw(self.values[name])
                if path.header is not None:
                    if value is not None:
                        headers[path.header] = value if isinstance(value, str) else json.dumps(value)
                else:
                    doc = _put(doc, path.steps, value)
        return doc

    def response(self, draw: st.DrawFn, fixed: dict[str, Any]) -> tuple[Any, dict[str, str]]:
        """A parsed body (None: no JSON document) and lower-cased headers; ``fixed``: values
        some fields must have (at the first path drawn for them)."""
        headers: dict[str, str] = {}
        if draw(st.integers(0, 9)) == 0:
            return draw(json_values), headers
        checked = self.checked
        per_item = ("code", "message", "detail", "status", "sub_code", "type")
        doc: Any = None
        if checked.items_path is not None and draw(st.booleans()):
            items = []
            for _ in range(draw(st.integers(0, 3))):
                items.append(
                    self.fields(draw, None, per_item, headers, fixed) if draw(st.integers(0, 5)) else draw(json_values)
                )
            doc = _put(doc, checked.items_path.steps, items)
            doc = self.fields(draw, doc, ("request_id",), headers)
        else:
            doc = self.fields(draw, doc, (*per_item, "request_id"), headers, fixed)
        if checked.data_path is not None and draw(st.booleans()):
            doc = _put(doc, checked.data_path.steps, draw(json_values))
        flag = checked.spec.envelope.error_flag
        if checked.flag_path is not None and flag is not None and draw(st.integers(0, 3)):
            doc = _put(doc, checked.flag_path.steps, draw(st.just(flag.equals) | json_values))
        required = checked.spec.envelope.require  # the discriminator, most of the time (issue 18 section 7)
        if required is not None and draw(st.integers(0, 3)):
            doc = _put(doc, tuple(required.path.split(".")), draw(st.just(required.equals) | json_values))
        return (doc if isinstance(doc, (dict, list)) else None), headers


def _same(outcome: Outcome, err: Any, base: type) -> None:
    if not outcome.errors:
        assert err is None
        return
    assert isinstance(err, base), err
    assert type(err).__name__ == outcome.class_name
    members = err.errors if outcome.group is not None else (err,)
    assert [type(m).__name__ for m in members] == [e.class_name for e in outcome.errors]
    for member, expected in zip(members, outcome.errors):
        assert member.code == (expected.code if expected.code is not None else type(member).CODE)
        if expected.message is not None:
            assert member.message == expected.message
        assert member.status == (expected.status if expected.status is not None else type(member).STATUS)
        assert getattr(member, "raw_detail", None) == expected.detail
        if hasattr(type(member), "SUB_CODE"):  # a package with sub-codes: the one read is kept, None kept None
            assert member.sub_code == expected.sub_code
        if hasattr(type(member), "TYPE"):  # a package with types: the one read is kept, None kept None
            assert member.kind == expected.kind


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_reference_dispatch_agrees_with_the_generated_package(spec: Path, import_api: Any) -> None:
    checked, package = import_api(spec)
    reference = Reference(checked, build_model(checked))
    shapes = Shapes(checked)
    base = getattr(package, checked.class_prefix + "Error")
    reached: set[str] = set()
    xml = sys.modules.get(f"{package.__name__}._xml")

    @settings(max_examples=120, derandomize=True, database=None)  # derandomized: the coverage asserts below never flake
    @given(st.data())
    def agree(data: st.DataObject) -> None:
        status, method, url, fixed = data.draw(st.composite(shapes.aimed)())
        doc, headers = data.draw(st.composite(lambda draw: shapes.response(draw, fixed))())
        status = data.draw(shapes.statuses) if status is None else status
        method = data.draw(shapes.methods) if method is None else method
        url = data.draw(shapes.urls) if url is None else url
        if xml is not None:  # an XML API: the document written as XML, and read as the package reads it
            body = xml.render_body(doc) if isinstance(doc, dict) else b""
            parsed = xml.parse_body(body)
        else:
            body = json.dumps(doc).encode() if doc is not None else b""
            parsed = parsed_body(doc, reference.api)
        got = package.from_response(status, body, headers, method=method, url=url)
        outcome = reference.from_response(status, parsed, headers, method, url)
        _same(outcome, got, base)
        reached.update(e.class_name for e in outcome.errors)
        if outcome.group is not None:
            reached.add("group")

    agree()
    # Not vacuous: the responses reached catalogue classes, the rules' targets, groups.
    assert reached & set(checked.class_names), reached
    if checked.spec.rules:
        assert reached & {
            c for c, e in zip(checked.class_names, checked.error_names) if e in {r.error for r in checked.spec.rules}
        }
    if checked.items_path is not None:
        assert "group" in reached
