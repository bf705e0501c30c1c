"""Where ``to_response()`` writes each part of an error, and envelopes that cannot round-trip.

``to_response()`` writes every field at the first of its paths; ``from_response``
reads each field from the first of its paths that is present. The two agree for
every class only when the written fields stay apart:

* no two fields are written at one place (``code`` and ``message`` both at
  ``message``), and a text, number or flag does not hold another field (``message:
  error`` beside ``code: error.code``);
* where two paths part, they agree on what the shared part is: an object (a key
  comes next) or a list (an index comes next): ``$[0]`` beside ``message`` cannot
  both be written;
* a field that can be absent (``detail`` and ``request_id``; ``code`` where the
  catalogue has code-less entries) reads nothing of what the others wrote, on any
  of its paths.

``detail`` is the exception to the second rule: it is any JSON, so it may hold the
other fields (GraphQL's ``detail: extensions`` beside ``code: extensions.code``);
it is written first, and the other fields are written into it.

A list index is written as ``(index, length)``: the list is padded with nulls to
``length`` (enough for every index any field uses in that list), then ``index``
counts from the end when negative, as it does when read. So ``errors[0].code``
and ``errors[-1].message`` land in one item, as the readers expect, and a detail
that brings a longer list of its own keeps every item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .paths import EnvelopePath, Select, Step

Key = str | int
"""A step as to_response() places it: a key or an index (a select step gets an index)."""
WriteStep = str | tuple[int, int] | tuple[str, str, str | int | bool | None]
"""A key, or (index, length) into a list padded with nulls to at least ``length``, or
("filter", key, value): into the first item of a list whose ``key`` is ``value``
(one appended where none is)."""
WriteSteps = tuple[WriteStep, ...]

FIELDS = ("code", "message", "detail", "status", "request_id", "sub_code", "type", "retry_after")
WRITE_ORDER = ("detail", "code", "sub_code", "type", "message", "status", "request_id", "retry_after")
"""detail first: the others may sit inside it. ``retry_after`` is the delay of
``retry.after_paths`` (its first path), written as a protobuf JSON Duration."""
_DOCUMENT_FIELDS = frozenset({"request_id", "retry_after"})
"""Fields read from the whole document, never from each item of a list of errors."""
_CONTAINERS = frozenset({"detail", "items"})
"""Slots whose value may hold other fields: the detail (any JSON), the list of errors."""

_WHAT = {
    "code": "code",
    "message": "message",
    "detail": "detail",
    "status": "status",
    "request_id": "request_id",
    "retry_after": "retry_after (retry.after_paths)",
    "sub_code": "sub_code",
    "type": "type",
    "items": "the list of errors (items)",
    "flag": "the success flag (error_flag)",
    "filter": "the value a select step's filter tests ([?key==value])",
}


@dataclass(frozen=True)
class Conflict:
    """Two fields that to_response() cannot write so that from_response reads them back."""

    field: str  # the envelope field (or "items", "flag") whose path is at fault
    index: int  # which of its paths (0: the first, the one written)
    message: str
    hint: str


@dataclass(frozen=True)
class Layout:
    """The writers of to_response(), in the order they run."""

    item_writers: tuple[tuple[str, WriteSteps], ...]  # relative to each item of the list
    body_writers: tuple[tuple[str, WriteSteps], ...]

    header_writers: tuple[tuple[str, str], ...]
    items_steps: WriteSteps | None
    flag_steps: WriteSteps | None


@dataclass(frozen=True)
class _Slot:
    field: str
    steps: tuple[Key, ...]  # from the document root; item fields below items + [0]
    header: str | None = None
    selects: tuple[Step, ...] = ()  # the steps as the path has them, select steps kept (written as filters)
    owner: str | None = None  # a filter's: the field whose path has it

    @property
    def blamed(self) -> str:
        """The envelope field a conflict of this slot is reported at."""
        return self.owner or self.field


def _text(steps: tuple[Step, ...]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, Select):
            out += step.text
        else:
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "$"


Placed = dict[tuple[tuple[Key, ...], Select], int]
"""Where each select step is written: (its list's position, the step) -> an index."""


def _place(steps: tuple[Step, ...], placed: Placed, *, new: bool) -> tuple[Key, ...]:
    """``steps`` with each select step as the index to_response() writes it at.

    Each distinct select step into one list gets an index of its own (0, 1, ... in the
    order the fields are written), and a filter's value is written beside (see
    ``_filters``), so the first element that passes its test is the one written.
    ``new``: whether an unseen select step gets an index (a written path) or reads
    beyond every written item (a later path of a field, read only).
    """
    out: list[Key] = []
    for step in steps:
        if isinstance(step, Select):
            key = (tuple(out), step)
            if key not in placed:
                taken = sum(1 for where, _ in placed if where == key[0])
                placed[key] = taken if new else MAX_PLACED + taken
            step = placed[key]
        out.append(step)
    return tuple(out)


MAX_PLACED = 1_000_000
"""An index no written list reaches: where a read-only select step lands."""


def path_text(path: EnvelopePath) -> str:
    """A path as the spec writes it: ``header x-request-id``, ``errors[0].code``, ``$``."""
    return f"header {path.header}" if path.header is not None else _text(path.steps)


def _slot(field: str, path: EnvelopePath, items: EnvelopePath | None, placed: Placed, *, new: bool = True) -> _Slot:
    if path.header is not None:
        return _Slot(field, (), path.header)
    steps = items.steps + (0,) + path.steps if items is not None and field not in _DOCUMENT_FIELDS else path.steps
    return _Slot(field, _place(steps, placed, new=new), selects=steps)


def _filters(
    field: str, path: EnvelopePath, items: EnvelopePath | None, placed: Placed
) -> list[tuple[_Slot, str | int | bool | None]]:
    """The filter values to_response() writes for ``field``'s path: (where, value) each."""
    if path.header is not None:
        return []
    steps = items.steps + (0,) + path.steps if items is not None and field not in _DOCUMENT_FIELDS else path.steps
    out: list[tuple[_Slot, str | int | bool | None]] = []
    for i, step in enumerate(steps):
        if isinstance(step, Select) and step.key is not None:
            out.append(
                (_Slot("filter", _place(steps[: i + 1], placed, new=True) + (step.key,), owner=field), step.value)
            )
    return out


def _lengths(slots: list[_Slot]) -> dict[tuple[Key, ...], int]:
    """Per list (by its resolved position): the length every index into it needs."""
    lengths: dict[tuple[Key, ...], int] = {}
    deepest = max((len(s.steps) for s in slots), default=0)
    resolved = [list(s.steps) for s in slots]
    for depth in range(deepest):  # a list's position depends on the indices above it
        for steps in resolved:
            if depth < len(steps) and isinstance(steps[depth], int):
                index = int(steps[depth])
                node = tuple(steps[:depth])
                lengths[node] = max(lengths.get(node, 0), index + 1 if index >= 0 else -index)
        for steps in resolved:
            if depth < len(steps) and isinstance(steps[depth], int):
                index = int(steps[depth])
                steps[depth] = index if index >= 0 else lengths[tuple(steps[:depth])] + index
    return lengths


def _resolve(steps: tuple[Key, ...], lengths: dict[tuple[Key, ...], int]) -> tuple[Key, ...] | None:
    """``steps`` with indices as they land in the written lists; None: beyond every written item."""
    out: list[Key] = []
    for step in steps:
        if isinstance(step, int):
            length = lengths.get(tuple(out))
            if length is not None:
                index = step if step >= 0 else length + step
                if not 0 <= index < length:
                    return None
                step = index
        out.append(step)
    return tuple(out)


def _write_steps(steps: tuple[Key, ...], lengths: dict[tuple[Key, ...], int]) -> WriteSteps:
    out: list[WriteStep] = []
    seen: list[Key] = []
    for step, landed in zip(steps, _resolve(steps, lengths) or steps, strict=True):
        out.append((step, lengths[tuple(seen)]) if isinstance(step, int) else step)
        seen.append(landed)
    return tuple(out)


def _filtered(slot: _Slot, steps: WriteSteps) -> WriteSteps:
    """``steps`` with each filter of the path ([?key==value]) as the step that writes it."""
    if not slot.selects:
        return steps
    return tuple(
        ("filter", step.key, step.value) if isinstance(step, Select) and step.key is not None else written
        for step, written in zip(slot.selects, steps, strict=True)
    )


def _where(steps: tuple[Key, ...]) -> str:
    return "the top of the body" if not steps else f"'{_text(steps)}'"


def _write_conflict(a: _Slot, ra: tuple[Key, ...], b: _Slot, rb: tuple[Key, ...]) -> str | None:
    """Why ``b`` cannot be written beside ``a`` (None: it can)."""
    if a.header is not None or b.header is not None:
        if a.header == b.header:
            return f"{_WHAT[b.field]} and {_WHAT[a.field]} are both the header {a.header!r}"
        return None
    if ra == rb:
        return f"{_WHAT[b.field]} and {_WHAT[a.field]} are both at {_where(ra)}"
    for outer, r_outer, inner, r_inner in ((a, ra, b, rb), (b, rb, a, ra)):
        if r_inner[: len(r_outer)] == r_outer:
            if outer.field == "detail":
                return None
            if outer.field == "items" and isinstance(r_inner[len(r_outer)], int):
                return None
            kind = "list of errors" if outer.field == "items" else "value"
            return (
                f"{_WHAT[inner.field]} at {_where(r_inner)} would sit inside {_WHAT[outer.field]}, "
                f"whose {kind} is at {_where(r_outer)}"
            )
    shared = next(i for i, (x, y) in enumerate(zip(ra, rb, strict=False)) if x != y)
    if isinstance(ra[shared], int) != isinstance(rb[shared], int):
        listed, keyed = (a, b) if isinstance(ra[shared], int) else (b, a)
        return (
            f"{_WHAT[listed.field]} needs a list at {_where(ra[:shared])}, where {_WHAT[keyed.field]} needs an object"
        )
    return None


def _read_conflict(field: str, p: _Slot, rp: tuple[Key, ...] | None, q: _Slot, rq: tuple[Key, ...]) -> str | None:
    """Why ``field``, when absent, would read ``q``'s value through path ``p`` (None: it reads nothing)."""
    if p.header is not None or q.header is not None:
        return f"it reads the header {p.header!r}, where {_WHAT[q.field]} is written" if p.header == q.header else None
    if rp is None:
        return None  # beyond every written item
    if rp == rq:
        return f"it reads {_where(rp)}, where {_WHAT[q.field]} is written"
    if rq[: len(rp)] == rp:  # it reads a container holding q
        if field in ("code", "status", "detail", "sub_code", "type"):
            return None  # not a code, not a status; detail: any JSON holds what it holds
        return f"it reads {_where(rp)}, which holds {_WHAT[q.field]} (at {_where(rq)})"
    if rp[: len(rq)] == rq and q.field not in _CONTAINERS and isinstance(rp[len(rq)], int):
        return f"it reads {_where(rp)}, a character of {_WHAT[q.field]} (at {_where(rq)})"
    return None


_SHAPE_HINT = "point the path at a key inside an object (e.g. error.code)"


def _shape_conflict(slot: _Slot, items: EnvelopePath | None) -> str | None:
    """Why a field cannot be written where its path points, whatever the other fields."""
    if slot.header is not None or slot.field in _CONTAINERS:
        return None
    if items is not None and slot.field not in _DOCUMENT_FIELDS | {"flag"}:
        inner = slot.steps[len(items.steps) + 1 :]
        if not inner:
            return f"{_WHAT[slot.field]} would be a whole error of the list, and from_response reads only objects there"
        if isinstance(inner[0], int):
            return f"{_WHAT[slot.field]} would make each error of the list a list, and from_response reads only objects there"
        return None
    if not slot.steps:
        return f"{_WHAT[slot.field]} would be the whole body, and from_response reads only a JSON object or array"
    return None


_WRITE_HINT = (
    "give each field its own first path (to_response() writes a field at its first path; "
    "put a path of its own first in the list)"
)


def plan(
    paths: dict[str, tuple[EnvelopePath, ...]],
    items: EnvelopePath | None,
    flag: EnvelopePath | None,
    *,
    codeless: bool,
) -> tuple[Layout, list[Conflict]]:
    """The writers of to_response(), and every conflict that breaks its round trip.

    ``codeless``: whether the catalogue has entries without a code (their ``code``
    is absent from the response they are sent as).
    """
    slots: list[_Slot] = []
    conflicts: list[Conflict] = []
    placed: Placed = {}
    filters: dict[tuple[Key, ...], tuple[_Slot, str | int | bool | None]] = {}
    for field in WRITE_ORDER:
        if paths.get(field):
            slots.append(_slot(field, paths[field][0], items, placed))
            found = _filters(field, paths[field][0], items, placed)
            if found and items is not None and field not in _DOCUMENT_FIELDS:
                conflicts.append(
                    Conflict(
                        field,
                        0,
                        f"to_response() cannot write this: a filter ([?key==value]) inside each error of the "
                        f"list ({items.text}) is not written back",
                        "read this field with keys and indices, or [*] (the first element where the rest is found)",
                    )
                )
            for where, value in found:
                filters.setdefault(where.steps, (where, value))
    slots.extend(where for where, _ in filters.values())
    if items is not None:
        slots.append(_Slot("items", _place(items.steps, placed, new=True)))
    if flag is not None:
        slots.append(_Slot("flag", _place(flag.steps, placed, new=True)))
    lengths = _lengths([s for s in slots if s.header is None])
    # by slot, not by field: two filters (ErrorInfo and RetryInfo, say) are two slots of field "filter"
    resolved = {id(s): _resolve(s.steps, lengths) or s.steps for s in slots}
    for slot in slots:
        reason = _shape_conflict(slot, items)
        if reason is not None:
            conflicts.append(Conflict(slot.blamed, 0, f"to_response() cannot write this: {reason}", _SHAPE_HINT))
    order = [*FIELDS, "items", "flag", "filter"]
    clashing: set[frozenset[str]] = set()
    for i, a in enumerate(slots):
        for b in slots[i + 1 :]:
            reason = _write_conflict(a, resolved[id(a)], b, resolved[id(b)])
            if reason is not None:
                clashing.add(frozenset((a.field, b.field)))
                later = max(a, b, key=lambda s: order.index(s.field))
                conflicts.append(Conflict(later.blamed, 0, f"to_response() cannot write this: {reason}", _WRITE_HINT))
    absent = (
        ["detail", "request_id", "sub_code", "type"]
        + (["code"] if codeless else [])
        + (["retry_after"] if paths.get("retry_after") else [])
    )
    for field in absent:
        written = [
            s for s in slots if s.field not in ("detail", "request_id", "sub_code", "type", "retry_after", field)
        ]
        for k, path in enumerate(paths[field]):
            p = _slot(field, path, items, placed, new=False)
            rp = _resolve(p.steps, lengths) if p.header is None else p.steps
            for q in written:
                if k == 0 and frozenset((field, q.field)) in clashing:
                    continue  # reported as a write conflict
                reason = _read_conflict(field, p, rp, q, resolved[id(q)])
                if reason is not None:
                    who = "an error without a code" if field == "code" else f"an error without {field}"
                    conflicts.append(
                        Conflict(
                            field,
                            k,
                            f"{field} path {path.text!r} does not round-trip: for {who}, {reason}",
                            f"give {field} a path that no other field uses or holds",
                        )
                    )
                    break
    by_field = {s.field: s for s in slots}

    def writers(fields: tuple[str, ...], strip: int) -> tuple[tuple[str, WriteSteps], ...]:
        return tuple(
            (f, _filtered(by_field[f], _write_steps(by_field[f].steps, lengths))[strip:])
            for f in fields
            if f in by_field and by_field[f].header is None
        )

    per_item = tuple(f for f in WRITE_ORDER if f not in _DOCUMENT_FIELDS) if items is not None else ()
    in_body = tuple(f for f in WRITE_ORDER if f not in per_item)
    strip = len(items.steps) + 1 if items is not None else 0
    layout = Layout(
        item_writers=writers(per_item, strip),
        body_writers=writers(in_body, 0),
        header_writers=tuple((s.field, s.header) for s in slots if s.header is not None),
        items_steps=_write_steps(by_field["items"].steps, lengths) if items is not None else None,
        flag_steps=_write_steps(by_field["flag"].steps, lengths) if flag is not None else None,
    )
    return layout, conflicts


def put(container: Any, steps: WriteSteps, value: Any) -> Any:
    """``container`` with ``value`` at ``steps``, copied along the way (the input is not changed).

    The generator's twin of the generated ``_envelope._put`` (docs build examples with it).
    """
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if isinstance(step, tuple) and len(step) == 3:
        _, key, tested = step
        items = list(container) if isinstance(container, list) else []
        at = next((i for i, item in enumerate(items) if Select(key, tested).test(item)), None)
        if at is None:
            items.append({key: tested})
            at = len(items) - 1
        items[at] = put(items[at], rest, value)
        return items
    if isinstance(step, tuple):
        index, length = step
        items = list(container) if isinstance(container, list) else []
        if len(items) < length:
            items.extend([None] * (length - len(items)))
        items[index] = put(items[index], rest, value)
        return items
    obj = dict(container) if isinstance(container, dict) else {}
    obj[step] = put(obj.get(step), rest, value)
    return obj


def header_text(value: Any) -> str:
    """A field's value as to_response() writes it in a header: text as is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def steps_text(steps: WriteSteps) -> str:
    """Write steps as the path they were written as (``errors[0].code``; ``$`` for none)."""
    return _text(tuple(_read_step(step) for step in steps))


def _read_step(step: WriteStep) -> Step:
    if isinstance(step, tuple) and len(step) == 3:
        return Select(step[1], step[2])
    return step[0] if isinstance(step, tuple) else step
