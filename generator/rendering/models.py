"""The spec's JSON Schemas -> ``models.py``, through datamodel-code-generator in-process.

One call per package to ``datamodel_code_generator.generate`` with the whole
schema document (shared schemas and detail schemas under ``$defs``), then black.
Nothing of a detail may be lost on the way, so the call also writes its model
metadata (every field's name and the JSON key it stands for), and that decides:

- a field name Python would fold into another (identifiers are NFKC-normalised:
  ``ﬁeld`` is ``field``) is renamed, with an alias, in a second call;
- a TypedDict whose declared keys are not the JSON keys (datamodel-code-generator
  renames ``_errors`` to ``field_errors`` even in a TypedDict) is written in the
  functional form, ``TypedDict("Name", {"_errors": ...})``;
- for dataclasses, ``JSON_KEYS`` maps each renamed field back to its JSON key
  (read by ``_detail.convert`` and ``_detail.to_json``), and for both standard
  library styles ``CLOSED_MODELS`` names the models whose schema forbids other keys;
- pydantic models keep unknown members (``extra="allow"``) unless the schema says
  ``additionalProperties: false``, and integers exact where a schema says ``number``;
  ``DEPTH_LIMITS`` bounds how deep pydantic checks a model whose unions recurse.
"""

from __future__ import annotations

import ast
import json
import keyword
import math
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from ..model.data import DetailModels
from ..spec.diagnostics import Diagnostic, SpecError
from .formatting import format_code
from .literals import py

STYLES: dict[str, DataModelType] = {
    "dataclasses": DataModelType.DataclassesDataclass,
    "pydantic": DataModelType.PydanticV2BaseModel,
    "typeddict": DataModelType.TypingTypedDict,
}
# What a models.py of each style may import besides the standard library.
_ALLOWED_IMPORTS: dict[str, frozenset[str]] = {
    "dataclasses": frozenset(),
    "typeddict": frozenset(),
    "pydantic": frozenset({"pydantic", "typing_extensions"}),
}
# The tables errorsdk appends to a standard library models.py (not PascalCase: no schema has these names).
JSON_KEYS = "JSON_KEYS"
CLOSED_MODELS = "CLOSED_MODELS"
DEPTH_LIMITS = "DEPTH_LIMITS"
# pydantic re-checks a detail's subtree for every arm of a union: where unions recurse, checking
# n levels costs up to arms**n. A model of such a schema is checked to the depth that keeps it at
# most _UNION_WORK times the detail's size.
_UNION_WORK = 4096
_KEY_WRAPPERS = frozenset({"NotRequired", "Required", "ReadOnly"})
# Keywords whose values are subschemas, and those whose values map names (or list) to subschemas.
_SUBSCHEMA = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "unevaluatedProperties")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")

Metadata = list[dict[str, Any]]  # datamodel-code-generator's --emit-model-metadata "models"


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def _pydantic_schema(schema: Any) -> Any:
    """``schema`` as datamodel-code-generator gets it for pydantic models: the same schema, said so
    that nothing is lost. Every object schema that does not say has ``additionalProperties: true``
    (JSON Schema's default), so the models keep unknown members instead of dropping them; a
    ``number`` is ``[integer, number]``, so the field is ``int | float`` and pydantic keeps an
    integer exact (a ``float`` field rounds 2**53 + 1).
    """
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for key in _SUBSCHEMA:
        if key in out:
            out[key] = _pydantic_schema(out[key])
    for key in _SUBSCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: _pydantic_schema(sub) for name, sub in out[key].items()}
    for key in _SUBSCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [_pydantic_schema(sub) for sub in out[key]]
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = True
    kinds = out.get("type")
    if kinds == "number":
        out["type"] = ["integer", "number"]
    elif isinstance(kinds, list) and "number" in kinds and "integer" not in kinds:
        out["type"] = [k for kind in kinds for k in (("integer", kind) if kind == "number" else (kind,))]
    return out


