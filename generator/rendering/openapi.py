"""The catalogue as OpenAPI 3.1 components (``errorsdk openapi``), built from the model.

What is written::

    components.schemas    the envelope (every field where ``to_response()`` writes it,
                          see layout) and one schema per detail model
    components.responses  one per status a catalogue entry is sent with: the envelope
                          with the codes that status carries (``enum``), one example per
                          entry (what ``to_response()`` returns, as docs.py builds it) and
                          ``x-error-codes`` (code, sub_code, message, category, type,
                          class_name and retryable where the spec sets them)

A status's body schema is the envelope component narrowed: ``allOf`` of a ``$ref`` to
it and only the keywords that status changes (its codes' ``enum``, the status
``const``, what it requires, its details' models, its sub-codes and types, and per code
its sub-codes where code and sub-code share an object), so the envelope is written once.
The document carries ``x-errorsdk``: what OpenAPI has no place for (how codes are
normalised or cut from the message, select steps, errors inside a 2xx, rules,
fallbacks, groups, retry advice), as the spec's own ``envelope``, ``codes``, ``rules``,
``fallbacks``, ``groups`` and ``retry`` sections, and ``api.class_prefix``;
``errorsdk import openapi`` reads them back. ``x-error-codes`` names a coded
entry (``entry``) where the spec names it (rules and fallbacks refer to it so).
The envelope schema also carries ``x-error-envelope``: the spec's read paths of each
field, so that ``errorsdk import openapi`` of the output gives back the same envelope
whatever the keys are called. ``responses(api)`` is the same per-status responses
self-contained: every ``$ref`` inlined and each narrowing merged into one schema,
what a FastAPI app passes as ``responses=`` (its document does not hold our
components). The generated ``_openapi.py`` holds the components once and resolves
them when ``openapi_responses()`` is called (``tests/test_openapi_output.py`` holds
the two equal).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ..model.data import ApiModel, ErrorClass
from ..model.docs import example_response, reason
from ..spec.layout import WriteSteps, steps_text

OPENAPI_VERSION = "3.1.0"
EXTENSION = "x-errorsdk"  # the spec's envelope, codes, rules and fallbacks, as the spec writes them
_REF = "#/components/schemas/"
_FIELD_DOCS = {
    "code": "The machine code: what the SDK dispatches on.",
    "message": "The human-readable message.",
    "detail": "More about the error.",
    "status": "The HTTP status, repeated in the body.",
    "request_id": "The request id, for support.",
    "sub_code": "The finer code under the code.",
    "type": "The error type.",
}


def _models(api: ApiModel) -> dict[str, Any]:
    """The detail models' schemas, their ``$ref``s pointing into components."""
    if api.details is None:
        return {}
    text = api.details.schema_json.replace('"#/$defs/', '"' + _REF)
    defs: dict[str, Any] = json.loads(text).get("$defs", {})
    return defs


def _envelope_name(api: ApiModel) -> str:
    return api.base_class if api.base_class not in _models(api) else api.base_class + "Envelope"


def detail_model(api: ApiModel, error: ErrorClass) -> str | None:
    """The model an error's detail is checked against: its own, its category's, the API's."""
    for name in (error.class_name, error.parent):
        found = api.detail_of(name)
        if found is not None and found.parser is not None:
            return found.parser
    return api.detail_parser


def _field_schema(
    api: ApiModel, field: str, errors: tuple[ErrorClass, ...], status: int | None, whole: bool = False
) -> dict[str, Any]:
    """The schema of an envelope field for ``errors``; ``whole``: the envelope component
    (every entry), where sub-codes and types are not enumerated, since a status without
    them lets any through (its schema then narrows the component's)."""
    kind = "integer" if api.dispatch.integer_codes else "string"
    if field == "code":
        codes = list(dict.fromkeys(e.code for e in errors if e.code is not None))
        schema: dict[str, Any] = {"type": kind, "description": _FIELD_DOCS[field]}
        if codes:
            schema["enum"] = codes
        return schema
    if field in ("sub_code", "type"):  # the known values of the entries sent here
        known = [] if whole else _known(api, field, errors)
        schema = {"type": "string", "description": _FIELD_DOCS[field]}
        if known:
            schema["enum"] = known
        return schema
    if field == "status":
        schema = {"type": "integer", "description": _FIELD_DOCS[field]}
        if status is not None:
            schema["const"] = status
        return schema
    if field == "detail":
        found = [detail_model(api, e) for e in errors]
        models = sorted({m for m in found if m is not None})
        if not models or None in found:  # an error without a model: its detail is any JSON
            return {"description": _FIELD_DOCS[field] + " Any JSON."}
        refs: list[dict[str, Any]] = [{"$ref": _REF + m} for m in models]
        return {"anyOf": [*refs, {"type": "null"}], "description": _FIELD_DOCS[field]}
    return {"type": "string", "description": _FIELD_DOCS[field]}


