"""Check the catalogue's examples against the dispatch and the detail schemas.

Each entry's ``example`` is the body of a response showing that error. It is
dispatched here as the generated package would dispatch it (``reference_dispatch``,
with the status ``to_response()`` sends the entry with, and the headers the
envelope reads filled from the entry: an example is a body only) and must

- come back as its own entry (for a list of errors: one of the group's members);
- have a detail that matches the entry's detail schema (its own, else its
  category's, else the API's), checked with jsonschema.

Every body path of the envelope must be held by at least one example (null counts):
a path none holds is probably misspelt, and every response would then read None
there. That is a warning, reported only when the spec has examples.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from .checked import ENVELOPE_FIELDS, CheckedSpec
from .checking import Checker
from .loader import Loc
from .paths import EnvelopePath, Select, Step
from .reference_dispatch import Dispatched, Outcome, Reference, holds, parsed_body

if TYPE_CHECKING:
    import jsonschema

    from ..model.data import ApiModel, ErrorClass


def _path_loc(raw: Any, name: str, index: int) -> Loc:
    """Where the spec writes path ``index`` of envelope field ``name`` (written ``raw``)."""
    if isinstance(raw, list):
        return ("envelope", name, index)
    if isinstance(raw, dict):
        return ("envelope", name, "path", index) if isinstance(raw.get("path"), list) else ("envelope", name, "path")
    return ("envelope", name)


def envelope_paths(checked: CheckedSpec, data: Any) -> list[tuple[Loc, EnvelopePath, bool]]:
    """Every body path of the envelope: where the spec (loaded as ``data``) writes it,
    the path, and whether it is read in each item of a list of errors (else in the body)."""
    written = data.get("envelope") if isinstance(data, dict) else None
    written = written if isinstance(written, dict) else {}
    per_item = checked.items_path is not None
    found: list[tuple[Loc, EnvelopePath, bool]] = []
    for name in ENVELOPE_FIELDS:
        for i, path in enumerate(checked.envelope_paths[name]):
            if path.header is None:
                found.append((_path_loc(written.get(name), name, i), path, per_item and name != "request_id"))
    if checked.items_path is not None:
        found.append((("envelope", "items"), checked.items_path, False))
    if checked.flag_path is not None:
        found.append((("envelope", "error_flag", "path"), checked.flag_path, False))
    return found


def _holds_somewhere(
    path: EnvelopePath, per_item: bool, examples: list[Any], items: EnvelopePath | None, xml: bool = False
) -> bool:
    for example in examples:
        if holds(path, example):
            return True
        if per_item and items is not None:
            value = example
            try:
                for step in items.steps:
                    value = value[step]
            except (LookupError, TypeError):
                continue
            if xml and isinstance(value, dict):  # XML: one element of the errors' name reads as itself
                value = [value]
            if isinstance(value, list) and any(holds(path, item) for item in value):
                return True
    return False


def path_warnings(checker: Checker, checked: CheckedSpec) -> None:
    """Warn of each envelope body path that no example holds (when there are examples)."""
    parsed = (parsed_body(e.example) for e in checked.spec.errors if e.example is not None)
    examples = [doc for doc in parsed if doc is not None]  # bodies that are JSON documents
    if not examples:
        return
    for loc, path, per_item in envelope_paths(checked, checker.doc.data):
        if not _holds_somewhere(path, per_item, examples, checked.items_path, checked.spec.envelope.format == "xml"):
            where = "each error of the list" if per_item else "the body"
            checker.warning(
                loc,
                f"envelope path {path.text!r}: no example holds it (read from {where}); every response "
                "without it reads None there",
                "check the spelling against the examples, or add an example showing where it sits",
            )


def response_status(api: ApiModel, error: ErrorClass) -> int:
    """The status ``to_response()`` sends ``error`` with (as ``_envelope.response_status``)."""
    if error.status is not None:
        return error.status
    category = next(c for c in api.categories if c.category == error.category)
    return category.statuses[0] if category.statuses else api.envelope.default_status


def _headers(checked: CheckedSpec, error: ErrorClass) -> dict[str, str]:
    """The headers the envelope reads the code or message from, as the entry sets them."""
    values = {"code": error.code, "message": error.message}
    return {
        path.header: str(value)
        for name, value in values.items()
        if value is not None
        for path in checked.envelope_paths[name]
        if path.header is not None
    }


def _describe(outcome: Outcome) -> str:
    if not outcome.errors:
        return "no error (from_response returns None)"
    if outcome.group is not None:
        return f"a {outcome.group} of " + ", ".join(e.class_name for e in outcome.errors)
    return outcome.errors[0].class_name


@cache
def _validator(document_json: str, name: str) -> jsonschema.Draft202012Validator:
    import json

    import jsonschema

    document = json.loads(document_json)
    return jsonschema.Draft202012Validator({"$defs": document["$defs"], "$ref": f"#/$defs/{name}"})


def _detail_loc(checked: CheckedSpec, outcome: Outcome, member: int, base: Loc) -> Loc:
    loc = base
    if outcome.group is not None and checked.items_path is not None:
        loc += _plain(checked.items_path.steps) + (member,)
    item = outcome.errors[member].item
    for path in checked.envelope_paths["detail"]:
        if path.header is None and holds(path, item):
            return loc + _plain(path.steps)
    return loc


def _plain(steps: tuple[Step, ...]) -> tuple[str | int, ...]:
    """``steps`` up to the first select step (where an element, not a place, is chosen)."""
    out: list[str | int] = []
    for step in steps:
        if isinstance(step, Select):
            break
        out.append(step)
    return tuple(out)


def dispatch_checks(checker: Checker, checked: CheckedSpec) -> None:
    """Every example comes back as its own entry, with a detail its schema accepts."""
    if not any(e.example is not None for e in checked.spec.errors):
        return
    from ..model.build import build_model  # the model reads the checked spec this module is given

    api = build_model(checked)  # built once: round_trip read it, generate reads it again
    reference = Reference(checked, api)
    details = checked.details
    for i, (entry, error) in enumerate(zip(checked.spec.errors, api.errors, strict=True)):
        if entry.example is None:
            continue
        loc: Loc = ("errors", i, "example")
        status = response_status(api, error)
        doc = parsed_body(entry.example, api)
        headers = _headers(checked, error)
        outcome = reference.from_response(status, doc, headers)
        if not any(e.class_name == error.class_name for e in outcome.errors):
            # A rule that names this entry and asks for a method or URL path: the example
            # answers such a request.
            for k, rule in enumerate(api.rules):
                if rule.class_name == error.class_name and (rule.methods or rule.path is not None):
                    assumed = reference.from_response(status, doc, headers, assume=k)
                    if any(e.class_name == error.class_name for e in assumed.errors):
                        outcome = assumed
                        break
        mine = [k for k, e in enumerate(outcome.errors) if e.class_name == error.class_name]
        if not mine:
            checker.problem(loc, _mismatch(checked, error, status, outcome), _mismatch_hint(outcome))
            continue
        model = None
        if details is not None:
            model = details.errors[i] or details.categories.get(error.category) or details.api
        if model is None or details is None:
            continue
        validator = detail_validator(details.document, model)
        for k in mine:
            member = outcome.errors[k]
            if member.detail is None:
                continue
            problems = sorted(validator.iter_errors(member.detail), key=lambda e: [str(p) for p in e.absolute_path])
            if problems:
                import jsonschema.exceptions

                worst = jsonschema.exceptions.best_match(problems) or problems[0]
                where = "/".join(str(p) for p in worst.absolute_path) or "the detail"
                checker.problem(
                    _detail_loc(checked, outcome, k, loc) + tuple(worst.absolute_path),
                    f"the example's detail does not match the detail schema (models.{model}) at {where}: "
                    f"{worst.message}"[:300],
                    "fix the example, or the schema if the API really sends this",
                )


def _document_json(document: dict[str, Any]) -> str:
    import json

    return json.dumps(document, sort_keys=True)


def detail_validator(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """A validator of the model ``name`` of the spec's gathered detail schemas (cached per document)."""
    return _validator(_document_json(document), name)


def _mismatch(checked: CheckedSpec, error: ErrorClass, status: int, outcome: Outcome) -> str:
    got = _describe(outcome)
    read = ""
    first: Dispatched | None = outcome.errors[0] if outcome.errors else None
    if first is not None:
        paths = ", ".join(repr(p.text) for p in checked.envelope_paths["code"]) or "none"
        read = f", code {first.code!r} read at envelope.code {paths}"
    return f"the example comes back as {got}, not as this entry's {error.class_name} (status {status}{read})"


def _mismatch_hint(outcome: Outcome) -> str:
    if outcome.errors and outcome.errors[0].code is None:
        return "put the code where envelope.code reads it (or fix the envelope path)"
    return "fix the example's code or message, or move the example to the entry it shows"
