"""Which model each class checks its ``detail`` against, and the type it declares.

A class's detail model is its own (an error's ``detail_schema``), else its
category's, else the API's. The declared type of a class's ``detail`` property is
the union over the class and all its subclasses, so that every override only
narrows (``mypy --strict`` accepts it, and the type of ``err.detail`` is honest for
a plain ``FluxError`` too): ``JSONValue`` for a class with no model anywhere below
it, ``models.X | None`` for one whose every error has model ``X``.
"""

from __future__ import annotations

import json

from ..spec.checked import CheckedSpec
from .data import CategoryClass, DetailClass, DetailModels, ErrorClass

_JSON = ""  # the token of "no model": the raw JSON value


def _render(tokens: list[str]) -> str:
    models = [f"models.{t}" for t in tokens if t != _JSON]
    if _JSON in tokens:
        return " | ".join(["JSONValue", *models])
    return " | ".join([*models, "None"])


def _unique(tokens: list[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def build(
    checked: CheckedSpec,
    categories: tuple[CategoryClass, ...],
    errors: tuple[ErrorClass, ...],
) -> tuple[DetailModels | None, tuple[DetailClass, ...], str]:
    """The models, what each class changes about ``detail``, and the base class's type."""
    details = checked.details
    if details is None:
        return None, (), "JSONValue"
    api = details.api or _JSON
    category_parser = {c.category: details.categories.get(c.category, api) for c in categories}
    error_parser = {
        e.class_name: own or category_parser[e.category] for e, own in zip(errors, details.errors, strict=True)
    }
    classes: list[DetailClass] = []
    category_types: dict[str, list[str]] = {}
    for cat in categories:
        tokens = [category_parser[cat.category]]
        tokens += [error_parser[e.class_name] for e in errors if e.category == cat.category]
        category_types[cat.class_name] = _unique(tokens)
    base_tokens = _unique([api, *(t for c in categories for t in category_types[c.class_name])])
    base_type = _render(base_tokens)
    for cat in categories:
        cat_type = _render(category_types[cat.class_name])
        parser = category_parser[cat.category]
        classes.append(
            DetailClass(
                cat.class_name,
                parser=parser or None if parser != api else None,
                declared=cat_type if cat_type != base_type else None,
            )
        )
        for err in errors:
            if err.category != cat.category:
                continue
            own = error_parser[err.class_name]
            err_type = _render([own])
            classes.append(
                DetailClass(
                    err.class_name,
                    parser=own or None if own != parser else None,
                    declared=err_type if err_type != cat_type else None,
                )
            )
    models = DetailModels(
        style=details.style,
        schema_json=json.dumps(details.document, indent=2, ensure_ascii=False),
        names=details.names,
    )
    kept = tuple(c for c in classes if c.parser is not None or c.declared is not None)
    return models, kept, base_type