def _known(api: ApiModel, field: str, errors: tuple[ErrorClass, ...]) -> list[str]:
    """The sub-codes the ``errors`` name, or the types of their classes (only where every
    one has a type, or no type listed would be wrong): an ``enum`` of them."""
    if field == "sub_code":
        return list(dict.fromkeys(e.sub_code for e in errors if e.sub_code is not None))
    types = [api.type_of(e.class_name) for e in errors]
    if not types or None in types:
        return []
    return list(dict.fromkeys(t for t in types if t is not None))


def _sub_codes_by_code(
    api: ApiModel, node: dict[str, Any], writers: dict[str, WriteSteps], errors: tuple[ErrorClass, ...]
) -> dict[str, Any]:
    """``node`` where the code and the sub-code sit in one object (keys only, no list or
    select step on the way): that object says, per code with sub-code entries, which
    sub-codes come with it (``if`` the code is it, ``then`` the sub-code's ``enum``)."""
    code, sub = writers.get("code"), writers.get("sub_code")
    if code is None or sub is None or code[:-1] != sub[:-1] or not all(isinstance(s, str) for s in code + sub):
        return node
    by_code: dict[Any, list[str]] = {}
    for error in errors:
        if error.sub_code is not None and error.code is not None:
            by_code.setdefault(error.code, []).append(error.sub_code)
    if not by_code:
        return node
    code_key, sub_key = str(code[-1]), str(sub[-1])
    rules = [
        {
            "if": {"properties": {code_key: {"const": value}}, "required": [code_key]},
            "then": {"properties": {sub_key: {"enum": known}}},
        }
        for value, known in by_code.items()
    ]

    def at(target: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
        if not path:
            return {**target, "allOf": rules}
        props = dict(target.get("properties") or {})
        props[path[0]] = at(dict(props.get(path[0]) or {}), path[1:])
        return {**target, "properties": props}

    return at(node, tuple(str(s) for s in code[:-1]))


def _listing(api: ApiModel, error: ErrorClass) -> dict[str, Any]:
    """An entry's ``x-error-codes`` object: its code (or its entry name), message and
    category, and what the spec says beyond them: its sub-code, a class name it gives,
    a ``retryable`` other than the one its class inherits, and the type of its class."""
    found: dict[str, Any] = {"code": error.code} if error.code is not None else {"entry": error.name}
    if error.sub_code is not None:
        found["sub_code"] = error.sub_code
    found |= {"message": error.message, "category": error.category}
    if error.code is not None:
        found |= _entry_name(error)
    kind = api.type_of(error.class_name)
    if kind is not None:
        found["type"] = kind
    if error.class_name_given:
        found["class_name"] = error.class_name
    if error.retryable != error.parent_retryable:
        found["retryable"] = error.retryable
    return found


def _put(node: dict[str, Any], steps: WriteSteps, leaf: dict[str, Any], required: bool) -> dict[str, Any]:
    """``node`` with ``leaf`` as the schema at ``steps`` (objects and arrays made on the way)."""
    if not steps:
        if node.get("properties") or node.get("type") == "array":  # the detail holds other fields
            return {**leaf, **{k: v for k, v in node.items() if k in ("type", "properties", "items", "required")}}
        return leaf
    step, rest = steps[0], steps[1:]
    if isinstance(step, tuple):
        out: dict[str, Any] = dict(node) if node.get("type") == "array" else {"type": "array"}
        out["items"] = _put(dict(out.get("items") or {}), rest, leaf, required)
        return out
    out = dict(node) if node.get("type") == "object" or "properties" in node else {"type": "object"}
    props = dict(out.get("properties") or {})
    props[step] = _put(dict(props.get(step) or {}), rest, leaf, required)
    out["properties"] = props
    if required and step not in out.get("required", []):
        out["required"] = [*out.get("required", []), step]
    return out


def _declared(api: ApiModel) -> dict[str, Any]:
    """The spec's read paths of each field (``x-error-envelope``), in the spec's notation."""
    env = api.envelope
    found: dict[str, Any] = {}
    if env.items_steps is not None:
        found["items"] = steps_text(env.items_steps)
    for field, texts in env.read_paths:
        paths = [t.replace("header ", "header:", 1) if t.startswith("header ") else t for t in texts]
        found[field] = paths[0] if len(paths) == 1 else paths
    return found


def envelope_schema(
    api: ApiModel, errors: tuple[ErrorClass, ...], status: int | None, whole: bool = False
) -> dict[str, Any]:
    """The body ``to_response()`` writes for ``errors``: each field where layout puts it
    (``whole``: the envelope component, see ``_field_schema``)."""
    env = api.envelope
    always = {"message", "status"} | ({"code"} if all(e.code is not None for e in errors) else set())
    doc: dict[str, Any] = {}
    if env.items_steps is not None:
        item: dict[str, Any] = {}
        for field, steps in env.item_writers:
            item = _put(item, steps, _field_schema(api, field, errors, status, whole), field in always)
        if not whole:
            item = _sub_codes_by_code(api, item, dict(env.item_writers), errors)
        doc = _put(doc, env.items_steps, {"type": "array", "items": item, "minItems": 1}, True)
    for field, steps in env.body_writers:
        if field == "retry_after":
            continue  # its RetryInfo item would merge into the one schema the code's filter item has
        doc = _put(doc, steps, _field_schema(api, field, errors, status, whole), field in always)
    if not whole:
        doc = _sub_codes_by_code(api, doc, dict(env.body_writers), errors)
    if env.flag_steps is not None:
        doc = _put(doc, env.flag_steps, {"const": env.flag_value}, True)
    doc = {"title": f"{api.title} error", **doc}
    doc["x-error-envelope"] = _declared(api)
    return doc


def _by_status(api: ApiModel) -> dict[int | str, tuple[ErrorClass, ...]]:
    """The entries of each status, statuses ascending; entries without a status (sent with
    any status of their category) under ``default``."""
    groups: dict[int | str, list[ErrorClass]] = {}
    for error in sorted(api.errors, key=lambda e: e.status is None):
        groups.setdefault(error.status if error.status is not None else "default", []).append(error)
    order = sorted(groups, key=lambda s: (isinstance(s, str), s if isinstance(s, int) else 0))
    return {status: tuple(groups[status]) for status in order}


def narrowing(base: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any] | None:
    """The keywords ``schema`` has beyond ``base`` (``properties`` and ``items`` compared
    one level down at a time), such that ``base`` with them merged in (``_merged`` of the
    generated ``_openapi.py``) is ``schema``; None when ``schema`` lacks a keyword or
    property ``base`` has (it then narrows nothing)."""
    if any(key not in schema for key in base):
        return None
    out: dict[str, Any] = {}
    for key, value in schema.items():
        old = base.get(key)
        if key in base and value == old:
            continue
        if key == "items" and isinstance(old, dict) and isinstance(value, dict):
            inner = narrowing(old, value)
            if inner is None:
                return None
            out[key] = inner
        elif key == "properties" and isinstance(old, dict) and isinstance(value, dict):
            props: dict[str, Any] = {}
            for name, sub in value.items():
                inner = narrowing(old[name], sub) if isinstance(old.get(name), dict) else sub
                if inner is None or any(n not in value for n in old):
                    return None
                if inner or name not in old:
                    props[name] = inner
            out[key] = props
        else:
            out[key] = value
    return out


def _response(api: ApiModel, status: int | str, errors: tuple[ErrorClass, ...], shared: bool) -> dict[str, Any]:
    """The response object of a status; ``shared``: its schema narrows the envelope component."""
    env = api.envelope
    codeless = [e for e in errors if e.code is None]
    if len(codeless) == 1:
        description = codeless[0].message
    elif isinstance(status, int):
        description = reason(status) or f"Status {status}"
    else:
        description = "An error sent with any status of its category"
    examples: dict[str, Any] = {}
    for error in errors:
        key = str(error.code) if error.code is not None else error.name
        if key in examples:
            key = error.name
        examples[key] = {"summary": error.message, "value": example_response(api, error).body}
    schema = envelope_schema(api, errors, status if isinstance(status, int) else None)
    if shared:
        narrowed = narrowing(envelope_schema(api, api.errors, None, whole=True), schema)
        if narrowed is not None:
            schema = {"allOf": [_ref(api), narrowed]} if narrowed else _ref(api)
    media: dict[str, Any] = {"schema": schema, "examples": examples}
    response: dict[str, Any] = {"description": description}
    headers = {}
    for field, name in env.header_writers:  # the field's schema, codes enumerated (a header holds text)
        header = _field_schema(api, field, errors, status if isinstance(status, int) else None)
        headers[name] = {"description": header.pop("description"), "schema": header}
    if headers:
        response["headers"] = headers
    if env.body_writers or env.items_steps is not None:
        response["content"] = {"application/json": media}
    # entries without a code too, by their entry name (no "code": FastAPI drops nulls): none lost on import
    listed = [_listing(api, e) for e in errors if e.code is not None]
    listed += [_listing(api, e) for e in errors if e.code is None]
    if listed:
        response["x-error-codes"] = listed
    return response


def envelope_ref(api: ApiModel) -> str:
    """The ``$ref`` of the envelope component."""
    return _REF + _envelope_name(api)


def _entry_name(error: ErrorClass) -> dict[str, str]:
    """``entry``: a coded entry's name where the spec gives it one (rules and fallbacks
    name entries); a name the code makes is left out."""
    made = (error.sub_code,) if error.sub_code is not None else (str(error.code), f"{error.code}_{error.status}")
    return {} if error.name in made else {"entry": error.name}


def _ref(api: ApiModel) -> dict[str, Any]:
    return {"$ref": envelope_ref(api)}


def schemas(api: ApiModel) -> dict[str, Any]:
    """``components.schemas``: the envelope (every code) and the detail models."""
    return {_envelope_name(api): envelope_schema(api, api.errors, None, whole=True), **_models(api)}


def shared_responses(api: ApiModel) -> dict[int | str, Any]:
    """Status -> response object, its schema a narrowing of the envelope component
    (``$ref``s into ``schemas(api)``): ``components.responses``, and what ``_openapi.py`` holds."""
    return {s: _response(api, s, e, shared=True) for s, e in _by_status(api).items()}


def components(api: ApiModel) -> dict[str, Any]:
    """The ``components`` object: schemas, and one response per status (``$ref``s into schemas)."""
    return {"schemas": schemas(api), "responses": {str(s): r for s, r in shared_responses(api).items()}}


def document(api: ApiModel) -> dict[str, Any]:
    """An OpenAPI 3.1 document holding only the components (``errorsdk openapi``)."""
    info: dict[str, Any] = {"title": api.title, "version": api.version}
    if api.description:
        info["description"] = api.description
    doc: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": info}
    if api.docs_url:
        doc["externalDocs"] = {"url": api.docs_url}
    carried = json.loads(api.carried)
    if carried:
        doc[EXTENSION] = {"errorsdk": 1, **carried}
    doc["components"] = components(api)
    return doc


def _inline(node: Any, schemas: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            name = ref[len(_REF) :]
            if name in seen:  # a recursive model: any JSON below the cycle
                return {"description": f"{name} (recursive)"}
            return _inline(copy.deepcopy(schemas[name]), schemas, (*seen, name))
        return {k: _inline(v, schemas, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, schemas, seen) for v in node]
    return node


def responses(api: ApiModel) -> dict[int | str, Any]:
    """Status -> response object, self-contained (no ``$ref``): FastAPI's ``responses=``."""
    models = _models(api)
    return {s: _inline(_response(api, s, e, shared=False), models) for s, e in _by_status(api).items()}


def document_text(doc: dict[str, Any], yaml_out: bool) -> str:
    """``doc`` as text (YAML or JSON), the same bytes for the same spec."""
    if yaml_out:
        import yaml

        return str(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120))
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
