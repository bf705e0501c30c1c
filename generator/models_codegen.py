"""The spec's JSON Schemas -> ``models.py``, through datamodel-code-generator in-process.

One call per package to ``datamodel_code_generator.generate`` with the whole
schema document (shared schemas and detail schemas under ``$defs``), then black.
"""

from __future__ import annotations

import ast
import sys

from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from .diagnostics import Diagnostic, SpecError
from .formatting import format_code
from .model import DetailModels

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


def render_models(details: DetailModels, spec_file: str, header: str) -> str:
    """The source of ``models.py``; raises SpecError if the schemas cannot become models."""
    module_doc = (
        '"""Typed error details: the JSON Schemas of the spec as '
        f'{details.style} models (datamodel-code-generator)."""'
    )
    try:
        source = generate(
            details.schema_json,
            input_file_type=InputFileType.JsonSchema,
            output_model_type=STYLES[details.style],
            target_python_version=PythonVersion.PY_311,
            disable_timestamp=True,
            custom_file_header=f"{header}\n{module_doc}",
            formatters=[],
            use_type_alias=True,
            skip_root_model=True,
            use_closed_typed_dict=False,
            enum_field_as_literal=LiteralType.All,
            field_constraints=True,
        )
    except Exception as exc:  # noqa: BLE001 - the library's errors have no common base
        message = f"datamodel-code-generator cannot turn the schemas into models: {exc}"
        raise SpecError([Diagnostic(spec_file, 0, 0, message[:500])]) from None
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned no single module")
    tree = ast.parse(source)
    problems: list[Diagnostic] = []
    missing = sorted(set(details.names) - _top_level_names(tree))
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
    return format_code(source)