def _run(details: DetailModels, schema_json: str, header: str, aliases: dict[str, str]) -> tuple[str, Metadata]:
    """datamodel-code-generator's module and its model metadata."""
    with tempfile.TemporaryDirectory(prefix="errorsdk-models-") as folder:
        metadata_path = Path(folder) / "models.json"
        source = generate(
            schema_json,
            input_file_type=InputFileType.JsonSchema,
            output_model_type=STYLES[details.style],
            target_python_version=PythonVersion.PY_311,
            disable_timestamp=True,
            custom_file_header=header,
            formatters=[],
            use_type_alias=True,
            skip_root_model=True,
            use_closed_typed_dict=False,
            enum_field_as_literal=LiteralType.All,
            field_constraints=True,
            aliases=aliases or None,
            emit_model_metadata=metadata_path,
        )
        metadata: Metadata = json.loads(metadata_path.read_text(encoding="utf-8"))["models"]
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned no single module")
    return source, metadata


def _nfkc(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def _folded_renames(metadata: Metadata) -> dict[str, str]:
    """Aliases (JSON key -> field name) for the keys whose field names Python reads as another name.

    Flat aliases (every model with the key gets the name): the new name is the NFKC form,
    suffixed until it is no field name of any model.
    """
    taken = {f["name"] for m in metadata for f in m["fields"] if _nfkc(f["name"]) == f["name"]}
    aliases: dict[str, str] = {}
    for model in metadata:
        for field in model["fields"]:
            name, key = field["name"], field["alias"]
            if _nfkc(name) == name or key in aliases:
                continue
            base = _nfkc(name)
            if not base.isidentifier() or keyword.iskeyword(base):
                base = "field"
            new, n = base, 0
            while new in taken or keyword.iskeyword(new):
                n += 1
                new = f"{base}_{n}"
            taken.add(new)
            aliases[key] = new
    return aliases


def _mangled(name: str) -> bool:
    """Whether a name in a class body is stored under another name (``__x`` becomes ``_Cls__x``)."""
    return name.startswith("__") and not name.endswith("__")


def _typeddict_items(node: ast.stmt, keys: dict[str, str]) -> tuple[str, list[tuple[str, ast.expr]], list[str]] | None:
    """A TypedDict definition as (name, [(key, annotation)], bases); None for anything else."""
    if isinstance(node, ast.ClassDef):
        items = [
            (keys.get(stmt.target.id, stmt.target.id), stmt.annotation)
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        ]
        bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
        return node.name, items, bases
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "TypedDict"
        and len(node.value.args) == 2
        and isinstance(node.value.args[1], ast.Dict)
    ):
        table = node.value.args[1]
        found = [(k.value, v) for k, v in zip(table.keys, table.values, strict=True) if isinstance(k, ast.Constant)]
        return node.targets[0].id, [(k, v) for k, v in found if isinstance(k, str)], ["TypedDict"]
    return None


