"""The spec format, as pydantic models: the single source of ``spec.schema.json``.

These models check shape and types only; rules that span fields (duplicate codes,
class-name clashes, references between sections) live in ``validation``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from .taxonomy import CATEGORY_NAMES

Category = Literal[CATEGORY_NAMES]  # type: ignore[valid-type]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FieldSpec(_Model):
    """Where one part of an error sits: paths tried in order, and a default."""

    path: list[str] = Field(min_length=1)
    default: str | int | None = None


def _to_field_spec(value: Any) -> Any:
    if isinstance(value, str):
        return {"path": [value]}
    if isinstance(value, list):
        return {"path": value}
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        return {**value, "path": [value["path"]]}
    if value is None or isinstance(value, (dict, FieldSpec)):
        return value
    raise ValueError("expected a path, a list of paths, or a mapping {path: ..., default: ...}")


_PATH_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "description": "a path, e.g. error.reason or header:X-Code"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
        {
            "type": "object",
            "properties": {
                "path": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "default": {"type": ["string", "integer", "null"]},
            },
            "required": ["path"],
            "additionalProperties": False,
        },
        {"type": "null"},
    ]
}

PathField = Annotated[FieldSpec | None, BeforeValidator(_to_field_spec), WithJsonSchema(_PATH_SCHEMA)]


def _to_list(value: Any) -> Any:
    return [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value


StatusPattern = Annotated[int | str, Field(description="a status (404) or a class (4xx)")]


class ErrorFlag(_Model):
    """A 2xx body is an error when the value at ``path`` equals ``equals``."""

    path: str
    equals: str | int | bool | None


class Required(_Model):
    """A body is an error body only when the value at ``path`` equals ``equals``."""

    path: str
    equals: str | int | bool


class Envelope(_Model):
    """Where the code, message, status, detail and request id sit in a response."""

    code: PathField = None
    message: PathField = None
    detail: PathField = None
    status: PathField = None
    request_id: PathField = None
    # issue 18 section 2: a finer code under the code (Stripe's decline_code, AIP-193's reason)
    sub_code: PathField = Field(
        default=None,
        description="the finer code under the main code (Stripe: error.decline_code); entries with "
        "sub_code: beside code: are its classes, subclasses of the main code's class",
    )
    # issue 18 section 3: a second dimension of every error (Stripe's and OpenAI's error.type)
    type: PathField = Field(
        default=None,
        description="the error type, a second dimension (Stripe, OpenAI: error.type): groups with "
        "type: are its classes, and a code no entry has becomes its type's group class",
    )
    items: str | None = Field(default=None, description="path to a list of error objects")
    data: str | None = Field(default=None, description="path to partial data (GraphQL)")
    errors_on_success: bool = False
    error_flag: ErrorFlag | None = None
    format: Literal["json", "xml"] = Field(
        default="json",
        description="what error bodies are: json, or xml (paths then name elements: namespaces "
        "ignored, repeated elements read as a list; parsed safely, no DTDs or entities)",
    )
    # issue 18 section 5: the code as a prefix of the message
    code_prefix: str | None = Field(
        default=None,
        min_length=1,
        description="the message opens with the code and this separator (Firebase Auth: "
        "'EMAIL_NOT_FOUND : text' with ' : '): the code is the text before it, the message the text after",
    )
    require: Required | None = Field(
        default=None,
        description="a value the body must hold to be an error body (Kubernetes: {path: kind, equals: Status}); "
        "any other body is read as no body: the status decides",
    )
    code_from_status: bool = Field(
        default=False,
        description="a response whose body carries no code gets its HTTP status as the code "
        "('503' for an HTML 503, as botocore reports it)",
    )


class Codes(_Model):
    """How codes are compared."""

    type: Literal["string", "integer"] = "string"
    normalize: str | None = Field(default=None, description="regex; group 1 (else the whole match) is the code")


JsonSchema = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "description": "a JSON Schema (draft 2020-12); $ref: '#/schemas/Name' names a shared schema",
        }
    ),
]

ModelStyle = Literal["dataclasses", "pydantic", "typeddict"]
JsonParser = Literal["stdlib", "orjson"]


class CategorySpec(_Model):
    """Settings of one taxonomy category for this API."""

    detail_schema: JsonSchema | None = None


def _spdx(value: str) -> str:
    """An SPDX license expression, in its canonical spelling (``mit`` -> ``MIT``)."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return str(canonicalize_license_expression(value))
    except InvalidLicenseExpression:
        raise ValueError(
            f"{value!r} is not an SPDX license expression (e.g. MIT, Apache-2.0, LicenseRef-Proprietary)"
        ) from None


DEFAULT_LICENSE = "MIT"


