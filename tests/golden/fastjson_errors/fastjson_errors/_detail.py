# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""Check an error's raw detail against a model of ``models.py``, standard library only.

The models are dataclasses or TypedDicts; ``convert`` walks their type hints: JSON
objects become dataclass instances or checked dicts, lists and nested objects
included. Only the types are checked (not ``minLength``, ``pattern`` and the like).
Nothing is dropped: a dataclass field's JSON key comes from ``models.JSON_KEYS``, and
an instance remembers the members its model has no field for and the optional fields
that were absent, so ``to_json`` gives back exactly the JSON it was made from; a dict
keeps every member, those its model does not declare included. A model of
``models.CLOSED_MODELS`` (``additionalProperties: false``) refuses other keys.
Each (type, JSON value) pair is checked once, so a check is linear in the detail
however its unions nest, and a detail nested deeper than ``MAX_DEPTH`` is refused.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from typing import Any, Literal, Union

MAX_DEPTH = 100
"""The deepest nesting of a detail that is checked (deeper: ``detail_error`` says so)."""
_MESSAGE_LIMIT = 400
_HINTS: dict[type, dict[str, Any]] = {}
_FIELDS: dict[type, tuple[tuple[str, str, Any, bool], ...]] = {}
_REQUIRED: dict[type, frozenset[str]] = {}
_CLOSED: dict[type, bool] = {}
_JSON_STATE = "__errorsdk_json__"
"""Where a dataclass instance keeps (absent optional fields, members with no field), if any."""


class DetailMismatch(ValueError):
    """A raw detail does not match its model; the message says where."""


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls, include_extras=True)
    return hints


def _models(cls: type) -> Any:
    return sys.modules[cls.__module__]


def _closed(cls: type) -> bool:
    """Whether the model's schema allows no keys besides its own (``additionalProperties: false``)."""
    closed = _CLOSED.get(cls)
    if closed is None:
        closed = _CLOSED[cls] = cls.__name__ in getattr(
            _models(cls), "CLOSED_MODELS", ()
        )
    return closed


def _required_keys(cls: Any) -> frozenset[str]:
    """A TypedDict's required keys, read from its hints (``__required_keys__`` is
    wrong for string annotations before Python 3.12)."""
    keys = _REQUIRED.get(cls)
    if keys is None:
        total = getattr(cls, "__total__", True)
        keys = _REQUIRED[cls] = frozenset(
            key
            for key, hint in _hints(cls).items()
            if typing.get_origin(hint) is typing.Required
            or (total and typing.get_origin(hint) is not typing.NotRequired)
        )
    return keys


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _short(text: str) -> str:
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 3] + "..."


