"""Features tested from a few lines of spec written beside the assertions (the
``inline_api`` fixture of conftest.py), not only through a bundled API's spec."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.runtime


def test_code_and_request_id_from_headers(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: hdr, version: 1.0.0, title: Header codes}
        envelope: {code: "header:X-Error-Code", message: msg, request_id: "header:X-Request-Id"}
        errors:
          - {code: NoSuchBucket, status: 404, message: The bucket does not exist}
        """
    )
    err = api.from_response(404, b'{"msg": "gone"}', [("x-error-code", "NoSuchBucket"), ("X-REQUEST-ID", "r-1")])
    assert type(err).CODE == "NoSuchBucket" and err.code == "NoSuchBucket"
    assert err.message == "gone" and err.request_id == "r-1"  # header names match in any case
    other = api.from_response(404, b'{"msg": "gone"}', {"X-Error-Code": "Unlisted"})
    assert other.code == "Unlisted" and type(other) is not type(err)  # unknown code: the API's base


def test_code_and_message_at_nested_paths(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: nested, version: 1.0.0, title: Nested paths}
        envelope: {code: error.reason.code, message: error.reason.text}
        errors:
          - {code: too_big, status: 413, message: Too big}
        """
    )
    err = api.from_response(413, json.dumps({"error": {"reason": {"code": "too_big", "text": "over 5 MB"}}}))
    assert type(err).CODE == "too_big" and err.message == "over 5 MB"
    flat = api.from_response(413, json.dumps({"code": "too_big", "text": "over 5 MB"}))
    assert flat.code is None and type(flat) is not type(err)  # not at the path: the status's class
    status, headers, body = err.to_response()
    assert type(api.from_response(status, body, headers)) is type(err)


def test_graphql_errors_in_a_200_with_partial_data(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: gql, version: 1.0.0, title: GraphQL}
        envelope: {items: errors, code: extensions.code, message: message, data: data, errors_on_success: true}
        errors:
          - {code: BAD_USER_INPUT, category: validation, message: Bad input}
          - {code: FORBIDDEN, category: permission, message: Forbidden}
        """
    )
    one = api.from_response(
        200, json.dumps({"data": {"a": 1}, "errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]})
    )
    assert type(one).CODE == "FORBIDDEN" and one.data == {"a": 1} and not isinstance(one, ExceptionGroup)
    items = [
        {"message": "x", "extensions": {"code": "BAD_USER_INPUT"}},
        {"message": "y", "extensions": {"code": "FORBIDDEN"}},
    ]
    group = api.from_response(200, json.dumps({"data": None, "errors": items}))
    assert isinstance(group, ExceptionGroup) and [e.code for e in group.errors] == ["BAD_USER_INPUT", "FORBIDDEN"]
    assert api.from_response(200, b'{"data": {"a": 1}}') is None  # a 2xx without errors is no error
    assert api.from_response(200, b'{"data": {"a": 1}, "errors": []}') is None


def test_integer_codes_end_to_end(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: ints, version: 1.0.0, title: Integer codes}
        envelope: {code: error.code, message: error.message}
        codes: {type: integer}
        errors:
          - {code: 1001, status: 400, message: Bad thing}
        """
    )
    for sent in (1001, "1001"):  # text of digits is coerced
        err = api.from_response(400, json.dumps({"error": {"code": sent, "message": "m"}}))
        assert err.code == 1001 and type(err.code) is int and type(err).CODE == 1001
    assert api.from_response(400, json.dumps({"error": {"code": "abc"}})).code is None


def test_a_rule_maps_a_status_and_message_to_an_error(inline_api: Any) -> None:
    api = inline_api(
        """
        errorsdk: 1
        api: {name: ruled, version: 1.0.0, title: Rules}
        envelope: {code: code, message: message}
        errors:
          - {code: quota_exceeded, status: 429, message: Quota exceeded, retryable: true}
        rules:
          - {error: quota_exceeded, status: 403, message: '(?i)quota'}
        """
    )
    err = api.from_response(403, b'{"message": "Daily QUOTA used up"}')
    assert type(err).CODE == "quota_exceeded" and err.retryable and err.status == 403
    assert type(api.from_response(403, b'{"message": "forbidden"}')).CODE != "quota_exceeded"


def test_the_fixture_gives_each_spec_its_own_package(inline_api: Any) -> None:
    spec = """
        errorsdk: 1
        api: {{name: same, version: 1.0.0, title: Same name}}
        envelope: {{code: code}}
        errors:
          - {{code: {code}, status: 400, message: M}}
        """
    first = inline_api(spec.format(code="first"))
    second = inline_api(spec.format(code="second"))
    assert first.__name__ == second.__name__ and first is not second
    assert second.from_response(400, b'{"code": "second"}').code == "second"
    assert type(second.from_response(400, b'{"code": "second"}')).CODE == "second"