class ApiInfo(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    package: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_]*$")
    class_prefix: str | None = Field(default=None, pattern=r"^[A-Z][A-Za-z0-9]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
    title: str = Field(min_length=1)
    description: str = ""
    docs_url: str | None = None
    models: ModelStyle = Field(default="dataclasses", description="how detail schemas become classes")
    json_parser: JsonParser = Field(
        default="stdlib",
        description="what parses response bodies: stdlib (json; the package stays standard-library "
        "only) or orjson (faster; the package then needs orjson, and falls back to json without it; "
        "integers beyond 64 bits arrive as floats)",
    )
    redact_headers: list[str] = Field(
        default=[],
        description="response headers whose values are secret, redacted besides the defaults "
        "(authorization, cookie, set-cookie, proxy-authorization, api-key, x-api-key, x-auth-token)",
    )
    license: Annotated[str, AfterValidator(_spdx)] = Field(
        default=DEFAULT_LICENSE, description="SPDX license expression of the generated package"
    )


class ErrorSpec(_Model):
    """One catalogue entry."""

    code: str | int | None = None
    sub_code: str | None = Field(
        default=None,
        description="a finer code under code (envelope.sub_code): this entry's class subclasses the class "
        "of the entry with the same code and no sub_code; its status and category default to that entry's",
    )
    name: str | None = None
    status: int | None = None
    category: Category | None = None
    class_name: str | None = None
    message: str
    description: str = ""
    causes: list[str] = []
    fixes: list[str] = []
    retryable: bool | None = None
    docs_url: str | None = None
    deprecated: bool | str = False
    example: Any = None
    detail_schema: JsonSchema | None = None


FallbackTarget = Annotated[str, Field(description="'category', 'base', or the name of an error in the catalogue")]


class Fallbacks(_Model):
    unknown_code: FallbackTarget = "category"
    no_code: FallbackTarget = "category"
    unknown_status: FallbackTarget = "category"
    status: dict[int, FallbackTarget] = {}


class Rule(_Model):
    """An override, checked in order before the code table."""

    error: str
    status: Annotated[list[StatusPattern], BeforeValidator(_to_list)] = []
    code: str | int | None = None
    message: str | None = Field(default=None, description="regex searched in the message")
    method: Annotated[list[str], BeforeValidator(_to_list)] = []
    path: str | None = Field(default=None, description="regex searched in the request URL path")
    headers: dict[str, str] = Field(
        default={},
        description="response header name -> regex searched in its value; the header must be present "
        "(GitHub: X-GitHub-OTP: '^required')",
    )


HeaderName = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description="an HTTP header name"),
]


class RateLimitHeaders(_Model):
    """The headers that report a rate-limit window (each optional)."""

    limit: HeaderName | None = None
    remaining: HeaderName | None = None
    reset: HeaderName | None = Field(
        default=None,
        description="seconds until the window resets, an epoch timestamp, or an HTTP-date",
    )


class RetrySpec(_Model):
    """How a response says when (and whether) to retry."""

    after_headers: list[HeaderName] = Field(
        default=["retry-after-ms", "retry-after"],
        description="headers holding the delay, tried in order; a name ending in -ms holds milliseconds",
    )
    after_paths: list[str] = Field(
        default=[],
        description="body paths holding the delay, tried in order after after_headers: seconds as a "
        "number, or a protobuf JSON Duration ('1.5s'; Google's RetryInfo.retryDelay); read from the "
        "whole document (not each item of a list of errors)",
    )
    rate_limit: RateLimitHeaders | None = None
    max_retry_after: float = Field(default=60, gt=0, description="a longer retry-after (seconds) means: do not retry")
    should_retry_header: HeaderName = Field(
        default="x-should-retry",
        description="the header whose true/false overrides retryable (Stripe: Stripe-Should-Retry)",
    )


class EventsSpec(_Model):
    """Errors inside a server-sent-event stream (issue 18 section 4)."""

    names: list[str] = Field(
        default=["error"],
        min_length=1,
        description="the event names whose data is an error, read with the envelope as a body "
        "(Anthropic: error; an event without a name is 'message')",
    )
    data_at: str | None = Field(
        default=None,
        description="a key path: an error event's data is the value a response body holds at this path "
        "(OpenAI Responses: error, its flat {type, code, message, param} being a body's error object); "
        "default: the data is a whole body",
    )
    when: str | None = Field(
        default=None,
        description="a key path in an event's data: an event of any name (or none) whose JSON data holds a "
        "value there that is not null, false, zero or empty is an error too (OpenAI Chat Completions: error, "
        'for its unnamed data: {"error": {...}}, as openai-python raises); default: the names alone decide',
    )


class GroupSpec(_Model):
    """A class the API defines between a category and some of its code classes."""

    errors: Annotated[list[str | int], BeforeValidator(_to_list)] = Field(
        default=[], description="the names or codes of the catalogue entries whose classes sit under this group"
    )
    parent: str | None = Field(default=None, description="another group this one sits under")
    description: str = ""
    type: str | None = Field(
        default=None,
        description="the value of envelope.type this group is the class of: a response of this type whose "
        "code no entry has becomes this class (Stripe: card_error -> CardError)",
    )
    category: Category | None = Field(
        default=None,
        description="the taxonomy category the group sits under, where its errors do not say it: a type group "
        "that lists none (Stripe: api_error -> server); every error it holds must be of this category",
    )


class Spec(_Model):
    """A whole spec file."""

    errorsdk: Literal[1]
    api: ApiInfo
    envelope: Envelope = Envelope()
    codes: Codes = Codes()
    errors: list[ErrorSpec] = Field(min_length=1)
    fallbacks: Fallbacks = Fallbacks()
    rules: list[Rule] = []
    schemas: dict[str, JsonSchema] = {}
    categories: dict[Category, CategorySpec] = {}
    detail_schema: JsonSchema | None = None
    retry: RetrySpec = RetrySpec()
    groups: dict[str, GroupSpec] = Field(
        default={}, description="intermediate classes by name: except a group catches every error it lists"
    )
    events: EventsSpec | None = Field(default=None, description="errors sent as server-sent events")


def json_schema() -> str:
    """The spec format's JSON Schema, as shipped in ``generator/spec.schema.json``."""
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "errorsdk spec"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