def _functional_typeddicts(source: str, metadata: Metadata, spec_file: str) -> str:
    """``source`` with every TypedDict whose declared keys differ from its JSON keys in the functional form."""
    tree = ast.parse(source)
    by_class = {m["class_name"]: m for m in metadata}
    typeddicts: dict[str, list[tuple[str, ast.expr]]] = {}
    offsets = [0]  # where each line starts
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    defined: set[str] = set()
    top = _top_level_names(tree)
    for node in tree.body:
        model = by_class.get(getattr(node, "name", None) or "")
        keys = {f["name"]: f["alias"] for f in model["fields"]} if model else {}
        found = _typeddict_items(node, keys)
        if found is None:
            defined |= _top_level_names(ast.Module(body=[node], type_ignores=[]))
            continue
        name, items, bases = found
        own = dict(items)
        flat: dict[str, ast.expr] = {}
        for base in bases:
            if base != "TypedDict":
                flat.update(typeddicts.get(base, []))
        flat.update(own)
        typeddicts[name] = list(flat.items())
        defined.add(name)
        if not isinstance(node, ast.ClassDef):
            continue
        declared = {  # the parser has NFKC-normalised the names already, as Python does
            s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        }
        wanted = {f["alias"] for f in model["fields"]} if model else set(declared)
        if declared == wanted and not any(_mangled(n) for n in declared) and len(declared) == len(own):
            continue
        if node.keywords:
            raise SpecError([Diagnostic(spec_file, 0, 0, f"the TypedDict {name} cannot be written with its JSON keys")])
        later = top - defined | {name}
        entries = "".join(f"{py(key)}: {_annotation(source, value, later)},\n" for key, value in flat.items())
        text = f"{name} = TypedDict(\n{py(name)},\n{{\n{entries}}},\n)\n"
        doc = ast.get_docstring(node, clean=False)
        if doc is not None:
            text += f"{py(doc)}\n"
        start = offsets[node.lineno - 1] if not node.decorator_list else offsets[node.decorator_list[0].lineno - 1]
        end = offsets[node.end_lineno or node.lineno]
        edits.append((start, end, text))
    for start, end, text in reversed(edits):
        source = source[:start] + text + source[end:]
    return source


