"""Named groups of error classes the API defines (``groups:``): intermediate classes.

A group is a class between a taxonomy category and the code classes it lists (Firebase
Admin's ``EmailAlreadyExistsError`` for both ``EMAIL_EXISTS`` and ``DUPLICATE_EMAIL``),
optionally under another group (``AlreadyExistsError``), so ``except`` the group catches
every code it holds. Every class under a group shares the group's category.
"""

from __future__ import annotations

from collections.abc import Callable
from . import naming, taxonomy
from .checked import Group, error_category
from .format import Spec
from .loader import Loc

Problem = Callable[[Loc, str, str], None]


def check(
    spec: Spec, names: list[str], class_names: list[str], problem: Problem
) -> tuple[tuple[Group, ...], tuple[str | None, ...]]:
    """The groups (parents first), and per catalogue entry the group its class sits under."""
    if not spec.groups:
        return (), tuple(None for _ in spec.errors)
    prefix = spec.api.class_prefix or naming.pascal(spec.api.name)
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
        parent = body.parent if body.parent in categories else taxonomy.BY_NAME[categories[group]].class_name
        ordered.append(Group(group, parent, categories[group], body.description))

    for group in spec.groups:
        place(group)
    return tuple(ordered), tuple(member_of)
