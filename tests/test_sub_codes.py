"""Issue 18 sections 2 and 3: a finer code under a main code, and the type dimension.

Real shapes: Stripe (error.type + error.code + error.decline_code), OpenAI (error.type
+ error.code), Apollo Server (extensions.code + extensions.validationErrorCode in each
GraphQL error), Anthropic (error.type + error.details.error_code, the shape the issue
names) and Google AIP-193 (error.status + the ErrorInfo reason). Each is dispatched
with known and unknown sub-codes and types, a missing one, and wrong JSON types at
their paths; the ``except`` hierarchy is checked, and every class's ``to_response()``
comes back as itself.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from errorsdk.model.build import build_model
from errorsdk.rendering.docs import render_docs
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import load_spec

from .conftest import CASES


def _case(stem: str) -> Path:
    return next(p for p in CASES if p.stem == stem)


STRIPE, OPENAI, APOLLO, ANTHROPIC, GOOGLE = (
    _case(s) for s in ("stripe", "openai", "apollo_graphql", "anthropic_details", "google_errorinfo")
)
WRONG_TYPES: tuple[Any, ...] = ({"x": 1}, ["insufficient_funds"], True, 1.5, None)


def _stripe(status: int, **error: Any) -> tuple[int, bytes, dict[str, str]]:
    """A Stripe error response as the API sends it (docs.stripe.com/api/errors)."""
    body = {"error": {"message": "Your card was declined.", "param": "", **error}}
    return status, json.dumps(body).encode(), {"Request-Id": "req_8TmRDGwx1pE9mZ"}


# --- Stripe: type, code and decline code ----------------------------------------------------


def test_stripe_decline_codes_refine_card_declined(import_api: Any) -> None:
    _, api = import_api(STRIPE)
    err = api.from_response(*_stripe(402, type="card_error", code="card_declined", decline_code="insufficient_funds"))
    assert type(err) is api.InsufficientFundsError
    assert (err.code, err.sub_code, err.status, err.request_id) == (
        "card_declined",
        "insufficient_funds",
        402,
        "req_8TmRDGwx1pE9mZ",
    )
    assert err.message == "Your card was declined."
    # except CardDeclinedError catches every decline, except InsufficientFundsError one of them
    assert issubclass(api.InsufficientFundsError, api.CardDeclinedError)
    assert issubclass(api.CardDeclinedError, api.CardError) and issubclass(api.CardError, api.StripeError)
    assert not issubclass(api.LostCardError, api.InsufficientFundsError)
    try:
        raise err
    except api.LostCardError:  # pragma: no cover - the wrong branch
        pytest.fail("a lost card caught an insufficient-funds decline")
    except api.CardDeclinedError as caught:
        assert caught.SUB_CODE == "insufficient_funds"
    lost = api.from_response(*_stripe(402, type="card_error", code="card_declined", decline_code="lost_card"))
    assert type(lost) is api.LostCardError and lost.STATUS == 402 and lost.CATEGORY == "bad_request"


def test_stripe_unknown_missing_and_malformed_decline_codes(import_api: Any) -> None:
    _, api = import_api(STRIPE)
    new = api.from_response(*_stripe(402, type="card_error", code="card_declined", decline_code="brand_new_reason"))
    assert type(new) is api.CardDeclinedError and new.sub_code == "brand_new_reason"  # kept
    plain = api.from_response(*_stripe(402, type="card_error", code="card_declined"))
    assert type(plain) is api.CardDeclinedError and plain.sub_code is None
    for wrong in WRONG_TYPES:
        err = api.from_response(*_stripe(402, type="card_error", code="card_declined", decline_code=wrong))
        assert type(err) is api.CardDeclinedError and err.sub_code is None, wrong
    number = api.from_response(*_stripe(402, type="card_error", code="card_declined", decline_code=51))
    assert type(number) is api.CardDeclinedError and number.sub_code == "51"  # an ISO 8583 number, as text
    # a decline code under another code does not make that code's decline class
    expired = api.from_response(*_stripe(402, type="card_error", code="expired_card", decline_code="lost_card"))
    assert type(expired) is api.ExpiredCardError and expired.sub_code == "lost_card"
    # a code no entry has, with a decline code: the type's class, sub-code kept
    other = api.from_response(*_stripe(402, type="card_error", code="new_code", decline_code="insufficient_funds"))
    assert type(other) is api.CardError and other.sub_code == "insufficient_funds"
    # every error of the package has sub_code; a class made directly has its own
    assert api.InsufficientFundsError().sub_code == "insufficient_funds" and api.CardError().sub_code is None
    made = api.CardDeclinedError("Declined", status=402, sub_code="brand_new_reason")  # as dispatch keeps it
    assert vars(made)["sub_code"] == vars(new)["sub_code"] == "brand_new_reason"
    assert "sub_code" not in vars(api.CardDeclinedError()) and "sub_code" not in vars(plain)


def test_stripe_type_decides_unknown_codes(import_api: Any) -> None:
    _, api = import_api(STRIPE)
    card = api.from_response(*_stripe(402, type="card_error", code="some_new_card_code"))
    assert type(card) is api.CardError and card.code == "some_new_card_code"
    invalid = api.from_response(*_stripe(400, type="invalid_request_error", code="some_new_param_code"))
    assert type(invalid) is api.InvalidRequestError  # not BadRequestError: the type's class
    assert type(api.from_response(*_stripe(400, type="idempotency_error"))) is api.IdempotencyError
    assert type(api.from_response(*_stripe(500, type="api_error"))) is api.StripeAPIError
    # known codes sit under their type's class, wherever their status puts them
    missing = api.from_response(*_stripe(404, type="invalid_request_error", code="resource_missing", param="id"))
    assert type(missing) is api.ResourceMissingError and isinstance(missing, api.InvalidRequestError)
    assert missing.detail == "id"  # error.param
    assert issubclass(api.ExpiredCardError, api.CardError) and not issubclass(
        api.ExpiredCardError, api.InvalidRequestError
    )
    # InvalidRequestError spans 400, 404, 409: under the base class, no category
    assert api.InvalidRequestError.__bases__ == (api.StripeError,)
    assert api.CardError.__bases__ == (api.BadRequestError,)  # every card error is 402
    # an unknown type, a missing one, a wrong JSON type there: the status decides
    for kind in ("brand_new_error", None, {"x": 1}, ["card_error"], True, 3):
        err = api.from_response(*_stripe(400, type=kind, code="some_new_code"))
        assert type(err) is api.BadRequestError, kind
        assert type(api.from_response(*_stripe(502, type=kind))) is api.ServiceUnavailableError, kind
    # a known code wins over the type it is sent with
    odd = api.from_response(*_stripe(402, type="invalid_request_error", code="expired_card"))
    assert type(odd) is api.ExpiredCardError
    # the status rules of both SDKs come first: 401, 403, 429 whatever the type
    assert type(api.from_response(*_stripe(401, type="invalid_request_error"))).__name__ == "StripeAuthenticationError"
    assert type(api.from_response(*_stripe(403, type="invalid_request_error"))).__name__ == "StripePermissionError"
    limited = api.from_response(*_stripe(429, type="invalid_request_error", code="rate_limit"))
    assert type(limited).__name__ == "StripeRateLimitError" and limited.retryable
    assert type(api.from_response(*_stripe(400, type="invalid_request_error", code="rate_limit"))).__name__ == (
        "StripeRateLimitError"
    )


def test_stripe_malformed_bodies_fall_back_to_the_status(import_api: Any) -> None:
    _, api = import_api(STRIPE)
    bodies = [b"", b"<html>502 Bad Gateway</html>", b'{"error": "card_declined"}', b'{"error": [1, 2]}', b"[]", b"{"]
    for body in bodies:
        err = api.from_response(402, body)
        assert type(err) is api.BadRequestError and err.sub_code is None, body
    assert type(api.from_response(500, b'{"error": {"type": "api_error"}')) is api.InternalServerError  # truncated


def test_every_class_round_trips_through_to_response(import_api: Any) -> None:
    for spec in (STRIPE, OPENAI, APOLLO, ANTHROPIC, GOOGLE):
        checked, api = import_api(spec)
        classes = [*api.ERROR_CLASSES, *(getattr(api, g.class_name) for g in build_model(checked).groups)]
        for cls in classes:
            err = cls("text")
            status, headers, body = err.to_response()
            back = api.from_response(status, body, headers)
            assert type(back) is cls, (spec.stem, cls.__name__, body)
            assert (back.code, back.message) == (err.code, "text")
            if hasattr(cls, "SUB_CODE"):
                assert back.sub_code == err.sub_code == cls.SUB_CODE
    _, api = import_api(STRIPE)
    status, _, body = api.InsufficientFundsError().to_response()
    sent = json.loads(body)["error"]
    assert (status, sent["type"], sent["code"], sent["decline_code"]) == (
        402,
        "card_error",
        "card_declined",
        "insufficient_funds",
    )
    kept = api.from_response(*_stripe(402, type="card_error", code="card_declined", decline_code="brand_new"))
    status, headers, body = kept.to_response()  # an unknown sub-code is written back too
    assert json.loads(body)["error"]["decline_code"] == "brand_new"
    assert api.from_response(status, body, headers).sub_code == "brand_new"
    assert pickle.loads(pickle.dumps(kept)).sub_code == "brand_new"


def test_the_type_the_response_carried_is_kept_as_kind(import_api: Any) -> None:
    """Nothing lost: the type read is ``err.kind`` (``error_type`` is taken: the class's
    OpenTelemetry name), whether a group has it or not, and ``to_response()`` writes it back."""
    _, api = import_api(STRIPE)
    new = api.from_response(*_stripe(400, type="brand_new_error", code="some_new_code"))
    assert type(new) is api.BadRequestError and new.kind == "brand_new_error" and new.TYPE is None
    status, headers, body = new.to_response()
    assert json.loads(body)["error"]["type"] == "brand_new_error"
    assert api.from_response(status, body, headers).kind == "brand_new_error"
    assert pickle.loads(pickle.dumps(new)).kind == "brand_new_error"
    # a known code sent with another type: the code's class, the type as sent
    odd = api.from_response(*_stripe(402, type="invalid_request_error", code="expired_card"))
    assert type(odd) is api.ExpiredCardError and (odd.kind, odd.TYPE) == ("invalid_request_error", "card_error")
    assert json.loads(odd.to_response()[2])["error"]["type"] == "invalid_request_error"
    # no type sent: None, even for a class under a type group (TYPE is the class's)
    bare = api.from_response(*_stripe(402, code="expired_card"))
    assert type(bare) is api.ExpiredCardError and bare.kind is None and bare.TYPE == "card_error"
    assert "type" not in json.loads(bare.to_response()[2])["error"]  # the response as it was
    for wrong in ({"x": 1}, ["card_error"], True, 1.5):
        assert api.from_response(*_stripe(402, type=wrong, code="expired_card")).kind is None, wrong
    assert api.from_response(*_stripe(402, type=7, code="expired_card")).kind == "7"
    # the type's own class: kind is its TYPE, from the class (nothing stored per error)
    card = api.from_response(*_stripe(402, type="card_error", code="some_new_card_code"))
    assert type(card) is api.CardError and card.kind == "card_error" and "kind" not in vars(card)
    # an error made directly has its class's TYPE, or the one given
    assert api.CardDeclinedError().kind == "card_error" and api.BadRequestError().kind is None
    given = api.ExpiredCardError(kind="brand_new_error")
    assert json.loads(given.to_response()[2])["error"]["type"] == "brand_new_error"
    # a package without envelope.type has no kind
    _, apollo = import_api(APOLLO)
    assert not hasattr(apollo.IntrospectionDisabledError(), "kind")


def test_sub_code_is_none_when_the_response_carried_none(inline_api: Any) -> None:
    """A rule may pick a sub-code's class for a response with no sub-code: ``sub_code`` says
    what the response carried (None), ``SUB_CODE`` the class's; ``to_response()`` writes the
    response as it was, which the rule makes that class again."""
    api = inline_api(
        """
        errorsdk: 1
        api: {name: rulesub, package: rulesub_errors, class_prefix: Rs, version: 0.1.0, title: Rule sub}
        envelope: {code: error.code, sub_code: error.decline_code, message: error.message}
        rules:
          - {error: insufficient_funds, status: 402, message: insufficient funds}
        errors:
          - {code: card_declined, status: 402, message: The card has been declined.}
          - {code: card_declined, sub_code: insufficient_funds, message: Not enough money.}
          - {code: card_declined, sub_code: lost_card, message: The card is lost.}
        """
    )
    body = b'{"error": {"code": "card_declined", "message": "Your card has insufficient funds."}}'
    err = api.from_response(402, body)
    assert type(err) is api.InsufficientFundsError  # by the rule
    assert err.sub_code is None and err.SUB_CODE == "insufficient_funds"
    status, headers, sent = err.to_response()
    assert "decline_code" not in json.loads(sent)["error"]
    back = api.from_response(status, sent, headers)
    assert type(back) is api.InsufficientFundsError and back.sub_code is None
    # the rule's class, another sub-code read: kept as read
    other = api.from_response(402, body.replace(b'"code"', b'"decline_code": "lost_card", "code"'))
    assert type(other) is api.InsufficientFundsError and other.sub_code == "lost_card"
    # the sub-code's own response: its SUB_CODE, from the class
    own = api.from_response(402, b'{"error": {"code": "card_declined", "decline_code": "insufficient_funds"}}')
    assert type(own) is api.InsufficientFundsError and own.sub_code == "insufficient_funds"
    assert "sub_code" not in vars(own) and api.InsufficientFundsError().sub_code == "insufficient_funds"


def test_a_type_group_may_declare_its_category(import_api: Any) -> None:
    """A type group that lists no code sits under its declared category's class, so the
    taxonomy's ``except`` catches it (Stripe's api_error: a 500; OpenAI's rate-limit types)."""
    _, api = import_api(STRIPE)
    assert api.StripeAPIError.__bases__ == (api.InternalServerError,) and api.StripeAPIError.CATEGORY == "server"
    err = api.from_response(*_stripe(500, type="api_error", message="Something went wrong on Stripe's end."))
    assert type(err) is api.StripeAPIError and isinstance(err, api.InternalServerError) and err.retryable
    assert api.IdempotencyError.__bases__ == (api.StripeError,)  # none declared: under the base, as before
    # a type group whose errors have several categories cannot declare one: one parent per class
    assert not issubclass(api.ResourceMissingError, api.NotFoundError)
    _, openai = import_api(OPENAI)
    limited = openai.from_response(429, b'{"error": {"message": "Rate limit reached", "type": "tokens", "code": null}}')
    assert type(limited) is openai.TokensRateLimitError and isinstance(limited, openai.RateLimitError)
    assert limited.retryable and openai.OpenAIServerError.__bases__ == (openai.InternalServerError,)