def _annotation(source: str, node: ast.expr, later: set[str]) -> str:
    """An annotation as a functional TypedDict's value: names defined later (or itself) quoted."""
    text = ast.get_source_segment(source, node) or ast.unparse(node)
    if not ({n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & later):
        return text
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in _KEY_WRAPPERS:
        inner = ast.get_source_segment(source, node.slice) or ast.unparse(node.slice)
        return f"{node.value.id}[{py(inner)}]"
    return py(text)


def _at(document: Any, path: list[str] | None) -> Any:
    for step in path or []:
        if isinstance(document, list) and step.isdigit() and int(step) < len(document):
            document = document[int(step)]
        elif isinstance(document, dict) and step in document:
            document = document[step]
        else:
            return None
    return document


def _tables(details: DetailModels, metadata: Metadata) -> str:
    """The tables errorsdk appends to a standard library models.py."""
    document = json.loads(details.schema_json)
    closed = sorted(
        m["class_name"]
        for m in metadata
        if isinstance(schema := _at(document, m.get("source_path")), dict)
        and schema.get("additionalProperties") is False
    )
    text = ""
    if details.style == "dataclasses":
        renamed = {
            m["class_name"]: {f["name"]: f["alias"] for f in m["fields"] if f["name"] != f["alias"]} for m in metadata
        }
        keys = {name: fields for name, fields in sorted(renamed.items()) if fields}
        text += (
            "\n\n# errorsdk: the JSON key of each field named otherwise (a model's own fields).\n"
            f"{JSON_KEYS}: dict[str, dict[str, str]] = {py(keys)}\n"
        )
    text += (
        "\n\n# errorsdk: the models whose schema allows no other keys (additionalProperties: false).\n"
        f"{CLOSED_MODELS}: frozenset[str] = frozenset({py(tuple(closed)) if closed else ''})\n"
    )
    return text


def _walk(schema: Any) -> Any:
    """Every subschema of ``schema``, itself included."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node
        stack.extend(node[k] for k in _SUBSCHEMA if k in node)
        for key in _SUBSCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                stack.extend(node[key].values())
        for key in _SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                stack.extend(node[key])


def _arms(schema: dict[str, Any]) -> int:
    """How many arms a union schema has that are not just null."""
    count = max(
        (sum(1 for arm in schema.get(k) or [] if arm != {"type": "null"}) for k in ("anyOf", "oneOf")), default=0
    )
    kinds = schema.get("type")
    if isinstance(kinds, list):
        count = max(count, len([k for k in kinds if k != "null"]))
    return count


def depth_limits(document: dict[str, Any], names: tuple[str, ...]) -> dict[str, int]:
    """The depth to which a model is checked, for each model whose schema's unions recurse."""
    defs: dict[str, Any] = document.get("$defs", {})
    refs: dict[str, set[str]] = {}
    arms: dict[str, int] = {}
    for name, schema in defs.items():
        nodes = list(_walk(schema))
        refs[name] = {n["$ref"].removeprefix("#/$defs/") for n in nodes if isinstance(n.get("$ref"), str)} & defs.keys()
        arms[name] = max((_arms(n) for n in nodes), default=0)

    def reach(name: str) -> set[str]:
        seen: set[str] = set()
        stack = [name]
        while stack:
            for ref in refs[stack.pop()]:
                if ref not in seen:
                    seen.add(ref)
                    stack.append(ref)
        return seen

    reached = {name: reach(name) for name in defs}
    limits: dict[str, int] = {}
    for name in names:
        closure = reached[name] | {name}
        recursive = any(d in reached[d] for d in closure)
        widest = max(arms[d] for d in closure)
        if recursive and widest >= 2:
            limits[name] = max(2, int(math.log(_UNION_WORK) / math.log(widest)))
    return limits


def _check_names(metadata: Metadata, spec_file: str) -> list[Diagnostic]:
    """Every field of every model a distinct name Python keeps as written."""
    problems = []
    for model in metadata:
        names = [f["name"] for f in model["fields"]]
        if any(_nfkc(n) != n for n in names) or len(set(names)) != len(names):
            problems.append(
                Diagnostic(
                    spec_file,
                    0,
                    0,
                    f"the fields of model {model['class_name']} cannot be named apart: {', '.join(names)}"[:500],
                    "rename the properties that Python reads as one name (NFKC-equal)",
                )
            )
    return problems


def render_models(details: DetailModels, spec_file: str, header: str) -> str:
    """The source of ``models.py``; raises SpecError if the schemas cannot become models."""
    module_doc = (
        f'"""Typed error details: the JSON Schemas of the spec as {details.style} models (datamodel-code-generator)."""'
    )
    schema_json = details.schema_json
    if details.style == "pydantic":
        schema_json = json.dumps(_pydantic_schema(json.loads(schema_json)), ensure_ascii=False)
    try:
        source, metadata = _run(details, schema_json, f"{header}\n{module_doc}", {})
        aliases = _folded_renames(metadata)
        if aliases:
            source, metadata = _run(details, schema_json, f"{header}\n{module_doc}", aliases)
    except SpecError:
        raise
    except Exception as exc:  # noqa: BLE001 - the library's errors have no common base
        message = f"datamodel-code-generator cannot turn the schemas into models: {exc}"
        raise SpecError([Diagnostic(spec_file, 0, 0, message[:500])]) from None
    tree = ast.parse(source)
    problems = _check_names(metadata, spec_file)
    top = _top_level_names(tree)
    missing = sorted(set(details.names) - top)
    if missing:
        problems.append(
            Diagnostic(
                spec_file,
                0,
                0,
                f"datamodel-code-generator renamed or dropped the models {', '.join(missing)}",
                "rename those schemas (a name such as Field or Any clashes with an import)",
            )
        )
    foreign = sorted(
        m
        for m in _imports(tree) - set(sys.stdlib_module_names) - {"__future__"}
        if m not in _ALLOWED_IMPORTS[details.style]
    )
    if foreign:
        problems.append(
            Diagnostic(
                spec_file,
                0,
                0,
                f"the {details.style} models would import {', '.join(foreign)}",
                "use 'api.models: pydantic', or simplify the schema",
            )
        )
    if problems:
        raise SpecError(problems)
    if details.style == "typeddict":
        source = _functional_typeddicts(source, metadata, spec_file)
    if details.style != "pydantic":
        source += _tables(details, metadata)
    else:
        limits = depth_limits(json.loads(details.schema_json), details.names)
        source += (
            "\n\n# errorsdk: how deep a detail is checked, for the models whose schema's unions recurse.\n"
            f"{DEPTH_LIMITS}: dict[str, int] = {py(dict(sorted(limits.items())))}\n"
        )
    return format_code(source)
