"""Check an error's raw detail against a model of ``models.py`` (pydantic v2).

``models.py`` and pydantic are imported on the first check, not with the package.
Models keep the members their schema does not name (``extra="allow"``) unless it
says ``additionalProperties: false``; ``to_json`` gives a model back as the JSON it
was read from. pydantic tries every arm of a union down the whole detail, which
takes exponential time where a schema's unions recurse: for such a model
``models.DEPTH_LIMITS`` bounds how deep a detail is checked (deeper:
``detail_error`` says so), and a failure's message is kept short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MESSAGE_LIMIT = 400
_SHOWN_ERRORS = 3


class DetailMismatch(ValueError):
    """A raw detail does not match its model; the message says where."""


def nesting(value: object) -> int:
    """How deep JSON arrays and objects nest in ``value`` (0 for a scalar); linear, no recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend(
                (v, depth) for v in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def to_json(value: object) -> Any:
    """A detail (as its model) back as the JSON it was read from: the same keys and values."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


class DetailParser:
    """Checks a raw detail against the model ``name``; raises when it does not match."""

    __slots__ = ("name", "_check", "_limit")

    def __init__(self, name: str) -> None:
        self.name = name
        self._check: Callable[[Any], object] | None = None
        self._limit: int | None = None

    def __call__(self, raw: object) -> object:
        check = self._check
        if check is None:
            from pydantic import TypeAdapter

            from . import models

            self._limit = getattr(models, "DEPTH_LIMITS", {}).get(self.name)
            check = self._check = TypeAdapter(
                getattr(models, self.name)
            ).validate_python
        limit = self._limit
        if limit is not None and (depth := nesting(raw)) > limit:
            raise DetailMismatch(
                f"detail: nested {depth} levels deep; model {self.name} is checked to {limit} levels"
                " (its schema's unions recurse: a deeper check takes exponential time)"
            )
        from pydantic import ValidationError

        try:
            return check(raw)
        except ValidationError as exc:
            shown = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'detail'}: {e['msg']}"
                for e in exc.errors()[:_SHOWN_ERRORS]
            )
            text = f"{exc.error_count()} validation errors for {self.name}: {shown}"
            if len(text) > _MESSAGE_LIMIT:
                text = text[: _MESSAGE_LIMIT - 3] + "..."
            raise DetailMismatch(text) from None