def test_classify_takes_the_sub_code_and_the_type(import_api: Any) -> None:
    _, api = import_api(STRIPE)
    assert api.classify(402, "card_declined", sub_code="stolen_card") is api.StolenCardError
    assert api.classify(402, "card_declined") is api.CardDeclinedError
    assert api.classify(400, "unknown_thing", error_type="card_error") is api.CardError
    assert api.classify(400, "unknown_thing") is api.BadRequestError
    _, openai = import_api(OPENAI)
    assert openai.classify(429, None, error_type="tokens") is openai.TokensRateLimitError


# --- OpenAI: the type dimension ---------------------------------------------------------------


def _openai(status: int, type_: Any, code: Any, message: str = "text") -> tuple[int, bytes, dict[str, str]]:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return status, json.dumps(body).encode(), {"x-request-id": "req_abc"}


def test_openai_type_and_code(import_api: Any) -> None:
    _, api = import_api(OPENAI)
    key = api.from_response(*_openai(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"))
    assert type(key) is api.InvalidApiKeyError and isinstance(key, api.InvalidRequestError)
    assert key.request_id == "req_abc"
    quota = api.from_response(*_openai(429, "insufficient_quota", "insufficient_quota"))
    assert type(quota) is api.InsufficientQuotaError and isinstance(quota, api.QuotaError)
    assert isinstance(quota, api.RateLimitError) and not quota.retryable  # no point waiting for credits
    # code null: the type decides (most OpenAI errors send none)
    assert type(api.from_response(*_openai(400, "invalid_request_error", None))) is api.InvalidRequestError
    assert type(api.from_response(*_openai(429, "tokens", None))) is api.TokensRateLimitError
    assert type(api.from_response(*_openai(429, "requests", "rate_limit_exceeded"))) is api.RateLimitExceededError
    assert type(api.from_response(*_openai(500, "server_error", None))) is api.OpenAIServerError
    # an unknown code with a known type: the type's class, not the status's
    assert type(api.from_response(*_openai(404, "invalid_request_error", "new_code"))) is api.InvalidRequestError
    for kind in ("new_type", None, 7, {"t": 1}):
        assert type(api.from_response(*_openai(404, kind, "new_code"))) is api.NotFoundError, kind
    assert type(api.from_response(502, b"<html>Bad gateway</html>")) is api.ServiceUnavailableError


# --- Apollo Server: the validation error code in each GraphQL error ---------------------------


def test_apollo_validation_error_codes(import_api: Any) -> None:
    _, api = import_api(APOLLO)
    introspection = {
        "message": "GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type.",
        "locations": [{"line": 1, "column": 3}],
        "extensions": {"validationErrorCode": "INTROSPECTION_DISABLED", "code": "GRAPHQL_VALIDATION_FAILED"},
    }
    err = api.from_response(400, json.dumps({"errors": [introspection]}))
    assert type(err) is api.IntrospectionDisabledError and err.sub_code == "INTROSPECTION_DISABLED"
    assert isinstance(err, api.GraphqlValidationFailedError) and err.raw_detail == introspection["extensions"]
    plain = {"message": 'Cannot query field "nme" on type "User".', "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
    group = api.from_response(400, json.dumps({"errors": [introspection, plain]}))
    assert [type(e).__name__ for e in group.errors] == ["IntrospectionDisabledError", "GraphqlValidationFailedError"]
    assert [e.sub_code for e in group.errors] == ["INTROSPECTION_DISABLED", None]
    try:
        raise group
    except* api.GraphqlValidationFailedError as caught:  # both: the finer class is a subclass
        assert len(caught.exceptions) == 2
    unknown = {"message": "m", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "validationErrorCode": "NEW_RULE"}}
    got = api.from_response(400, json.dumps({"errors": [unknown]}))
    assert type(got) is api.GraphqlValidationFailedError and got.sub_code == "NEW_RULE"
    for wrong in WRONG_TYPES:
        bad = {"message": "m", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "validationErrorCode": wrong}}
        got = api.from_response(400, json.dumps({"errors": [bad]}))
        assert type(got) is api.GraphqlValidationFailedError and got.sub_code is None, wrong


# --- Anthropic: error.details.error_code (the shape issue 18 names) ----------------------------


def test_anthropic_details_error_code(import_api: Any) -> None:
    _, api = import_api(ANTHROPIC)
    body = {"type": "error", "error": {"type": "invalid_request_error", "message": "prompt is too long"}}
    assert type(api.from_response(400, json.dumps(body))) is api.InvalidRequestError  # what the API sends today
    body["error"]["details"] = {"error_code": "context_window_exceeded"}
    err = api.from_response(400, json.dumps(body))
    assert type(err) is api.ContextWindowExceededError and isinstance(err, api.InvalidRequestError)
    for details in ({"error_code": "other"}, {"error_code": ["x"]}, "text", [1], None):
        body["error"]["details"] = details
        got = api.from_response(400, json.dumps(body))
        assert type(got) is api.InvalidRequestError, details
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    assert type(api.from_response(529, json.dumps(overloaded))).__name__ == "OverloadedError"


# --- Google AIP-193: the ErrorInfo reason under error.status --------------------------------------


def _google(status: int, canonical: Any, details: Any) -> bytes:
    return json.dumps({"error": {"code": status, "message": "text", "status": canonical, "details": details}}).encode()


def test_google_errorinfo_reason_refines_the_status(import_api: Any) -> None:
    _, api = import_api(GOOGLE)
    help_link = {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"url": "https://console.cloud.google.com"}]}
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "SERVICE_DISABLED",
        "domain": "googleapis.com",
    }
    err = api.from_response(403, _google(403, "PERMISSION_DENIED", [help_link, info]))  # at no fixed index
    assert type(err) is api.ServiceDisabledError and err.sub_code == "SERVICE_DISABLED"
    assert issubclass(api.ServiceDisabledError, api.GcpPermissionDeniedError)
    assert issubclass(api.GcpPermissionDeniedError, api.PermissionDeniedError)  # the taxonomy class
    limited = api.from_response(429, _google(429, "RESOURCE_EXHAUSTED", [{**info, "reason": "RATE_LIMIT_EXCEEDED"}]))
    assert type(limited) is api.RateLimitExceededError and limited.retryable
    # a reason of another status's code does not apply; an unknown one is kept
    wrong = api.from_response(403, _google(403, "PERMISSION_DENIED", [{**info, "reason": "API_KEY_INVALID"}]))
    assert type(wrong) is api.GcpPermissionDeniedError and wrong.sub_code == "API_KEY_INVALID"
    # no ErrorInfo (another @type holds a reason), details not a list, a reason of another type
    for details in (
        [{**info, "@type": "type.googleapis.com/google.rpc.Other"}],
        {"reason": "SERVICE_DISABLED"},
        None,
        [{**info, "reason": ["SERVICE_DISABLED"]}],
        "SERVICE_DISABLED",
    ):
        got = api.from_response(403, _google(403, "PERMISSION_DENIED", details))
        assert type(got) is api.GcpPermissionDeniedError and got.sub_code is None, details
    status, headers, body = api.ServiceDisabledError().to_response()
    written = json.loads(body)["error"]
    assert written["status"] == "PERMISSION_DENIED" and written["details"] == [
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED"}
    ]


