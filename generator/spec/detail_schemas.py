"""Check the spec's JSON Schemas (``schemas:``, ``detail_schema:``) and name their models.

Every schema must be a valid JSON Schema (draft 2020-12, checked with ``jsonschema``)
whose ``$ref``s all read ``#/schemas/<Name>`` and name a schema of ``schemas:``.
The result, ``DetailSchemas``, is one JSON Schema document (shared schemas and one
definition per detail schema under ``$defs``) for datamodel-code-generator, and the
model name each owner (the API, a category, an error) checks its detail against.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from . import taxonomy
from .checking import Checker
from .diagnostics import Diagnostic
from .format import Spec
from .loader import Document, Loc

if TYPE_CHECKING:
    import jsonschema

SCHEMA_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
REF = re.compile(r"^#/schemas/(.+)$")
# Keywords whose values are data, not schemas: a "$ref" key inside them is not a reference.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples", "example"})


@cache
def _meta_validator() -> jsonschema.Draft202012Validator:
    """The draft 2020-12 meta-schema's validator; jsonschema is imported only for a spec with schemas."""
    import jsonschema

    return jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)


@dataclass(frozen=True)
class DetailSchemas:
    """The spec's schemas, checked, as one document, and which model each owner uses."""

    style: str  # dataclasses | pydantic | typeddict
    document: dict[str, Any]  # {"$defs": {Name: schema}}, refs rewritten to #/$defs/Name
    locations: dict[str, Loc]  # model name -> where the spec defines it
    api: str | None  # the model of the API-wide detail
    categories: dict[str, str]  # category -> model name
    errors: tuple[str | None, ...]  # per entry of spec.errors: its own model, if any

    @property
    def names(self) -> tuple[str, ...]:
        """Every model name that models.py must define."""
        return tuple(self.document["$defs"])


def refs(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every ``$ref`` string in a schema, with where it sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield loc + (key,), item
            elif key not in _DATA_KEYWORDS:
                yield from refs(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from refs(item, loc + (i,))


def _rewrite(value: Any) -> Any:
    """A copy of a schema with ``#/schemas/X`` references pointing into ``$defs``."""
    if isinstance(value, dict):
        return {
            k: (
                "#/$defs/" + v[len("#/schemas/") :]
                if k == "$ref" and isinstance(v, str)
                else (copy.deepcopy(v) if k in _DATA_KEYWORDS else _rewrite(v))
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(v) for v in value]
    return value


class _SchemaChecker(Checker):
    def schema(self, loc: Loc, schema: dict[str, Any]) -> bool:
        """Whether ``schema`` is a valid JSON Schema with resolvable references."""
        try:
            json.dumps(schema, allow_nan=False)
        except (TypeError, ValueError):
            self.problem(loc, "the schema is not plain JSON", "quote dates and the like")
            return False
        ok = True
        from jsonschema.exceptions import best_match

        errors = sorted(_meta_validator().iter_errors(schema), key=lambda e: [str(p) for p in e.absolute_path])
        for top in errors[:10]:
            error = best_match([top]) or top  # each, at its most telling
            ok = False
            path = tuple(error.absolute_path)
            where = "/".join(str(p) for p in path) or "the schema"
            hint = "see https://json-schema.org/understanding-json-schema (draft 2020-12)"
            if path and path[-1] == "type":
                hint = "a type is one of array, boolean, integer, null, number, object, string"
            self.problem(loc + path, f"invalid JSON Schema at {where}: {error.message}"[:300], hint)
        for ref_loc, ref in refs(schema, loc):
            found = REF.match(ref)
            if found is None:
                self.problem(
                    ref_loc,
                    f"$ref {ref!r} is not supported",
                    "refer to a shared schema as '#/schemas/<Name>' (see specs/README.md)",
                )
                ok = False
            elif found.group(1) not in self.spec.schemas:
                known = ", ".join(sorted(self.spec.schemas)) or "none defined"
                self.problem(
                    ref_loc,
                    f"$ref {ref!r} names no schema of 'schemas:' ({known})",
                    "add it under 'schemas:' or fix the name",
                )
                ok = False
        return ok


def _bare_ref(schema: dict[str, Any]) -> str | None:
    """The shared schema a detail schema is exactly a reference to."""
    ref = schema.get("$ref")
    if len(schema) == 1 and isinstance(ref, str):
        found = REF.match(ref)
        if found:
            return found.group(1)
    return None


def _model_name(class_name: str) -> str:
    return class_name.removesuffix("Error") + "Detail"


def check(
    doc: Document, spec: Spec, class_names: tuple[str, ...] | list[str], class_prefix: str
) -> tuple[DetailSchemas | None, list[Diagnostic]]:
    """The checked schemas (None when the spec has none), and every problem found."""
    owners: list[tuple[Loc, dict[str, Any], str]] = []  # (where, schema, model name if inline)
    if spec.detail_schema is not None:
        owners.append((("detail_schema",), spec.detail_schema, class_prefix + "Detail"))
    for category, settings in spec.categories.items():
        if settings.detail_schema is not None:
            name = _model_name(taxonomy.BY_NAME[category].class_name)
            owners.append((("categories", category, "detail_schema"), settings.detail_schema, name))
    for i, err in enumerate(spec.errors):
        if err.detail_schema is not None:
            owners.append((("errors", i, "detail_schema"), err.detail_schema, _model_name(class_names[i])))
    if not owners and not spec.schemas:
        return None, []
    checker = _SchemaChecker(doc, spec)
    if owners and spec.envelope.detail is None:
        checker.problem(
            owners[0][0],
            "a detail schema is given, but the envelope has no 'detail': no detail is ever read",
            "add 'detail: <path>' under 'envelope:' (for GraphQL: 'detail: extensions')",
        )
    defs: dict[str, Any] = {}
    locations: dict[str, Loc] = {}
    for name, schema in spec.schemas.items():
        loc: Loc = ("schemas", name)
        if not SCHEMA_NAME.match(name):
            checker.problem(loc, f"schema name {name!r} is not a PascalCase identifier", "name it like FieldError")
        checker.schema(loc, schema)
        defs[name] = _rewrite(schema)
        locations[name] = loc
    chosen: dict[Loc, str] = {}
    for loc, schema, name in owners:
        if not checker.schema(loc, schema):
            continue
        shared = _bare_ref(schema)
        if shared is not None:
            chosen[loc] = shared
            continue
        if name in defs:
            checker.problem(
                loc,
                f"the model of this detail schema would be named {name!r}, which is already taken",
                f"rename the shared schema {name!r}, or write this one under 'schemas:' and refer to it",
            )
            continue
        defs[name] = _rewrite(schema)
        locations[name] = loc
        chosen[loc] = name
    if checker.problems:
        return None, checker.problems
    return (
        DetailSchemas(
            style=spec.api.models,
            document={"$defs": defs},
            locations=locations,
            api=chosen.get(("detail_schema",)),
            categories={
                c: chosen[("categories", c, "detail_schema")]
                for c in spec.categories
                if ("categories", c, "detail_schema") in chosen
            },
            errors=tuple(chosen.get(("errors", i, "detail_schema")) for i in range(len(spec.errors))),
        ),
        [],
    )
