"""Whether each catalogue error's own response comes back as its class.

``C().to_response()`` sends C's status (else its category's) and its code;
``from_response`` then decides as the generated ``classify`` does: (status, code),
code, status, then the fallbacks. A fallback or another entry can take that
response first, and C is then a class no response of its own reaches: the spec
says two things at once. This module runs that decision on the spec's tables at
validation time, so the spec is refused with the entry's position instead. It
reads the model's tables through ``Reference.lookup``, the replay of ``classify``
that ``tests/test_reference_dispatch.py`` holds equal to the generated packages.

A rule is checked first, as in dispatch, when it takes *every* response of the
entry: one on status and code alone. A rule that also looks at the message, the
method or the path takes only some of them (the API's messages vary; the request is
not in the response), so it is left out; a code-less entry that rules name is
reached through them, not the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from .checked import CheckedSpec
from .reference_dispatch import Reference, as_code


@dataclass(frozen=True)
class Miss:
    """Entry ``index`` comes back as another class."""

    index: int
    message: str
    hint: str


def misses(checked: CheckedSpec) -> list[Miss]:
    """Every entry whose ``to_response()`` would come back as another class."""
    from ..model.build import build_model  # the model reads the checked spec this module is given
    from .example_checks import response_status

    spec, api = checked.spec, build_model(checked)
    reference = Reference(checked, api)
    integer, normalize = api.dispatch.integer_codes, reference.normalize
    paths = checked.envelope_paths
    coded = {e.code for e in api.errors if e.code is not None}
    default = as_code(reference.defaults["code"], normalize, integer)
    body = any(p.header is None for f in ("message", "status") for p in paths[f][:1])
    body = body or spec.envelope.items is not None or spec.envelope.error_flag is not None
    ruled = {rule.error for rule in spec.rules}

    result: list[Miss] = []
    for i, (err, error) in enumerate(zip(spec.errors, api.errors, strict=True)):
        name = checked.error_names[i]
        status = response_status(api, error)
        # the code as the package reads it back (normalised, an int for integer codes)
        code = as_code(error.code, normalize, integer) if paths["code"] or spec.envelope.code_prefix else None
        if code is None and default is not None and body:
            code = default  # read back as the envelope's default code
        if code is None and spec.envelope.code_from_status:
            code = status if integer else str(status)  # read back with its status as the code
        if error.code is None and name in ruled:
            continue  # reached through the rules
        shown = repr(str(code))
        hint = ""
        # what to_response() writes beside the code: the entry's sub-code, its group's type
        sub_code = error.sub_code if paths.get("sub_code") else None
        kind = api.type_of(error.class_name) if paths.get("type") else None
        # A rule that looks only at status and code takes every response of the entry.
        j = reference.rule_index(status, code, None, None, None)
        if j is not None:
            found = reference.refined(api.rules[j].class_name, code, sub_code)
            why = f"rules[{j}] takes every response with {'this code and ' if api.rules[j].code is not None else ''}status {status}"
            hint = f"narrow rules[{j}] (a message, a method or a path), or let it name {name!r}"
        else:
            table, step = reference.lookup(status, code, sub_code, kind)
            found = reference.category_class(status) if table is None else table
            if step == "status_code":
                k = max(k for k, e in enumerate(api.errors) if (e.status, e.code) == (status, code))
                why = f"errors[{k}] has code {shown} with status {status}"
                hint = "give the entries distinct codes or statuses"
            elif step == "code":
                why = f"code {shown} names {found}"
                if sub_code is not None:
                    why += f" (so its sub-code {sub_code!r} cannot refine that class: it does not subclass it)"
            elif step == "sub_code":
                why = f"code {shown} with sub-code {sub_code!r} names {found}"
            elif step == "type":
                why = f"its type {kind!r} names {found}"
                hint = "give the entry a code"
            elif step == "status" and status in spec.fallbacks.status:
                why = f"fallbacks.status.{status} takes code-less responses with status {status}"
                hint = f"point fallbacks.status.{status} at {name!r}, or give the entry a code"
            elif step == "status":
                why = f"{found} takes code-less responses with status {status}"
                hint = "give the entry a code, or a status of its own"
            else:
                why = f"nothing else takes it, and fallbacks.{step} is {getattr(spec.fallbacks, step)!r}"
                if code is not None and code in coded:
                    why = f"code {shown} has several entries, none with status {status}"
                hint = (
                    f"give the entry a status, or set fallbacks.{step}: {name}"
                    if err.status is None
                    else f"give the entry a code, or set fallbacks.{step}: {name}"
                )
        if found != error.class_name:
            what = f"status {status}" + (f", code {shown}" if code is not None else "")
            result.append(
                Miss(
                    i,
                    f"error {name!r} does not come back as {error.class_name}: its own response "
                    f"({what}) is dispatched to {found}, because {why}",
                    hint or "give the entry a status of its own",
                )
            )
    return result