# --- Misuse is refused at file:line:col ---------------------------------------------------------


HEAD = "errorsdk: 1\napi: {name: pay, version: 1.0.0, title: Pay}\n"


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "envelope: {code: c}\nerrors:\n  - {code: a, status: 402, message: m}\n  - {code: a, sub_code: b, message: m}\n",
            r"spec.yaml:6:\d+: no response can carry sub-code 'b': the envelope has no 'sub_code' path",
        ),
        (
            "envelope: {code: c, sub_code: s}\nerrors:\n  - {code: x, status: 402, message: m}\n"
            "  - {code: a, sub_code: b, message: m}\n",
            r"spec.yaml:6:\d+: sub-code 'b' needs an entry for its main code 'a'",
        ),
        (
            "envelope: {code: c, sub_code: s}\nerrors:\n  - {sub_code: b, name: n, status: 402, message: m}\n",
            r"spec.yaml:5:\d+: sub-code 'b' needs a code",
        ),
        (
            "envelope: {code: c, sub_code: s}\nerrors:\n  - {code: a, status: 402, message: m}\n"
            "  - {code: a, sub_code: '', name: e, message: m}\n",
            r"spec.yaml:6:\d+: sub_code may not be empty",
        ),
        (
            "envelope: {code: c, sub_code: c}\nerrors:\n  - {code: a, status: 402, message: m}\n",
            r"spec.yaml:3:\d+: to_response\(\) cannot write this: sub_code and code are both at 'c'",
        ),
        (
            "envelope: {code: c, type: t}\ngroups:\n  AGroupError: {type: x}\n  BGroupError: {type: x}\n"
            "errors:\n  - {code: a, status: 402, message: m}\n",
            r"spec.yaml:6:\d+: type 'x' is already the type of group 'AGroupError'",
        ),
        (
            "envelope: {code: c, type: c}\ngroups:\n  AGroupError: {type: x}\nerrors:\n  - {code: a, status: 402, message: m}\n",
            r"spec.yaml:3:\d+: to_response\(\) cannot write this: type and code are both at 'c'",
        ),
        (
            "envelope: {code: c}\ngroups:\n  MixedError: {errors: [a, b]}\n"
            "errors:\n  - {code: a, status: 402, message: m}\n  - {code: b, status: 404, message: m}\n",
            r"group 'MixedError' holds errors of several categories",  # only a type group may mix them
        ),
        (
            "envelope: {code: c, type: t}\ngroups:\n  MixedError: {type: x, category: not_found, errors: [a, b]}\n"
            "errors:\n  - {code: a, status: 402, message: m}\n  - {code: b, status: 404, message: m}\n",
            r"spec.yaml:5:\d+: group 'MixedError' declares category 'not_found' but holds errors of bad_request",
        ),
        (
            "envelope: {code: c}\ngroups:\n  TopError: {category: conflict}\n  SubError: {parent: TopError, errors: [a]}\n"
            "errors:\n  - {code: a, status: 402, message: m}\n",
            r"spec.yaml:5:\d+: group 'TopError' declares category 'conflict' but holds errors of bad_request",
        ),
        (
            "envelope: {code: c}\ngroups:\n  AError: {category: nope, errors: [a]}\n"
            "errors:\n  - {code: a, status: 402, message: m}\n",
            r"spec.yaml:5:\d+: .*nope",
        ),
    ],
)
def test_misuse_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + text, "utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert re.search(expected, str(info.value)), str(info.value)


