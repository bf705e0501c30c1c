"""Named groups of error classes the API defines (``groups:``): intermediate classes.

A group is a class between a taxonomy category and the code classes it lists (Firebase
Admin's ``EmailAlreadyExistsError`` for both ``EMAIL_EXISTS`` and ``DUPLICATE_EMAIL``),
optionally under another group (``AlreadyExistsError``), so ``except`` the group catches
every code it holds. Every class under a group shares the group's category, except under a group of a
type (``type:``, issue 18 section 3: Stripe's ``card_error`` -> ``CardError``): one
whose errors have several categories (or none) sits under the API's base class.
"""

from __future__ import annotations

from collections.abc import Callable

from . import naming, taxonomy
from .checked import Group, error_category
from .format import Spec
from .loader import Loc

Problem = Callable[[Loc, str, str], None]


_MIXED = "*"  # the category of a type group whose errors have several (or none): under the base class


def check(
    spec: Spec,
    names: list[str],
    class_names: list[str],
    problem: Problem,
    main_entries: tuple[int | None, ...] = (),
) -> tuple[tuple[Group, ...], tuple[str | None, ...]]:
    """The groups (parents first), and per catalogue entry the group its class sits under.

    ``main_entries``: per entry, the index of its main code's entry when it is a sub-code
    entry (its class sits under that entry's class, so no group may list it)."""
    if not spec.groups:
        return (), tuple(None for _ in spec.errors)
    types: dict[str, str] = {}
    for group, body in spec.groups.items():
        if body.type is None:
            continue
        if spec.envelope.type is None:
            problem(
                ("groups", group, "type"),
                f"group {group!r} is the class of type {body.type!r}, but the envelope has no 'type' path",
                "add envelope.type (where the API sends the error type, e.g. error.type)",
            )
        elif body.type in types:
            problem(
                ("groups", group, "type"),
                f"type {body.type!r} is already the type of group {types[body.type]!r}",
                "give each type one group",
            )
        elif not body.type.strip():
            problem(("groups", group, "type"), "type may not be empty", "write the type value the API sends")
        types.setdefault(body.type, group)
    prefix = spec.api.class_prefix or naming.pascal(spec.api.name)
    base = f"{prefix}Error"
    by_key: dict[str, int] = {}
    for i, err in enumerate(spec.errors):
        by_key.setdefault(names[i], i)
        if err.code is not None:
            by_key.setdefault(str(err.code), i)
    member_of: list[str | None] = [None for _ in spec.errors]
    taken = set(class_names)
    for group, body in spec.groups.items():
        loc: Loc = ("groups", group)
        if not naming.is_identifier(group) or not group[0].isupper() or not group.isascii():
            problem(loc, f"group name {group!r} is not a PascalCase Python identifier", "e.g. EmailAlreadyExistsError")
        reason = naming.taken_reason(group, prefix) or ("is the class of a catalogue entry" if group in taken else None)
        if reason:
            problem(loc, f"group name {group!r} {reason}", "choose another name for the group")
        if body.parent is not None and body.parent not in spec.groups:
            problem(
                loc + ("parent",),
                f"parent {body.parent!r} is not a group of this spec",
                f"one of: {', '.join(sorted(spec.groups))}",
            )
        for k, key in enumerate(body.errors):
            index = by_key.get(str(key))
            if index is None:
                problem(
                    loc + ("errors", k),
                    f"{key!r} is no error of the catalogue (by name or code)",
                    "list the name or the code of an entry",
                )
                continue
            if main_entries and main_entries[index] is not None:
                problem(
                    loc + ("errors", k),
                    f"{key!r} is a sub-code entry: its class sits under the class of its main code",
                    "list the main code's entry in the group instead",
                )
                continue
            if member_of[index] is not None:
                problem(
                    loc + ("errors", k),
                    f"{key!r} is already in the group {member_of[index]!r}",
                    "a class has one parent: list it in one group",
                )
                continue
            member_of[index] = group
    categories: dict[str, str] = {}

    def category_of(group: str, seen: tuple[str, ...]) -> str | None:
        if group in categories:
            return categories[group]
        if group in seen:
            problem(
                ("groups", group, "parent"),
                f"groups {' -> '.join((*seen, group))} form a loop",
                "give one of them no parent",
            )
            return None
        found = {error_category(spec.errors[i]) for i, g in enumerate(member_of) if g == group}
        for child, body in spec.groups.items():
            if body.parent == group:
                sub = category_of(child, (*seen, group))
                if sub is not None:
                    found.add(sub)
        declared = spec.groups[group].category
        if declared is not None:  # its class sits under this category's: every class under it must be of it
            other = sorted(found - {declared})
            if other:
                what = "a group of several categories" if _MIXED in other else f"errors of {', '.join(other)}"
                problem(
                    ("groups", group, "category"),
                    f"group {group!r} declares category {declared!r} but holds {what}",
                    "a class has one parent: declare a category only where every error under the group has it",
                )
                return None
            categories[group] = str(declared)
            return categories[group]
        if spec.groups[group].type is not None and len(found) != 1 or _MIXED in found:
            if spec.groups[group].type is None:
                problem(
                    ("groups", group),
                    f"group {group!r} holds a group of several categories",
                    "a group's classes share one taxonomy category; only a group with type: may mix them",
                )
                return None
            categories[group] = _MIXED  # under the base class
            return _MIXED
        if len(found) != 1:
            what = "holds no error" if not found else f"holds errors of several categories ({', '.join(sorted(found))})"
            problem(
                ("groups", group),
                f"group {group!r} {what}",
                "a group's classes share one taxonomy category: list errors of one",
            )
            return None
        categories[group] = found.pop()
        return categories[group]

    for group in spec.groups:
        category_of(group, ())
    ordered: list[Group] = []
    placed: set[str] = set()

    def place(group: str) -> None:
        if group in placed or group not in categories:
            return
        placed.add(group)
        body = spec.groups[group]
        if body.parent is not None:
            place(body.parent)
        category = categories[group]
        if body.parent in categories:
            parent = str(body.parent)
        else:
            parent = base if category == _MIXED else taxonomy.BY_NAME[category].class_name
        ordered.append(Group(group, parent, None if category == _MIXED else category, body.description, body.type))

    for group in spec.groups:
        place(group)
    return tuple(ordered), tuple(member_of)
