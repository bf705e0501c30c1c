"""OpenAPI 3.0 / 3.1 document -> a proposed spec.

What is read: every operation's error responses (``4xx``/``5xx`` statuses, ``4XX``/``5XX``
ranges, ``default``), their JSON schemas with ``$ref`` chains, ``allOf`` merged and
``oneOf``/``anyOf`` variants analysed one by one; from those, where the code, message,
detail, status and request id sit (the envelope, by majority over the responses), the
codes a schema enumerates (``enum``/``const``, a variant's ``default`` message), and the
detail schema: carried over as JSON Schema into ``detail_schema:`` (top level when every
error shares it, else per error), the components it refers to as shared ``schemas:``
(see detail_schema.py). What cannot be inferred or carried over becomes a TODO comment.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..spec import naming, taxonomy
from ..spec.diagnostics import Diagnostic, SpecError
from ..spec.loader import load_document
from .detail_schema import DetailSchemaConverter
from .proposal import (
    CODE_KEYS,
    DETAIL_KEYS,
    MESSAGE_KEYS,
    NEST_KEYS,
    REQUEST_ID_HEADER,
    REQUEST_ID_KEYS,
    SEMVER,
    STATUS_KEYS,
    Proposal,
    ProposedError,
    guess_category,
    humanize,
    reason,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_MEDIA = re.compile(r"^(application/([\w.+-]*\+)?json|\*/\*|text/json)(;.*)?$", re.I)

MAX_DEPTH = 40
DETAIL_SCHEMA_INLINE = 600


@dataclass
class Variant:
    """What one error body schema says."""

    fields: dict[str, str] = field(default_factory=dict)  # envelope field -> path
    items: str | None = None
    codes: list[tuple[str | int, str | None, str]] = field(default_factory=list)  # code, message, description
    detail_schema: Any = None  # as the document writes it ($refs not followed)
    detail_ref: str | None = None  # where the detail schema is defined, when a $ref
    code_details: dict[str | int, Any] = field(default_factory=dict)  # a variant's own detail schema
    integer_codes: bool = False
    problem: bool = False  # RFC 9457 problem+json
    declared: dict[str, Any] | None = None  # ``x-error-envelope``: the fields' paths, as a spec writes them


@dataclass
class Usage:
    key: str  # "404", "4XX", "default"
    where: str  # "GET /pets"
    description: str
    variant: Variant | None
    request_id_header: str | None
    examples: list[Any] = field(default_factory=list)  # the response's example bodies
    listed_codes: list[str | int] = field(default_factory=list)  # an ``x-error-codes``-style extension
    listed_categories: dict[str | int, str] = field(default_factory=dict)  # its objects' ``category``
    listed_messages: dict[str | int, str] = field(default_factory=dict)  # its objects' ``message``
    listed_codeless: list[tuple[str | None, str, str | None]] = field(default_factory=list)  # name, message, category
    listed_names: dict[str | int, str] = field(default_factory=dict)  # a coded object's ``entry`` name
    # objects with a ``sub_code`` beside the code: (code, sub_code, message, category, entry name)
    listed_sub_codes: list[tuple[str | int, str, str, str | None, str | None]] = field(default_factory=list)
    # (code, sub_code, entry name of a code-less object) -> its class_name and retryable
    listed_traits: dict[tuple[Any, Any, Any], dict[str, Any]] = field(default_factory=dict)


class _Resolver:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def ref(self, node: Any) -> Any:
        """Follow a ``$ref`` chain to its end (local references only; cycles stop)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = node["$ref"]
            if target in seen or not target.startswith("#/") or len(seen) > MAX_DEPTH:
                return {}
            seen.add(target)
            node = self._pointer(target)
        return node

    def _pointer(self, target: str) -> Any:
        node: Any = self.doc
        for raw in target[2:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return {}
        return node

    def flatten(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """A schema with ``$ref`` followed and ``allOf`` merged: later parts refine earlier ones,
        the schema's own keys refine them all (property by property)."""
        schema = self.ref(schema)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return {}
        merged: dict[str, Any] = {}
        for part in schema.get("allOf") or []:
            merged = self._merge(merged, self.flatten(part, depth + 1))
        return self._merge(merged, {k: v for k, v in schema.items() if k != "allOf"})

    def _merge(self, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out = {**a, **b}
        if "properties" in a or "properties" in b:
            props = dict(a.get("properties") or {})
            for name, sub in (b.get("properties") or {}).items():
                old, new = self.ref(props.get(name)), self.ref(sub)
                both = isinstance(old, dict) and isinstance(new, dict)
                props[name] = {**old, **new} if both else sub
            out["properties"] = props
        return out

    def variants(self, schema: Any, depth: int = 0) -> list[dict[str, Any]]:
        """The alternatives a schema allows (``oneOf``/``anyOf`` expanded, ``null`` dropped)."""
        flat = self.flatten(schema, depth)
        alts = flat.get("oneOf") or flat.get("anyOf")
        if not alts or depth > MAX_DEPTH:
            return [flat] if flat.get("type") != "null" else []
        base = {k: v for k, v in flat.items() if k not in ("oneOf", "anyOf")}
        out = []
        for alt in alts:
            for v in self.variants(alt, depth + 1):
                merged = {**base, **v, "properties": {**base.get("properties", {}), **v.get("properties", {})}}
                out.append(merged)
        return out

    def inline(self, schema: Any, depth: int = 0) -> Any:
        """The schema with every ``$ref`` replaced by its target (cycles cut), for JSON Schema output."""
        if depth > 12:
            return {}
        if isinstance(schema, dict):
            if "$ref" in schema:
                return self.inline(self.ref(schema), depth + 1)
            return {
                k: self.inline(v, depth + 1)
                for k, v in schema.items()
                if k not in ("discriminator", "xml", "example", "examples")
            }
        if isinstance(schema, list):
            return [self.inline(v, depth + 1) for v in schema]
        return schema


def _types(schema: dict[str, Any]) -> set[str]:
    t = schema.get("type")
    kinds = set(t) if isinstance(t, list) else ({t} if isinstance(t, str) else set())
    for key in ("const", "default"):
        if key in schema and schema[key] is not None:
            kinds.add("integer" if isinstance(schema[key], int) else "string")
    for v in schema.get("enum") or []:
        if v is not None:
            kinds.add("integer" if isinstance(v, int) and not isinstance(v, bool) else "string")
    return kinds - {"null"}


class _Analyzer:
    def __init__(self, resolver: _Resolver) -> None:
        self.r = resolver

    def props(self, schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Property name -> flattened schema (a nullable anyOf reduced to its non-null member)."""
        out = {}
        for name, sub in (schema.get("properties") or {}).items():
            alts = self.r.variants(sub)
            out[str(name)] = alts[0] if len(alts) == 1 else self.r.flatten(sub)
        return out

    def analyse(self, schema: Any) -> Variant:
        variants = self.r.variants(schema)
        result = Variant()
        for body in variants:
            one = self._one(body)
            for k, v in one.fields.items():
                result.fields.setdefault(k, v)
            result.items = result.items or one.items
            result.codes += [c for c in one.codes if c[0] not in {x[0] for x in result.codes}]
            result.detail_schema = result.detail_schema or one.detail_schema
            result.detail_ref = result.detail_ref or one.detail_ref
            result.integer_codes = result.integer_codes or one.integer_codes
            result.code_details = {**one.code_details, **result.code_details}
            result.problem = result.problem or one.problem
        declared = self.r.flatten(schema).get(ENVELOPE_EXTENSION)
        if isinstance(declared, dict) and all(isinstance(k, str) for k in declared):
            result.declared = declared  # the document says where the fields sit: believed over inference
            result.items = declared.get("items") if isinstance(declared.get("items"), str) else None
            inferred = result.fields.get("code")
            result.fields = {
                k: first for k, v in declared.items() if k != "items" and (first := _first_path(v)) is not None
            }
            if result.fields.get("code") != inferred:  # the enumerations read were of another field
                result.codes, result.code_details, result.integer_codes = [], {}, False
        return result

    def _one(self, body: dict[str, Any], prefix: str = "", depth: int = 0) -> Variant:
        out = Variant()
        props = self.props(body)
        if not props:
            return out
        for key in REQUEST_ID_KEYS:
            if key in props and _types(props[key]) & {"string", "integer"}:
                out.fields["request_id"] = prefix + key
                break
        if depth < 3:
            for key in NEST_KEYS:
                if key in props and (
                    props[key].get("properties") or props[key].get("oneOf") or props[key].get("anyOf")
                ):
                    nested = Variant()
                    for alt in self.r.variants(props[key]):
                        inner = self._one(alt, f"{prefix}{key}.", depth + 1)
                        for k, v in inner.fields.items():
                            nested.fields.setdefault(k, v)
                        nested.codes += [c for c in inner.codes if c[0] not in {x[0] for x in nested.codes}]
                        nested.detail_schema = nested.detail_schema or inner.detail_schema
                        nested.detail_ref = nested.detail_ref or inner.detail_ref
                        nested.integer_codes = nested.integer_codes or inner.integer_codes
                        nested.code_details = {**inner.code_details, **nested.code_details}
                    if "code" in nested.fields or "message" in nested.fields:
                        nested.fields.update({k: v for k, v in out.fields.items()})
                        return nested
            items = props.get("errors")
            if not prefix and items and items.get("type") == "array" and not ({"code", "message"} & set(props)):
                item = self.r.flatten(items.get("items"))
                inner = self._one(item, "", depth + 1)
                if "message" in inner.fields or "code" in inner.fields:
                    inner.items = "errors"
                    return inner
        problem = {"type", "title"} <= set(props) and bool({"status", "detail"} & set(props))
        out.problem = problem
        code_key = "type" if problem else None
        ints = [k for k in CODE_KEYS if k in props and _types(props[k]) == {"integer"}]
        strs = [k for k in CODE_KEYS if k in props and "string" in _types(props[k]) and not props[k].get("format")]
        if code_key is None:
            code_key = next((k for k in CODE_KEYS if k in strs or k in ints), None)
            if code_key in ints and code_key in STATUS_KEYS and any(k in strs for k in ("status", "reason", "type")):
                code_key = next(k for k in ("status", "reason", "type") if k in strs)
        status_key = next((k for k in STATUS_KEYS if k in ints and k != code_key), None)
        message_key = next(
            (k for k in MESSAGE_KEYS if k in props and k != code_key and "string" in _types(props[k])), None
        )
        if message_key is None and "message" in props:
            message_key = "message"
        detail_key = next(
            (
                k
                for k in DETAIL_KEYS
                if k in props and k not in (code_key, message_key) and not _types(props[k]) <= {"string"}
            ),
            None,
        )
        for fld, prop in (("code", code_key), ("message", message_key), ("detail", detail_key), ("status", status_key)):
            if prop is not None:
                out.fields[fld] = prefix + prop
        if detail_key is not None:
            raw = (body.get("properties") or {}).get(detail_key)
            out.detail_schema = raw
            out.detail_ref = raw.get("$ref") if isinstance(raw, dict) and isinstance(raw.get("$ref"), str) else None
        if code_key is not None:
            code_schema = props[code_key]
            out.integer_codes = _types(code_schema) == {"integer"}
            message_default = None
            if message_key is not None:
                default = props[message_key].get("default")
                message_default = default if isinstance(default, str) else None
            desc = str(body.get("description") or "")
            values = code_schema.get("enum") or ([code_schema["const"]] if "const" in code_schema else [])
            for value in values:
                if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "about:blank":
                    out.codes.append(
                        (value, message_default if len(values) == 1 else None, desc if len(values) == 1 else "")
                    )
                    if len(values) == 1 and out.detail_schema:
                        out.code_details[value] = out.detail_schema
        return out


ENVELOPE_KEYS = ("items", "code", "message", "detail", "status", "request_id")
ENVELOPE_EXTENSION = "x-error-envelope"
"""Where each field sits, as a spec's ``envelope:`` says it (``errorsdk openapi`` writes it)."""


def _first_path(value: Any) -> str | None:
    """The first body path of a declared field (headers are not in the body)."""
    paths = value if isinstance(value, list) else [value]
    return next((p for p in paths if isinstance(p, str) and not p.startswith("header:")), None)


# Extensions documents use to list the codes a response carries (a list of codes, or of
# objects with a code and message): Square's x-error-codes style, and the spelling variants.
CODE_EXTENSIONS = ("x-error-codes", "x-errorCodes", "x-error-code", "x-codes", "x-errors")


def _media_examples(r: _Resolver, resp: dict[str, Any]) -> list[Any]:
    """The example bodies of a response: ``example``, ``examples.*.value`` and the schema's
    ``example``/``examples``, of every JSON media type (``$ref``s followed)."""
    out: list[Any] = []
    content = resp.get("content")
    for media, body in sorted(content.items(), key=lambda kv: str(kv[0])) if isinstance(content, dict) else ():
        if not (_JSON_MEDIA.match(str(media)) and isinstance(body, dict)):
            continue
        if "example" in body:
            out.append(body["example"])
        named = body.get("examples")
        for item in named.values() if isinstance(named, dict) else ():
            item = r.ref(item)
            if isinstance(item, dict) and "value" in item:
                out.append(item["value"])
        schema = r.flatten(body.get("schema"))
        if "example" in schema:
            out.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            out += schema["examples"]
    return out


def _listed_codes(
    resp: dict[str, Any],
    categories: dict[str | int, str] | None = None,
    messages: dict[str | int, str] | None = None,
    codeless: list[tuple[str | None, str, str | None]] | None = None,
    names: dict[str | int, str] | None = None,
    sub_codes: list[tuple[str | int, str, str, str | None, str | None]] | None = None,
    traits: dict[tuple[Any, Any, Any], dict[str, Any]] | None = None,
) -> list[str | int]:
    """The codes an ``x-error-codes``-style extension of the response (or of its media
    type objects) lists; the taxonomy category and the message an object names go into
    ``categories`` and ``messages``; an object with an ``entry`` name and no ``code`` (an
    error known by its status alone, as ``errorsdk openapi`` lists one) into ``codeless``,
    as (name, message, category); a coded object's ``entry`` name into ``names``; an object
    with a ``sub_code`` (an entry of that pair) into ``sub_codes`` only, as (code, sub_code,
    message, category, entry name); an object's ``class_name`` and ``retryable`` into
    ``traits``, by (code, sub_code, entry name of a code-less object)."""
    out: list[str | int] = []
    content = resp.get("content")
    holders = [resp] + [m for m in content.values() if isinstance(m, dict)] if isinstance(content, dict) else [resp]
    for key, holder in ((k, h) for h in holders for k in CODE_EXTENSIONS):
        items = holder.get(key)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict):
                named, text, entry = item.get("category"), item.get("message"), item.get("entry")
                if traits is not None:
                    _read_traits(item, traits)
                code, sub_code = item.get("code"), item.get("sub_code")
                if (
                    isinstance(sub_code, str)
                    and sub_code
                    and isinstance(code, (str, int))
                    and not isinstance(code, bool)
                ):
                    kind = named if isinstance(named, str) and named in taxonomy.BY_NAME else None
                    text = text if isinstance(text, str) and text.strip() else sub_code
                    pair = (code, sub_code, text, kind, entry if isinstance(entry, str) and entry else None)
                    if sub_codes is not None and pair not in sub_codes:
                        sub_codes.append(pair)
                    continue
                if isinstance(item.get("entry"), str) and "code" not in item and isinstance(text, str) and text.strip():
                    name = item["entry"]
                    kind = named if isinstance(named, str) and named in taxonomy.BY_NAME else None
                    if codeless is not None and (name, text, kind) not in codeless:
                        codeless.append((name, text, kind))  # the listing's own text, verbatim
                    continue
                item = next((item[k] for k in ("code", "name", "error_code", "id") if k in item), None)
                if isinstance(item, (str, int)) and not isinstance(item, bool):
                    if categories is not None and isinstance(named, str) and named in taxonomy.BY_NAME:
                        categories.setdefault(item, named)
                    if messages is not None and isinstance(text, str) and text.strip():
                        messages.setdefault(item, text)  # the listing's own text, verbatim
                    if names is not None and isinstance(entry, str) and entry:
                        names.setdefault(item, entry)
            if isinstance(item, (str, int)) and not isinstance(item, bool) and item not in out:
                out.append(item)
    return out


def _only_sub_coded(u: Usage, code: str | int) -> bool:
    """Whether the response lists ``code`` only with sub-codes (the main entry is sent with
    another status): its schema's enum and examples show the code for those entries."""
    return code not in u.listed_codes and any(c == code for c, *_ in u.listed_sub_codes)


def _read_traits(item: dict[str, Any], traits: dict[tuple[Any, Any, Any], dict[str, Any]]) -> None:
    """A listed object's ``class_name`` and ``retryable`` (what ``errorsdk openapi`` writes
    where the spec sets them), by (code, sub_code, entry name of a code-less object)."""
    found: dict[str, Any] = {}
    if isinstance(item.get("class_name"), str) and item["class_name"]:
        found["class_name"] = item["class_name"]
    if isinstance(item.get("retryable"), bool):
        found["retryable"] = item["retryable"]
    if found:
        key = (item.get("code"), item.get("sub_code"), None if "code" in item else item.get("entry"))
        traits.setdefault(key, found)


def _media_schema(resp: dict[str, Any]) -> Any:
    content = resp.get("content")
    if not isinstance(content, dict):
        return None
    for media in sorted(content, key=lambda m: (not str(m).startswith("application/json"), str(m))):
        if _JSON_MEDIA.match(str(media)) and isinstance(content[media], dict):
            return content[media].get("schema")
    return None


def collect(doc: dict[str, Any], success_errors: bool = False) -> list[Usage]:
    """Every error response of every operation, in document order; then the responses of
    ``components.responses`` named by a status that no operation refers to (a document
    of components only, as ``errorsdk openapi`` writes, describes its errors there).
    ``success_errors``: 2xx responses are error responses too (the API flags errors in them)."""
    r = _Resolver(doc)
    analyser = _Analyzer(r)
    cache: dict[str, Variant] = {}
    usages = []
    referred: set[str] = set()

    def use(key: str, resp: Any, where: str) -> None:
        key = key.upper() if key.lower() != "default" else "default"
        if not (key == "default" or re.fullmatch(r"[45](\d\d|XX)", key) or (success_errors and key[:1] == "2")):
            return
        if isinstance(resp, dict) and isinstance(resp.get("$ref"), str):
            referred.add(resp["$ref"])
        resp = r.ref(resp)
        if not isinstance(resp, dict):
            return
        schema = _media_schema(resp)
        variant = None
        if schema is not None:
            ident = json.dumps(schema, sort_keys=True, default=str)
            if ident not in cache:
                cache[ident] = analyser.analyse(schema)
            variant = cache[ident]
        headers = resp.get("headers")
        headers = headers if isinstance(headers, dict) else {}
        rid = next((str(h) for h in headers if REQUEST_ID_HEADER.match(str(h))), None)
        usage = Usage(key, where, str(resp.get("description") or ""), variant, rid)
        usage.examples = _media_examples(r, resp)
        usage.listed_codes = _listed_codes(
            resp,
            usage.listed_categories,
            usage.listed_messages,
            usage.listed_codeless,
            usage.listed_names,
            usage.listed_sub_codes,
            usage.listed_traits,
        )
        usages.append(usage)

    paths = doc.get("paths") or {}
    for path, item in paths.items() if isinstance(paths, dict) else ():
        item = r.ref(item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict) or not isinstance(op.get("responses"), dict):
                continue
            for key, resp in op["responses"].items():
                use(str(key), resp, f"{method.upper()} {path}")
    components = doc.get("components")
    shared = components.get("responses") if isinstance(components, dict) else None
    for name, resp in shared.items() if isinstance(shared, dict) else ():
        if f"#/components/responses/{name}" not in referred:
            use(str(name), resp, f"components/responses/{name}")
    return usages


def load_openapi(path: Path) -> dict[str, Any]:
    """The document as plain data; a clear SpecError (file:line:column) for bad input."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        load_document(path)  # raises the loader's diagnostic
        raise
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = json.loads(text)  # most large documents are JSON: the fast path
    except ValueError:
        try:
            doc = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            load_document(path)  # the same error, with its position
            raise
    version = doc.get("openapi") if isinstance(doc, dict) else None
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.", version):
        found = (
            f"swagger {doc.get('swagger')!r}" if isinstance(doc, dict) and "swagger" in doc else f"openapi {version!r}"
        )
        raise SpecError(
            [
                Diagnostic(
                    str(path), 1, 1, f"not an OpenAPI 3.0 or 3.1 document ({found})", "convert it to OpenAPI 3.x first"
                )
            ]
        )
    return dict(doc)


def _first_line(text: str) -> str:
    line = " ".join(text.strip().split("\n\n")[0].split())
    return line[:200]


def _detail_todo(schema: Any, ref: str | None, what: str, why: str) -> str:
    """The TODO for a detail schema that could not be carried over: why, and the schema."""
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), default=str)
    where = f" ({ref} in the source)" if ref else ""
    shown = f": {text}" if len(text) <= DETAIL_SCHEMA_INLINE else "; too long to copy here"
    return f"TODO(detail schema): {what} could not be carried over ({why}); it is{where}{shown}"


class _DetailCarrier:
    """Detail schemas in the spec's form, or the TODO saying why one could not be carried over."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.r = _Resolver(doc)
        self.conv = DetailSchemaConverter(self.r.ref)
        self.carried: list[Any] = []

    def carry(self, schema: Any, ref: str | None, what: str) -> tuple[Any, str | None]:
        converted = self.conv.convert(schema)
        why = self.conv.problem(converted)
        if why is not None:
            return None, _detail_todo(self.r.inline(schema), ref, what, why)
        self.carried.append(converted)
        return converted, None

    def share_repeated(self, error_details: dict[str | int, tuple[Any, str | None]]) -> None:
        """An inline detail schema several errors share becomes one entry of ``schemas:``."""
        groups: dict[str, list[str | int]] = {}
        for code, (schema, _) in error_details.items():
            if schema is not None and not (len(schema) == 1 and "$ref" in schema):
                groups.setdefault(json.dumps(schema, sort_keys=True), []).append(code)
        for codes in groups.values():
            if len(codes) > 1:
                name = naming.pascal(str(codes[0]))
                name = ("" if name[:1].isalpha() else "Error") + name + "Details"
                ref = self.conv.share(error_details[codes[0]][0], name)
                self.carried.append(ref)
                for code in codes:
                    error_details[code] = (dict(ref), None)


def propose(doc: dict[str, Any], name: str, source: str) -> Proposal:
    raw_info = doc.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    carried = doc.get(EXTENSION)
    carried = carried if isinstance(carried, dict) and carried.get("errorsdk") == 1 else {}
    usages = collect(doc, success_errors=_errors_in_success(carried))
    version = str(info.get("version") or "")
    p = Proposal(
        name=name, title=str(info.get("title") or name), description=_first_line(str(info.get("description") or ""))
    )
    p.header = [
        f"Proposed by `errorsdk import openapi` from {Path(source).name} (OpenAPI {doc.get('openapi')}).",
        "Review every TODO, then run `errorsdk validate` and `errorsdk generate`.",
    ]
    if SEMVER.match(version):
        p.version = version
    else:
        p.api_notes.append(f"TODO: the document's version {version!r} is not semantic: 0.1.0 used instead.")
    ext = doc.get("externalDocs")
    if isinstance(ext, dict) and isinstance(ext.get("url"), str):
        p.docs_url = ext["url"]

    # The envelope: the most common body layout over all error responses.
    votes: Counter[str] = Counter()
    layouts: dict[str, Variant] = {}
    for u in usages:
        if u.variant is not None and u.variant.fields:
            key = json.dumps([sorted(u.variant.fields.items()), u.variant.items])
            votes[key] += 1
            layouts.setdefault(key, u.variant)
    chosen = layouts[votes.most_common(1)[0][0]] if votes else None
    if chosen is not None:
        if chosen.items:
            p.envelope["items"] = chosen.items
        for fld in ("code", "message", "detail", "status", "request_id"):
            if fld in chosen.fields:
                p.envelope[fld] = chosen.fields[fld]
        if chosen.declared is not None:
            p.envelope = {k: copy.deepcopy(v) for k, v in chosen.declared.items() if k in ENVELOPE_KEYS}
        elif chosen.problem:  # RFC 9457: an absent type means about:blank; the title when no detail
            p.envelope["code"] = {"path": [chosen.fields["code"]], "default": "about:blank"}
            p.envelope["message"] = [chosen.fields.get("message", "detail"), "title"]
            p.envelope_notes["code"] = "RFC 9457 problem+json"
        for other, count in votes.most_common()[1:]:
            pairs, items = json.loads(other)
            if items != chosen.items:
                p.envelope_todos.append(f"TODO: {count} response(s) use another body layout: {dict(pairs)}.")
                continue
            for fld, path in pairs:  # the same layout with other paths: alternatives, tried in order
                current = p.envelope.get(fld)
                if current is None:
                    p.envelope[fld] = path
                elif isinstance(current, str) and current != path:
                    p.envelope[fld] = [current, path]
                elif isinstance(current, list) and path not in current:
                    current.append(path)
                else:
                    continue
                p.envelope_notes[fld] = "alternatives: the error schemas disagree; the first present wins"
        if chosen.integer_codes:
            p.codes_type = "integer"
    else:
        p.envelope_todos.append(
            "TODO: no error response documents a JSON body: say where the code and message sit, if anywhere."
        )
    if "request_id" not in p.envelope:
        header = next((u.request_id_header for u in usages if u.request_id_header), None)
        if header:
            p.envelope["request_id"] = f"header:{header}"
    for fld in ("code", "message"):
        if chosen is not None and fld not in p.envelope:
            p.envelope_todos.append(f"TODO: where the error's {fld} sits could not be inferred.")

    # The catalogue: enumerated codes, then statuses known only by number.
    code_statuses: dict[str | int, list[str]] = {}
    code_info: dict[str | int, tuple[str | None, str]] = {}
    code_details: dict[str | int, Any] = {}
    detail_paths: list[str] = []
    status_usages: dict[int, list[Usage]] = {}
    ranges: dict[str, list[Usage]] = {}
    for u in usages:
        if u.key.isdigit():
            status_usages.setdefault(int(u.key), []).append(u)
        else:
            ranges.setdefault(u.key, []).append(u)
        if u.variant is not None and chosen is not None and u.variant.fields.get("code") == chosen.fields.get("code"):
            for code, message, desc in u.variant.codes:
                if _only_sub_coded(u, code):
                    continue
                code_statuses.setdefault(code, [])
                if u.key not in code_statuses[code]:
                    code_statuses[code].append(u.key)
                code_info.setdefault(code, (message, desc))
                if code in u.variant.code_details:
                    code_details.setdefault(code, u.variant.code_details[code])
                    detail_paths.append(u.variant.fields.get("detail", ""))
    # What the document shows: the codes its examples carry, and x-error-codes lists, per status.
    shown: dict[str | int, list[str]] = {}
    shown_messages: dict[tuple[str | int, str], str] = {}  # (code, status): the message shown with it
    for u in usages:
        for code, message in _listed_codes_of(u, chosen):
            if _only_sub_coded(u, code):
                continue
            code_statuses.setdefault(code, [])
            if u.key not in code_statuses[code]:
                code_statuses[code].append(u.key)
            if code_info.get(code, (None, ""))[0] is None and message is not None:
                code_info[code] = (message, code_info.get(code, (None, ""))[1])
            code_info.setdefault(code, (None, ""))
            if u.key not in shown.setdefault(code, []):
                shown[code].append(u.key)
            if message is not None:
                shown_messages.setdefault((code, u.key), message)
    coded_statuses = set()
    details = _DetailCarrier(doc)
    error_details: dict[str | int, tuple[Any, str | None]] = {}
    if len({json.dumps(v, sort_keys=True) for v in code_details.values()}) > 1:  # per error
        error_details = {code: details.carry(s, None, "this error's detail") for code, s in code_details.items()}
        details.share_repeated(error_details)
    elif chosen is not None and chosen.detail_schema:  # one for the whole API
        p.detail_schema, todo = details.carry(chosen.detail_schema, chosen.detail_ref, "the detail")
        if todo is not None:
            p.envelope_todos.append(todo)
    if details.carried and "detail" not in p.envelope:
        p.envelope["detail"] = next((path for path in detail_paths if path), "detail")
    for code, keys in code_statuses.items():
        message, desc = code_info[code]
        numbers = sorted({int(k) for k in keys if k.isdigit()})
        err = ProposedError(status=None, code=code, message=message or humanize(code), description=_first_line(desc))
        if message is None:
            err.message_note = "TODO: derived from the code"
        if code in error_details:
            err.detail_schema, todo = error_details[code]
            if todo is not None:
                err.notes.append(todo)
        examples = sorted({int(k) for k in shown.get(code, []) if k.isdigit()})
        if examples and examples != numbers:
            err.notes.append(f"status: from the document's examples (its schema allows {', '.join(sorted(keys))})")
        numbers = examples or numbers
        if len(numbers) == 1:
            err.status = numbers[0]
            coded_statuses.add(numbers[0])
        elif examples:  # shown under several statuses: one entry per status
            for status in numbers:
                one = copy.deepcopy(err)
                one.status = status
                one.message = shown_messages.get((code, str(status)), one.message)
                coded_statuses.add(status)
                p.errors.append(one)
            continue
        elif (tied := _status_from_words(code, numbers, status_usages)) is not None:
            err.status, why = tied
            coded_statuses.add(err.status)
            err.notes.append(f"status: {why}; check it")
        else:
            fallback = numbers[0] if numbers else (500 if keys == ["5XX"] else 400)
            err.category = guess_category(code, fallback)
            where = ", ".join(sorted(keys))
            phrase = _named_status(code)
            if phrase is not None and phrase < 400:
                err.notes.append(
                    f"TODO: its name is the status {phrase} {reason(phrase)}, not an error: "
                    "remove it if the API never sends it."
                )
            err.notes.append(f"TODO: documented under {where}: set its status; the category is a guess from its name.")
        p.errors.append(err)
    sub_coded: list[tuple[str, tuple[str | int, str, str, str | None, str | None]]] = []
    for u in usages:  # entries of a (code, sub_code) pair: after the main entries (validation)
        sub_coded += [(u.key, pair) for pair in u.listed_sub_codes if (u.key, pair) not in sub_coded]
    for key, (code, sub_code, message, listed_category, listed_name) in sub_coded:
        listed_status = int(key) if key.isdigit() else None
        err = ProposedError(status=listed_status, code=code, sub_code=sub_code, message=message, name=listed_name)
        if listed_status is None or (
            listed_category is not None and taxonomy.category_for_status(listed_status) != listed_category
        ):
            err.category = listed_category
        if listed_status is not None:
            coded_statuses.add(listed_status)
        p.errors.append(err)
    listed_codeless: dict[str, list[tuple[str | None, str, str | None]]] = {}
    for u in usages:  # errors a status lists without a code: kept beside the coded ones
        # (without a status, only rules and fallbacks reach such an entry: read where x-errorsdk carries them)
        if u.key.isdigit() or (u.key == "default" and (carried.get("rules") or carried.get("fallbacks"))):
            kept = listed_codeless.setdefault(u.key, [])
            kept += [entry for entry in u.listed_codeless if entry not in kept]
    for key, entries in listed_codeless.items():
        listed_status = int(key) if key.isdigit() else None
        for listed_name, message, listed_category in entries:
            err = ProposedError(status=listed_status, message=message, name=listed_name)
            if listed_status is None or (
                listed_category is not None and taxonomy.category_for_status(listed_status) != listed_category
            ):
                err.category = listed_category or "unknown"  # an entry without a status names its category
            p.errors.append(err)
    for status in sorted(status_usages):
        if status in coded_statuses or listed_codeless.get(str(status)):
            continue
        found = status_usages[status]
        desc = next((d for d in (_first_line(u.description) for u in found) if d), "")
        short = desc if desc and len(desc) <= 80 else ""
        err = ProposedError(status=status, message=short or reason(status), description="" if short else desc)
        if not short:
            err.message_note = "the HTTP reason phrase" + ("" if desc else ": the document gives no description")
        ops = sorted({u.where for u in found})
        err.notes.append(f"{len(ops)} operation(s), e.g. {ops[0]}")
        p.errors.append(err)
    for key in sorted(ranges):
        found = ranges[key]
        what = "any error status" if key == "default" else f"any {key[0]}xx status"
        desc = next((d for d in (_first_line(u.description) for u in found) if d), "")
        p.errors_todos.append(
            f"{key} ({what}) in {len(found)} operation(s)"
            + (f": {desc.rstrip('.')}" if desc else "")
            + ". The taxonomy fallbacks classify such statuses; list the statuses the API really sends."
        )
    listed: dict[tuple[str | int, str], str] = {}
    for u in usages:
        for code, cat in u.listed_categories.items():
            listed.setdefault((code, u.key), cat)
            listed.setdefault((code, ""), cat)
    for err in p.errors:  # a category the document names, where the status alone would say another
        where = str(err.status) if err.status is not None else ""
        if err.sub_code is not None:
            continue  # its own listing named it (above)
        named = listed.get((err.code, where), listed.get((err.code, ""))) if err.code is not None else None
        if named is not None and (err.status is None or taxonomy.category_for_status(err.status) != named):
            err.category = named
            err.notes = [n for n in err.notes if "the category is a guess" not in n]
    if chosen is not None and chosen.declared is not None and code_statuses:
        if all(isinstance(c, int) and not isinstance(c, bool) for c in code_statuses):
            p.codes_type = "integer"
    if not code_statuses and chosen is not None and "code" in p.envelope:
        p.errors_todos.append("TODO: the schemas do not enumerate the codes: add an entry per code the API sends.")
    p.schemas = details.conv.used(details.carried)
    names = {(code, u.key): name for u in usages for code, name in u.listed_names.items()}
    traits = {(*k, u.key): v for u in usages for k, v in u.listed_traits.items()}
    for err in p.errors:
        where = str(err.status) if err.status is not None else "default"
        if err.code is not None and err.name is None and err.sub_code is None:
            err.name = names.get((err.code, where))
        given = traits.get((err.code, err.sub_code, None if err.code is not None else err.name, where), {})
        err.class_name = given.get("class_name", err.class_name)
        err.retryable = given.get("retryable", err.retryable)
    if carried:
        _read_carried(p, carried)
    return p


EXTENSION = "x-errorsdk"
"""The spec's own ``envelope``, ``codes``, ``rules``, ``fallbacks``, ``groups``, ``retry`` and
``api.class_prefix`` (``errorsdk openapi`` writes it): what OpenAPI has no place for, believed over what the schemas suggest."""


def _errors_in_success(carried: dict[str, Any]) -> bool:
    envelope = carried.get("envelope")
    return isinstance(envelope, dict) and bool(envelope.get("error_flag") or envelope.get("errors_on_success"))


def _read_carried(p: Proposal, carried: dict[str, Any]) -> None:
    """The sections ``x-errorsdk`` carries, as they are (the spec's own notation)."""
    if isinstance(carried.get("envelope"), dict):
        p.envelope = copy.deepcopy(carried["envelope"])
        p.envelope_todos = [t for t in p.envelope_todos if "could not be inferred" not in t]
    found = carried.get("codes")
    codes: dict[str, Any] = found if isinstance(found, dict) else {}
    p.codes_type = str(codes.get("type", "string"))
    p.codes_normalize = codes.get("normalize") if isinstance(codes.get("normalize"), str) else None
    if isinstance(carried.get("rules"), list):
        p.rules = copy.deepcopy(carried["rules"])
    api = carried.get("api")
    if isinstance(api, dict) and isinstance(api.get("class_prefix"), str):
        p.class_prefix = api["class_prefix"]
    if isinstance(carried.get("groups"), dict):
        p.groups = copy.deepcopy(carried["groups"])
    if isinstance(carried.get("retry"), dict):
        p.retry = copy.deepcopy(carried["retry"])
        p.retry_notes = []
    if isinstance(carried.get("fallbacks"), dict):
        p.fallbacks = copy.deepcopy(carried["fallbacks"])
        status = p.fallbacks.get("status")
        if isinstance(status, dict):  # JSON keys are text; a spec's statuses are numbers
            p.fallbacks["status"] = {int(k) if str(k).isdigit() else k: v for k, v in status.items()}


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[^a-z0-9]+", text.lower()) if w)


def _named_status(code: str | int) -> int | None:
    """The status whose reason phrase the code is (``not_found``: 404, ``too_many_requests``:
    429, ``no_content``: 204), or None."""
    words = _words(str(code))
    return next((s for s in range(100, 600) if words and _words(reason(s)) == words), None)


def _status_from_words(
    code: str | int, numbers: list[int], status_usages: dict[int, list[Usage]]
) -> tuple[int, str] | None:
    """The one status, among the ``numbers`` a code is documented under, that the document's
    words tie it to: the only response whose description names it in backticks (Box:
    "* `item_name_invalid` when the name is not valid" under 400), else the only status
    whose reason phrase the code is, or ends with (``not_found``: 404, ``unavailable``:
    503 Service Unavailable). None when no one status is."""
    mark = f"`{code}`"
    described = [s for s in numbers if any(mark in u.description for u in status_usages.get(s, ()))]
    if len(described) == 1:
        return described[0], f"the description of its {described[0]} response names it"
    words = _words(str(code))
    phrased = [s for s in numbers if words and _words(reason(s))[-len(words) :] == words]
    if len(phrased) == 1:
        return phrased[0], f"its name is the reason phrase of {phrased[0]} {reason(phrased[0])}"
    return None


def _walk(value: Any, path: str) -> Any:
    for step in path.split(".") if path else ():
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _listed_codes_of(u: Usage, chosen: Variant | None) -> list[tuple[str | int, str | None]]:
    """The codes a response shows, with the example's message: in its examples (read where
    the envelope's code and message sit) and its ``x-error-codes``-style extension."""
    found: list[tuple[str | int, str | None]] = [(c, u.listed_messages.get(c)) for c in u.listed_codes]
    code_path = chosen.fields.get("code") if chosen is not None else None
    if code_path is None or chosen is None:
        return found
    message_path = chosen.fields.get("message", "")
    for example in u.examples:
        objects = _walk(example, chosen.items) if chosen.items else [example]
        for obj in objects if isinstance(objects, list) else ():
            code = _walk(obj, code_path)
            kind = int if chosen.integer_codes else str
            if isinstance(code, kind) and not isinstance(code, bool) and code != "about:blank":
                message = _walk(obj, message_path) if message_path else None
                text = " ".join(message.split())[:200] if isinstance(message, str) and message.strip() else None
                known = [c for c, _ in found]
                if code not in known:
                    found.append((code, text))
                elif found[known.index(code)][1] is None:  # listed without a message: the example's
                    found[known.index(code)] = (code, text)
    return found


def import_openapi(path: Path, name: str) -> str:
    """The proposed spec for the OpenAPI document at ``path``, as YAML text."""
    from .proposal import render

    return render(propose(load_openapi(path), name, str(path)))