def test_a_sub_code_entry_takes_its_main_entrys_status_and_category(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        HEAD + "envelope: {code: c, sub_code: s}\nerrors:\n  - {code: a, status: 409, category: conflict, message: m}\n"
        "  - {code: a, sub_code: b, message: m}\n",
        "utf-8",
    )
    api = build_model(load_spec(path))
    sub = api.errors[1]
    assert (sub.status, sub.category, sub.parent, sub.sub_code) == (409, "conflict", "AError", "b")
    assert api.dispatch.by_sub_code == ((("a", "b"), "BError"),) and api.dispatch.by_code == (("a", "AError"),)


# --- errorsdk diff -------------------------------------------------------------------------


def _variant(tmp_path: Path, name: str, change: Any) -> Path:
    data = yaml.safe_load(STRIPE.read_text("utf-8"))
    change(data)
    out = tmp_path / f"{name}.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return out


def test_errorsdk_diff_classifies_sub_codes_and_types(tmp_path: Path) -> None:
    from errorsdk.output.spec_diff import diff, load_ref

    def no_declines(data: dict[str, Any]) -> None:
        data["errors"] = [e for e in data["errors"] if "sub_code" not in e]

    def no_sub_code(data: dict[str, Any]) -> None:
        no_declines(data)
        del data["envelope"]["sub_code"]

    def no_invalid_request_group(data: dict[str, Any]) -> None:
        del data["groups"]["InvalidRequestError"]

    new = load_ref(str(STRIPE))
    fewer = load_ref(str(_variant(tmp_path, "fewer", no_declines)))
    added = diff(fewer, new)  # decline classes under CardDeclinedError: every except still catches
    assert {c.kind for c in added} == {"feature"} and any("InsufficientFundsError" in c.text for c in added)
    assert any(c.kind == "breaking" and "InsufficientFundsError" in c.text for c in diff(new, fewer))
    bare = load_ref(str(_variant(tmp_path, "bare", no_sub_code)))
    assert {c.kind for c in diff(bare, new)} == {"feature"}  # reading a sub-code only refines
    assert any(c.kind == "breaking" and "envelope.sub_code changed" in c.text for c in diff(new, bare))
    # a type group of several categories takes its codes out of their category classes
    ungrouped = load_ref(str(_variant(tmp_path, "ungrouped", no_invalid_request_group)))
    grouping = diff(ungrouped, new)
    assert any(c.kind == "breaking" and "no longer under NotFoundError" in c.text for c in grouping), grouping
    assert any(c.kind == "breaking" and "no longer under InvalidRequestError" in c.text for c in diff(new, ungrouped))


