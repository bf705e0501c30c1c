"""Every error of every spec: the response its envelope describes dispatches to exactly its class.

Bodies are built here from the spec's own envelope paths, independently of the
generated writer; then the generated ``to_response()`` is round-tripped too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from errorsdk.model.build import build_model
from errorsdk.spec import taxonomy
from errorsdk.spec.checked import CheckedSpec, error_category
from errorsdk.spec.paths import EnvelopePath as EnvPath
from errorsdk.spec.paths import Select

from .conftest import ALL_SPECS, spec_id, xml_runtime

NEUTRAL_MESSAGE = "conformance message 7f3a"


def _put(doc: Any, steps: tuple[Any, ...], value: Any) -> Any:
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if isinstance(head, Select):  # into the first element it passes, else a new one (google_errorinfo)
        items = doc if isinstance(doc, list) else []
        at = next((i for i, item in enumerate(items) if head.test(item)), None)
        if at is None:
            items.append({head.key: head.value} if head.key is not None else None)
            at = len(items) - 1
        items[at] = _put(items[at], rest, value)
        return items
    if isinstance(head, int):
        items = doc if isinstance(doc, list) else []
        while len(items) <= max(head, 0):
            items.append(None)
        items[max(head, 0)] = _put(items[max(head, 0)], rest, value)
        return items
    obj = doc if isinstance(doc, dict) else {}
    obj[head] = _put(obj.get(head), rest, value)
    return obj


def build_response(checked: CheckedSpec, fields: dict[str, Any], status: int) -> tuple[int, dict[str, str], bytes]:
    """A response carrying ``fields`` where the spec's envelope says they sit."""
    env = checked.spec.envelope
    headers: dict[str, str] = {}
    item: Any = None
    doc: Any = None
    used: set[str] = set()
    if env.code_prefix is not None and fields.get("code") is not None:  # issue 18 §5: "CODE : message"
        message = fields.get("message")
        fields = {
            **fields,
            "message": f"{fields['code']}{env.code_prefix}{message}" if message else str(fields["code"]),
        }
    for name, value in fields.items():
        found: tuple[EnvPath, ...] = checked.envelope_paths[name]
        if not found or value is None:
            continue
        # The last fallback path must work as well as the first (unless another
        # field already sits there).
        path = found[-1] if found[-1].text not in used else found[0]
        used.add(path.text)
        if path.header is not None:
            headers[path.header] = str(value)
        elif checked.items_path is not None and name != "request_id":
            item = _put(item, path.steps, value)
        else:
            doc = _put(doc, path.steps, value)
    if checked.items_path is not None:
        doc = _put(doc, checked.items_path.steps, [item if item is not None else {}])
    if env.error_flag is not None:
        doc = _put(doc, checked.flag_path.steps if checked.flag_path else (), env.error_flag.equals)
    if env.require is not None:  # issue 18 §7: the discriminator an error body holds
        doc = _put(doc, tuple(env.require.path.split(".")), env.require.equals)
    if env.format == "xml":  # written as the package's to_response() writes XML
        return status, headers, xml_runtime().render_body(doc) if doc is not None else b""
    body = json.dumps(doc).encode() if doc is not None else b""
    return status, headers, body


def response_status(checked: CheckedSpec, index: int) -> int:
    err = checked.spec.errors[index]
    if err.status is not None:
        return err.status
    env = checked.spec.envelope
    if env.error_flag is not None or env.errors_on_success:
        return 200
    info = taxonomy.BY_NAME[error_category(err)]
    return info.statuses[0] if info.statuses else 500


def reachable(checked: CheckedSpec) -> list[int]:
    """Entries a response reaches through the tables (code, or code-less status)."""
    result = []
    for i, err in enumerate(checked.spec.errors):
        if err.code is not None:
            result.append(i)
        elif err.status is not None and not any(
            e.status == err.status and e.code is None for e in checked.spec.errors[:i]
        ):
            result.append(i)
    return result


