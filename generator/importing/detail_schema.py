"""OpenAPI schema objects -> the spec's detail schemas (JSON Schema 2020-12, ``#/schemas/<Name>`` refs).

A local ``$ref`` becomes a shared entry of ``schemas:`` (named after the last segment of
the pointer, PascalCase) referenced as ``#/schemas/<Name>``, so recursive schemas stay
recursive. OpenAPI 3.0 keywords are translated (``nullable``, boolean
``exclusiveMinimum``/``exclusiveMaximum``); OpenAPI-only annotations (``discriminator``,
``xml``, ``externalDocs``, ``example``, ``x-*``) are dropped. A schema that still is not
valid JSON Schema, or refers outside the document, is reported instead of carried over.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jsonschema

from ..spec import naming
from ..spec.detail_schemas import REF, refs

# Keywords whose value maps names to schemas, holds one schema, or a list of schemas.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
_ONE_SCHEMA = frozenset(
    {
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
    }
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_DROPPED = frozenset({"discriminator", "xml", "externalDocs", "example", "examples", "nullable"})
_META = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
MAX_DEPTH = 60


class DetailSchemaConverter:
    """Converts schemas one by one; the shared schemas they refer to accumulate in ``shared``."""

    def __init__(self, resolve: Callable[[Any], Any]) -> None:
        self.resolve = resolve  # follows a local $ref chain to its target ({} when unresolvable)
        self.shared: dict[str, Any] = {}  # spec schema name -> converted schema
        self.by_pointer: dict[str, str] = {}  # source pointer -> spec schema name
        self.problems: dict[str, str] = {}  # spec schema name -> why it cannot be carried over

    def _name_for(self, pointer: str) -> str:
        base = naming.pascal(pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")) or "Schema"
        if not base[0].isalpha():
            base = "Schema" + base
        if base.endswith("Detail"):  # <Owner>Detail names the models of inline detail schemas
            base += "Schema"
        return self._unique(base)

    def _unique(self, base: str) -> str:
        name, n = base, 2
        while name in self.shared:
            name, n = f"{base}{n}", n + 1
        return name

    def share(self, schema: Any, name: str) -> dict[str, Any]:
        """``schema`` (already converted) as a new shared entry; a reference to it."""
        name = self._unique(name)
        self.shared[name] = schema
        why = _invalid(schema)
        if why:
            self.problems[name] = why
        return {"$ref": f"#/schemas/{name}"}

    def convert(self, schema: Any, depth: int = 0) -> Any:
        """``schema`` in the spec's form (a new object; the source is not changed)."""
        if isinstance(schema, bool) or depth > MAX_DEPTH:
            return schema if isinstance(schema, bool) else {}
        if not isinstance(schema, dict):
            return copy.deepcopy(schema)
        if isinstance(schema.get("$ref"), str):
            return self._ref(schema, depth)
        out: dict[str, Any] = {}
        for key, value in schema.items():
            key = str(key)
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {str(k): self.convert(v, depth + 1) for k, v in value.items()}
            elif key in _ONE_SCHEMA:
                out[key] = self.convert(value, depth + 1)
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.convert(v, depth + 1) for v in value]
            elif key == "items":
                target = "prefixItems" if isinstance(value, list) else "items"  # draft 4 tuples
                out[target] = (
                    [self.convert(v, depth + 1) for v in value]
                    if isinstance(value, list)
                    else self.convert(value, depth + 1)
                )
            else:  # data and plain keywords (type, enum, const, default, format, ...)
                out[key] = copy.deepcopy(value)
        _openapi_30(schema, out)
        return out

    def _ref(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        pointer = schema["$ref"]
        if not pointer.startswith("#/"):
            name = "External" + (naming.pascal(pointer) or "Schema")
            if name not in self.shared:
                self.shared[name] = {}
                self.problems[name] = f"$ref {pointer!r} points outside the document"
            return {"$ref": f"#/schemas/{name}"}
        if pointer not in self.by_pointer:
            name = self._name_for(pointer)
            self.by_pointer[pointer] = name
            self.shared[name] = {}  # reserved first: a recursive schema refers to itself
            self.shared[name] = converted = self.convert(self.resolve({"$ref": pointer}), depth + 1)
            why = _invalid(converted)
            if why:
                self.problems[name] = why
        out: dict[str, Any] = {"$ref": f"#/schemas/{self.by_pointer[pointer]}"}
        siblings = {k: v for k, v in schema.items() if k not in ("$ref", "description", "title", "summary")}
        if siblings:
            out.update(self.convert(siblings, depth + 1))
        return out

    def problem(self, schema: Any) -> str | None:
        """Why a converted schema cannot go into the spec (itself or a shared schema it uses)."""
        if not isinstance(schema, dict):
            return "the detail schema is not an object"
        why = _invalid(schema)
        if why:
            return why
        for name in self.reachable([schema]):
            if name in self.problems:
                return f"the schema it uses as {name!r}: {self.problems[name]}"
        return None

    def reachable(self, schemas: list[Any]) -> list[str]:
        """The shared schema names the given schemas use, directly or not, in first-use order."""
        found: list[str] = []
        todo = list(schemas)
        while todo:
            for _, ref in refs(todo.pop(0), ()):
                match = REF.match(ref)
                if match and match.group(1) in self.shared and match.group(1) not in found:
                    found.append(match.group(1))
                    todo.append(self.shared[match.group(1)])
        return found

    def used(self, schemas: list[Any]) -> dict[str, Any]:
        """The ``schemas:`` section for the given (carried over) detail schemas."""
        return {name: self.shared[name] for name in sorted(self.reachable(schemas))}


def _openapi_30(source: dict[str, Any], out: dict[str, Any]) -> None:
    """OpenAPI 3.0 keywords in their JSON Schema form."""
    if source.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            out["type"] = [*kind, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(flag), bool):
            if out.pop(flag) and bound in out:
                out[flag] = out.pop(bound)


def _invalid(schema: Any) -> str | None:
    """Why ``schema`` alone is not valid JSON Schema 2020-12, if it is not."""
    try:
        json.dumps(schema, allow_nan=False)
    except (TypeError, ValueError):
        return "it holds values that are not plain JSON"
    error = jsonschema.exceptions.best_match(_META.iter_errors(schema))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top"
        return f"not valid JSON Schema 2020-12 at {where}: {error.message}"[:200]
    return None