# --- The docs page --------------------------------------------------------------------------


def test_errorsdk_diff_calls_a_groups_category_breaking(tmp_path: Path) -> None:
    from errorsdk.output.spec_diff import diff, load_ref

    def undeclared(data: dict[str, Any]) -> None:
        del data["groups"]["StripeAPIError"]["category"]

    old = load_ref(str(_variant(tmp_path, "undeclared", undeclared)))
    assert [(c.kind, c.text) for c in diff(old, load_ref(str(STRIPE)))] == [
        ("breaking", "groups.StripeAPIError changed")
    ]


def test_docs_page_shows_sub_codes_and_types() -> None:
    pages = render_docs(build_model(load_spec(STRIPE)))
    page = pages["stripe.md"]
    assert "| sub_code | `error.decline_code` |" in page and "| type | `error.type` |" in page
    assert "### `card_declined` / `insufficient_funds`" in page
    assert "| Main code's class | `CardDeclinedError` (`except CardDeclinedError` catches it" in page
    assert "| Sub-code | `insufficient_funds` |" in page
    types = page.split("## Error types", 1)[1].split("\n## ", 1)[0]
    assert "`error.kind` is the type the\nresponse carried" in types
    assert "| `card_error` | `CardError` | `BadRequestError` |" in types
    assert "| `invalid_request_error` | `InvalidRequestError` | `StripeError` |" in types
    assert (
        "`card_declined / lost_card`" in types
        and "| `api_error` | `StripeAPIError` | `InternalServerError` | none listed |" in types
    )
    html = pages["stripe.html"]
    assert '<h2 id="error-types">Error types</h2>' in html and "<th>Sub-code</th><td><code>lost_card</code>" in html
    assert "Error types" not in render_docs(build_model(load_spec(APOLLO)))["apollo_graphql.md"]  # no type dimension


def test_docs_status_group_says_its_categorys_retry_default_when_a_sub_code_comes_first(tmp_path: Path) -> None:
    """The heading's "retryable by default" is the category class's, not the first entry's
    parent's: a sub-code entry listed first under its status inherits its main code's."""
    path = tmp_path / "spec.yaml"
    path.write_text(
        HEAD + "envelope: {code: c, sub_code: s}\nerrors:\n"
        "  - {code: a, status: 402, message: m, retryable: true}\n"
        "  - {code: a, sub_code: b, status: 400, message: m}\n"
        "  - {code: x, status: 503, message: m}\n",
        "utf-8",
    )
    api = build_model(load_spec(path))
    assert api.errors[1].parent_retryable  # the main code's class is retryable
    pages = render_docs(api)
    md, html = pages["pay.md"], pages["pay.html"]
    section = md.split("## 400 Bad Request", 1)[1].split("\n## ", 1)[0]
    assert "Category class: `BadRequestError`." in section and "retryable by default" not in section
    assert "Category class: `ServiceUnavailableError` (retryable by default)." in md
    assert "<code>BadRequestError</code>.</p>" in html
    assert "<code>ServiceUnavailableError</code> (retryable by default).</p>" in html