def _unwrap(error: Any) -> Any:
    errors = getattr(error, "errors", None)
    if errors is not None:
        assert len(errors) == 1
        return errors[0]
    return error


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_error_dispatches_to_its_class(spec: Path, import_api: Any) -> None:
    checked, api = import_api(spec)
    classes = dict(zip(checked.error_names, api.ERROR_CLASSES))
    assert len(api.ERROR_CLASSES) == len(checked.spec.errors)
    model = build_model(checked)
    for i in reachable(checked):
        err = checked.spec.errors[i]
        cls = classes[checked.error_names[i]]
        code = None if err.code is None else str(err.code)
        # issue 18 sections 2, 3: the entry's sub-code and its group's type, where the envelope reads them
        finer = {"sub_code": err.sub_code, "type": model.type_of(checked.class_names[i])}
        status, headers, body = build_response(
            checked,
            {"code": code, "message": NEUTRAL_MESSAGE, "request_id": "req-1", **finer},
            response_status(checked, i),
        )
        error = api.from_response(status, body, headers)
        assert error is not None, (err, body)
        one = _unwrap(error)
        assert type(one) is cls, (checked.error_names[i], type(one), body, headers)
        sent = code if code is None or checked.spec.codes.type != "integer" else int(code)  # text coerced
        assert one.code == (sent if sent is not None else cls.CODE) and type(one.code) is type(cls.CODE)
        if checked.envelope_paths["message"]:
            assert one.message == NEUTRAL_MESSAGE
        else:
            assert one.message == err.message
        assert one.status == status
        if checked.envelope_paths["request_id"]:
            assert error.request_id == "req-1"
        assert isinstance(error, api.__dict__[checked.class_prefix + "Error"])


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_to_response_round_trips(spec: Path, import_api: Any) -> None:
    checked, api = import_api(spec)
    classes = dict(zip(checked.error_names, api.ERROR_CLASSES))
    for i in reachable(checked):
        cls = classes[checked.error_names[i]]
        message = NEUTRAL_MESSAGE if checked.envelope_paths["message"] else cls.DEFAULT_MESSAGE
        original = cls(message, detail=None)
        status, headers, body = original.to_response()
        again = api.from_response(status, body, headers)
        assert again is not None
        one = _unwrap(again)
        assert type(one) is cls, (cls, type(one), status, body)
        assert (one.code, one.message) == (original.code, original.message)
        assert one.status == (original.status if original.status is not None else status)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_unknown_code_falls_back_and_keeps_the_code(spec: Path, import_api: Any) -> None:
    checked, api = import_api(spec)
    if not checked.envelope_paths["code"]:
        pytest.skip("the API sends no codes")
    unknown: str | int = 987_654_321 if checked.spec.codes.type == "integer" else "surely_unknown_code_42"
    status, headers, body = build_response(checked, {"code": unknown, "message": "m"}, 418)
    error = _unwrap(api.from_response(status, body, headers))
    assert error.code == unknown
    assert getattr(api, type(error).__name__) is type(error)  # a public class of the package
    fb = checked.spec.fallbacks
    if fb.unknown_code == "category" and 418 not in fb.status and not checked.spec.rules:
        assert type(error) is api.BadRequestError


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"truncated": ',
        b"[1, 2]",
        b'"a string"',
        b"null",
        b'{"error": 5, "message": {"nested": true}, "code": [1], "errors": "nope"}',
        b"\xff\xfe\x00garbage",
    ],
    ids=["empty", "html", "truncated", "list", "string", "null", "wrong-types", "not-utf8"],
)
def test_malformed_bodies_fall_back_to_the_status_class(spec: Path, body: bytes, import_api: Any) -> None:
    checked, api = import_api(spec)
    error = api.from_response(502, body, {"content-type": "text/html"})
    assert error is not None
    assert isinstance(error, getattr(api, checked.class_prefix + "Error"))
    assert error.status == 502
    fb = checked.spec.fallbacks
    plain = (fb.unknown_code, fb.no_code, fb.unknown_status) == ("category",) * 3
    if plain and not checked.spec.rules and 502 not in fb.status:
        assert isinstance(error, api.ServiceUnavailableError)