class _Check:
    """One check of one detail: what each (type, JSON array or object) gave, so each is done once."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done: dict[tuple[Any, int], tuple[bool, Any]] = {}

    def convert(self, tp: Any, value: object, where: str, depth: int) -> Any:
        if not isinstance(value, (list, dict)):
            return self._convert(tp, value, where, depth)
        if depth > MAX_DEPTH:
            raise DetailMismatch(
                f"{where}: nested deeper than {MAX_DEPTH} levels, not checked"
            )
        try:
            key = (tp, id(value))
            found = self.done.get(key)
        except TypeError:  # an unhashable type form: check it every time
            return self._convert(tp, value, where, depth)
        if found is None:
            try:
                found = (True, self._convert(tp, value, where, depth))
            except DetailMismatch as exc:
                found = (False, str(exc))
            self.done[key] = found
        if not found[0]:
            raise DetailMismatch(found[1])
        return found[1]

    def _convert(self, tp: Any, value: object, where: str, depth: int) -> Any:
        if tp is Any or tp is object:
            return value
        if tp is None or tp is type(None):
            if value is None:
                return None
            raise DetailMismatch(f"{where}: expected null, got {_type_name(value)}")
        origin = typing.get_origin(tp)
        if origin is Union or origin is types.UnionType:
            problems = []
            for arm in typing.get_args(tp):
                try:
                    return self.convert(arm, value, where, depth)
                except DetailMismatch as exc:
                    problems.append(str(exc))
            raise DetailMismatch(_short(" or ".join(problems)))
        if origin is Literal:
            for allowed in typing.get_args(tp):
                if value == allowed and type(value) is type(allowed):
                    return value
            raise DetailMismatch(
                _short(f"{where}: {value!r} is not one of {typing.get_args(tp)!r}")
            )
        if origin in (typing.Annotated, typing.Required, typing.NotRequired):
            return self.convert(typing.get_args(tp)[0], value, where, depth)
        if origin is list:
            if not isinstance(value, list):
                raise DetailMismatch(
                    f"{where}: expected a list, got {_type_name(value)}"
                )
            (item,) = typing.get_args(tp) or (Any,)
            return [
                self.convert(item, v, f"{where}[{i}]", depth + 1)
                for i, v in enumerate(value)
            ]
        if origin is dict:
            if not isinstance(value, dict):
                raise DetailMismatch(
                    f"{where}: expected an object, got {_type_name(value)}"
                )
            _, item = typing.get_args(tp) or (str, Any)
            return {
                k: self.convert(item, v, f"{where}.{k}", depth + 1)
                for k, v in value.items()
            }
        if tp is bool:
            if isinstance(value, bool):
                return value
        elif tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif tp is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value  # an int stays exact (an int is a float to type checkers)
        elif tp is str:
            if isinstance(value, str):
                return value
        elif dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self._dataclass(tp, value, where, depth)
        elif typing.is_typeddict(tp):
            return self._typeddict(tp, value, where, depth)
        elif tp in (list, dict):
            return self._convert(
                tp[Any] if tp is list else dict[str, Any], value, where, depth
            )
        else:
            raise DetailMismatch(f"{where}: no conversion to {tp!r}")
        raise DetailMismatch(
            f"{where}: expected {tp.__name__}, got {_type_name(value)}"
        )

    def _dataclass(self, cls: type, value: object, where: str, depth: int) -> Any:
        if not isinstance(value, dict):
            raise DetailMismatch(
                f"{where}: expected an object, got {_type_name(value)}"
            )
        fields = _dataclass_fields(cls)
        kwargs: dict[str, Any] = {}
        absent: list[str] = []
        for name, key, hint, required in fields:
            if key in value:
                kwargs[name] = self.convert(
                    hint, value[key], f"{where}.{key}", depth + 1
                )
            elif required:
                raise DetailMismatch(f"{where}: missing {key!r}")
            else:
                absent.append(name)
        extra = (
            {k: v for k, v in value.items() if k not in _json_keys(cls)}
            if len(value) > len(kwargs)
            else {}
        )
        if extra and _closed(cls):
            raise DetailMismatch(
                _short(f"{where}: unexpected {', '.join(map(repr, extra))}")
            )
        instance = cls(**kwargs)
        if absent or extra:
            instance.__dict__[_JSON_STATE] = (tuple(absent), extra)
        return instance

    def _typeddict(self, cls: Any, value: object, where: str, depth: int) -> Any:
        if not isinstance(value, dict):
            raise DetailMismatch(
                f"{where}: expected an object, got {_type_name(value)}"
            )
        hints = _hints(cls)
        for key in _required_keys(cls):
            if key not in value:
                raise DetailMismatch(f"{where}: missing {key!r}")
        if _closed(cls) and not hints.keys() >= value.keys():
            unexpected = ", ".join(repr(k) for k in value if k not in hints)
            raise DetailMismatch(_short(f"{where}: unexpected {unexpected}"))
        return {
            k: self.convert(hints[k], v, f"{where}.{k}", depth + 1) if k in hints else v
            for k, v in value.items()
        }


def _dataclass_fields(cls: type) -> tuple[tuple[str, str, Any, bool], ...]:
    """A dataclass's (field name, JSON key, type, required) for each field ``__init__`` takes."""
    fields = _FIELDS.get(cls)
    if fields is None:
        hints = _hints(cls)
        keys: dict[str, str] = {}
        table = getattr(_models(cls), "JSON_KEYS", {})
        for klass in reversed(cls.__mro__):
            keys.update(
                table.get(klass.__name__, {})
                if klass.__module__ == cls.__module__
                else {}
            )
        fields = _FIELDS[cls] = tuple(
            (
                f.name,
                keys.get(f.name, f.name),
                hints[f.name],
                f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING,
            )
            for f in dataclasses.fields(cls)
            if f.init
        )
    return fields


def _json_keys(cls: type) -> frozenset[str]:
    return frozenset(key for _, key, _, _ in _dataclass_fields(cls))


def convert(tp: Any, value: object, where: str = "detail") -> Any:
    """``value`` (plain JSON) as type ``tp``; raises DetailMismatch when it is not one."""
    try:
        return _Check().convert(tp, value, where, 0)
    except RecursionError:
        raise DetailMismatch(f"{where}: nested too deep to check") from None


def to_json(value: object) -> Any:
    """A detail (as ``convert`` made it) back as the JSON it was read from: the same keys and values."""
    stack: list[tuple[object, Any, Any]] = []  # (value, container, key) still to write
    root: list[Any] = [None]
    stack.append((value, root, 0))
    while stack:
        item, into, at = stack.pop()
        if isinstance(item, list):
            out: Any = [None] * len(item)
            stack.extend((v, out, i) for i, v in enumerate(item))
        elif isinstance(item, dict):
            out = dict.fromkeys(item)
            stack.extend((v, out, k) for k, v in item.items())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            absent, extra = item.__dict__.get(_JSON_STATE, ((), {}))
            out = {}
            for name, key, _, _ in _dataclass_fields(type(item)):
                if name not in absent:
                    out[key] = None
                    stack.append((getattr(item, name), out, key))
            for key, member in extra.items():
                out[key] = None
                stack.append((member, out, key))
        else:
            out = item
        into[at] = out
    return root[0]


class DetailParser:
    """Checks a raw detail against the model ``name``; raises when it does not match."""

    __slots__ = ("name", "_type")

    def __init__(self, name: str) -> None:
        self.name = name
        self._type: Any = None

    def __call__(self, raw: object) -> object:
        tp = self._type
        if tp is None:
            from . import models

            tp = self._type = getattr(models, self.name)
        return convert(tp, raw)
