"""Whether each catalogue error's own response comes back as its class.

``C().to_response()`` sends C's status (else its category's) and its code (with its
sub-code and its group's type, where the envelope has them); ``from_response`` then
decides as the generated ``classify`` does: (status, code), code (refined by the
sub-code), type, status, then the fallbacks. A fallback or another entry can take that
response first, and C is then a class no response of its own reaches: the spec
says two things at once. This module runs that decision on the spec's tables at
validation time, so the spec is refused with the entry's position instead.

A rule is checked first, as in dispatch, when it takes *every* response of the
entry: one on status and code alone. A rule that also looks at the message, the
method or the path takes only some of them (the API's messages vary; the request is
not in the response), so it is left out; a code-less entry that rules name is
reached through them, not the tables.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import taxonomy
from .checked import Group, error_category
from .paths import EnvelopePath
from .format import Rule, Spec


@dataclass(frozen=True)
class Miss:
    """Entry ``index`` comes back as another class."""

    index: int
    message: str
    hint: str


def _code_text(value: str | int, spec: Spec) -> str | None:
    """The code as the generated as_code reads it back."""
    code = str(value)
    if spec.codes.type == "integer" and code.strip().lstrip("-").isdigit():
        code = str(int(code))
    if spec.codes.normalize:
        found = re.search(spec.codes.normalize, code)
        if found is not None:
            code = found.group(1) if found.re.groups else found.group(0)
    return code


def _status(spec: Spec, index: int) -> int:
    """The status ``to_response()`` sends entry ``index`` with."""
    err = spec.errors[index]
    if err.status is not None:
        return err.status
    category = err.category or taxonomy.category_for_status(err.status)
    statuses = taxonomy.BY_NAME[category].statuses
    if statuses:
        return statuses[0]
    return 200 if spec.envelope.errors_on_success else 500


def _takes_every(rule: Rule, status: int, code: str | None, spec: Spec) -> bool:
    """Whether ``rule`` takes every response with this status and code (it looks at nothing else)."""
    if rule.message is not None or rule.method or rule.path is not None or rule.headers:
        return False
    if rule.status:
        plain = {s for s in rule.status if isinstance(s, int)}
        classes = {int(s[0]) for s in rule.status if isinstance(s, str)}
        if status not in plain and status // 100 not in classes:
            return False
    return rule.code is None or code == _code_text(rule.code, spec)


def misses(
    spec: Spec,
    names: list[str],
    class_names: list[str],
    base: str,
    paths: dict[str, tuple[EnvelopePath, ...]],
    main_entries: tuple[int | None, ...] = (),
    groups: tuple[Group, ...] = (),
    error_groups: tuple[str | None, ...] = (),
) -> list[Miss]:
    """Every entry whose ``to_response()`` would come back as another class.

    ``main_entries``: per entry, its main code's entry (sub-code entries); ``groups`` and
    ``error_groups``: the group classes, and the group each entry's class sits under."""
    by_name = {name: cls for name, cls in zip(names, class_names, strict=True)}
    main_of = main_entries or tuple(None for _ in spec.errors)
    group_of = error_groups or tuple(None for _ in spec.errors)
    by_group = {g.class_name: g for g in groups}
    by_type = {g.type: g.class_name for g in groups if g.type is not None} if paths.get("type") else {}

    def above(i: int) -> list[str]:
        """The classes entry ``i``'s class sits under, nearest first."""
        found: list[str] = []
        group = by_group.get(group_of[i] or "")
        while group is not None:
            found.append(group.class_name)
            group = by_group.get(group.parent)
        if not found or by_group[found[-1]].category is not None:
            found.append(taxonomy.BY_NAME[error_category(spec.errors[i])].class_name)
        return [*found, base]

    def type_of(i: int) -> str | None:
        """The type ``to_response()`` writes for entry ``i``: its nearest group's with one."""
        group = by_group.get(group_of[i] or "")
        while group is not None and group.type is None:
            group = by_group.get(group.parent)
        return group.type if group is not None else None

    def target(value: str, status: int) -> str:
        if value == "category":
            return taxonomy.BY_NAME[taxonomy.category_for_status(status)].class_name
        return base if value == "base" else by_name[value]

    codes = [None if e.code is None else _code_text(e.code, spec) for e in spec.errors]
    by_status_code: dict[tuple[int, str], int] = {}
    classes_of_code: dict[str, set[str]] = {}
    by_status: dict[int, str] = {}
    for i, err in enumerate(spec.errors):
        code = codes[i]
        if main_of[i] is not None:
            continue  # a sub-code's class: found through its main code's
        if code is not None:
            if err.status is not None:
                by_status_code[(err.status, code)] = i
            classes_of_code.setdefault(code, set()).add(class_names[i])
        elif err.status is not None:
            by_status.setdefault(err.status, class_names[i])
    fallback_status = dict(spec.fallbacks.status)
    known = {e.status for e in spec.errors if e.status is not None} | set(fallback_status)
    code_field = spec.envelope.code
    default = None if code_field is None or code_field.default is None else _code_text(code_field.default, spec)
    body = any(p.header is None for f in ("message", "status") for p in paths[f][:1])
    body = body or spec.envelope.items is not None or spec.envelope.error_flag is not None
    counts = Counter(class_names)
    ruled = {rule.error for rule in spec.rules}

    result: list[Miss] = []
    for i, err in enumerate(spec.errors):
        if counts[class_names[i]] > 1:
            continue  # reported as a class-name clash
        status = _status(spec, i)
        code = codes[i] if paths["code"] or spec.envelope.code_prefix is not None else None
        if code is None and default is not None and body:
            code = default  # read back as the envelope's default code
        if code is None and spec.envelope.code_from_status:
            code = str(status)  # read back with its status as the code
        if codes[i] is None and names[i] in ruled:
            continue  # reached through the rules
        why = ""
        hint = ""
        found: str | None = None
        for j, rule in enumerate(spec.rules):
            if _takes_every(rule, status, code, spec):
                found = by_name[rule.error]
                why = f"rules[{j}] takes every response with {'this code and ' if rule.code is not None else ''}status {status}"
                hint = f"narrow rules[{j}] (a message, a method or a path), or let it name {names[i]!r}"
                break
        if found is None and code is not None:
            if (status, code) in by_status_code:
                found = class_names[by_status_code[(status, code)]]
                why = f"errors[{by_status_code[(status, code)]}] has code {code!r} with status {status}"
                hint = "give the entries distinct codes or statuses"
            elif len(classes_of_code.get(code, ())) == 1:
                found = next(iter(classes_of_code[code]))
                why = f"code {code!r} names {found}"
        main = main_of[i]
        kind = type_of(main if main is not None else i)
        if found is None and kind in by_type:
            found = by_type[kind]
            why = f"its type {kind!r} names {found}"
            hint = "give the entry a code"
        if found is None:
            if status in fallback_status:
                found = target(fallback_status[status], status)
                why = f"fallbacks.status.{status} takes code-less responses with status {status}"
                hint = f"point fallbacks.status.{status} at {names[i]!r}, or give the entry a code"
            elif status in by_status:
                found = by_status[status]
                why = f"{found} takes code-less responses with status {status}"
                hint = "give the entry a code, or a status of its own"
            else:
                key = "unknown_code" if code is not None else "no_code" if status in known else "unknown_status"
                found = target(getattr(spec.fallbacks, key), status)
                why = f"nothing else takes it, and fallbacks.{key} is {getattr(spec.fallbacks, key)!r}"
                if code is not None and code in classes_of_code:
                    why = f"code {code!r} has several entries, none with status {status}"
                hint = hint or (
                    f"give the entry a status, or set fallbacks.{key}: {names[i]}"
                    if err.status is None
                    else f"give the entry a code, or set fallbacks.{key}: {names[i]}"
                )
        if main is not None:
            if found == class_names[main] or found in above(main):
                found = class_names[i]  # refined by its sub-code
            else:
                why += f" (so its sub-code {err.sub_code!r} cannot refine the class of errors[{main}])"
        if found != class_names[i]:
            what = f"status {status}" + (f", code {code!r}" if code is not None else "")
            result.append(
                Miss(
                    i,
                    f"error {names[i]!r} does not come back as {class_names[i]}: its own response "
                    f"({what}) is dispatched to {found}, because {why}",
                    hint or "give the entry a status of its own",
                )
            )
    return result
