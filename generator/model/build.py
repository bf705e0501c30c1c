"""Build the intermediate model (``model``) from a checked spec."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from .. import __version__
from ..spec import layout, paths, taxonomy
from ..spec.checked import ENVELOPE_FIELDS, OPTIONAL_FIELDS, CheckedSpec, error_category
from ..spec.format import EventsSpec
from ..spec.paths import EnvelopePath
from . import details as detail_modeling
from .data import (
    ApiModel,
    CategoryClass,
    Code,
    DispatchModel,
    EnvelopeModel,
    ErrorClass,
    GroupClass,
    Reader,
    RuleModel,
)
from .redaction import secret_headers
from .retry import build_retry


def event_data_at(events: EventsSpec | None) -> tuple[str, ...]:
    """The keys of ``events.data_at`` (validation has checked it names keys only)."""
    if events is None or events.data_at is None:
        return ()
    return tuple(str(step) for step in paths.parse(events.data_at).steps)


def event_when(events: EventsSpec | None) -> tuple[str, ...]:
    """The keys of ``events.when`` (validation has checked it names keys only)."""
    if events is None or events.when is None:
        return ()
    return tuple(str(step) for step in paths.parse(events.when).steps)


def _categories() -> tuple[CategoryClass, ...]:
    return tuple(CategoryClass(c.name, c.class_name, c.summary, c.retryable, c.statuses) for c in taxonomy.CATEGORIES)


def _errors(checked: CheckedSpec) -> tuple[ErrorClass, ...]:
    result: list[ErrorClass] = []
    in_group = checked.error_groups or tuple(None for _ in checked.spec.errors)
    mains = checked.main_entries or tuple(None for _ in checked.spec.errors)
    for err, name, class_name, group, main in zip(
        checked.spec.errors, checked.error_names, checked.class_names, in_group, mains, strict=True
    ):
        category = error_category(err)
        info = taxonomy.BY_NAME[category]
        deprecated = err.deprecated if isinstance(err.deprecated, str) else ("deprecated" if err.deprecated else None)
        inherited = info.retryable  # what the class inherits: its category's, or its main code's class's
        if main is not None:
            inherited = result[main].retryable  # the main entry comes first (validation)
        result.append(
            ErrorClass(
                name=name,
                class_name=class_name,
                parent=checked.class_names[main] if main is not None else group or info.class_name,
                category=category,
                code=None if err.code is None else _code(err.code, checked),
                status=err.status,
                message=err.message,
                description=err.description,
                causes=tuple(err.causes),
                fixes=tuple(err.fixes),
                retryable=inherited if err.retryable is None else err.retryable,
                parent_retryable=inherited,
                docs_url=err.docs_url,
                deprecated=deprecated,
                example=err.example,
                sub_code=err.sub_code,
                class_name_given=err.class_name is not None,
            )
        )
    return tuple(result)


def _code(code: str | int, checked: CheckedSpec) -> Code:
    """A code as it is at runtime: an int in an integer catalogue, else text."""
    if checked.spec.codes.type == "integer":
        return int(code)
    return str(code)


def _envelope(checked: CheckedSpec) -> EnvelopeModel:
    env = checked.spec.envelope
    readers = []
    for field in ENVELOPE_FIELDS:
        found: tuple[EnvelopePath, ...] = checked.envelope_paths[field]
        if field in OPTIONAL_FIELDS and not found:
            continue  # sub_code, type: read only where the spec sets them
        spec_field = getattr(env, field)
        default = spec_field.default if spec_field is not None else None
        readers.append(Reader(field, tuple(p.expression() for p in found), default))
    after = checked.envelope_paths.get("retry_after", ())
    if after:  # retry.after_paths: read from the whole document, parsed by _retry.body_delay
        readers.append(Reader("retry_after", tuple(p.expression() for p in after), None))
    written = checked.layout  # to_response() writes where the first path reads
    flag = checked.flag_path
    flag_value = env.error_flag.equals if env.error_flag else None
    if flag_value is None or isinstance(flag_value, bool):
        flag_test = f"value is {flag_value!r}"
    else:
        flag_test = f"type(value) is {type(flag_value).__name__} and value == {flag_value!r}"
    return EnvelopeModel(
        readers=tuple(readers),
        item_writers=written.item_writers,
        body_writers=written.body_writers,
        header_writers=written.header_writers,
        items=checked.items_path.expression() if checked.items_path else None,
        items_steps=written.items_steps,
        data=checked.data_path.expression() if checked.data_path else None,
        errors_on_success=env.errors_on_success,
        flag=flag.expression() if flag else None,
        flag_steps=written.flag_steps,
        flag_value=flag_value,
        flag_test=flag_test if flag else None,
        read_paths=tuple(
            (field, tuple(layout.path_text(p) for p in checked.envelope_paths[field]))
            for field in ENVELOPE_FIELDS
            if checked.envelope_paths[field]
        ),
        code_prefix=env.code_prefix,
        code_from_status=env.code_from_status,
        **_required(checked),
    )


def _required(checked: CheckedSpec) -> dict[str, Any]:
    """``envelope.require`` (issue 18 section 7) as the envelope model's fields."""
    required = checked.spec.envelope.require
    if required is None:
        return {}
    path = paths.parse(required.path)
    value = required.equals
    test = (
        f"value is {value!r}"
        if isinstance(value, bool)
        else f"type(value) is {type(value).__name__} and value == {value!r}"
    )
    return {
        "require": path.expression(),
        "require_steps": tuple(str(step) for step in path.steps),
        "require_value": value,
        "require_test": test,
    }


def _dispatch(checked: CheckedSpec, errors: tuple[ErrorClass, ...], base: str) -> DispatchModel:
    by_name = {e.name: e.class_name for e in errors}
    by_name_or_base = {**by_name, "base": base}
    by_status_code: dict[tuple[int, Code], str] = {}
    code_classes: dict[Code, set[str]] = {}
    by_status: dict[int, str] = {}
    by_sub_code: dict[tuple[Code, str], str] = {}
    for err in errors:
        if err.sub_code is not None and err.code is not None:
            by_sub_code[(err.code, err.sub_code)] = err.class_name  # refines its main code's class
            continue
        if err.code is not None:
            if err.status is not None:
                by_status_code[(err.status, err.code)] = err.class_name
            code_classes.setdefault(err.code, set()).add(err.class_name)
        elif err.status is not None:
            by_status.setdefault(err.status, err.class_name)
    # A code alone decides the class only when it is unambiguous.
    by_code = {code: next(iter(cls)) for code, cls in code_classes.items() if len(cls) == 1}
    fb = checked.spec.fallbacks
    for status, target in fb.status.items():
        by_status[status] = (
            _target(target, by_name_or_base) or taxonomy.BY_NAME[taxonomy.category_for_status(status)].class_name
        )
    category_by_status = tuple(sorted((s, c.class_name) for c in taxonomy.CATEGORIES for s in c.statuses))
    known = {e.status for e in errors if e.status is not None} | set(fb.status)
    return DispatchModel(
        by_status_code=tuple(sorted(by_status_code.items())),
        by_code=tuple(sorted(by_code.items())),
        by_status=tuple(sorted(by_status.items())),
        category_by_status=category_by_status,
        known_statuses=tuple(sorted(known)),
        unknown_code=_target(fb.unknown_code, by_name_or_base),
        no_code=_target(fb.no_code, by_name_or_base),
        unknown_status=_target(fb.unknown_status, by_name_or_base),
        normalize=checked.spec.codes.normalize,
        integer_codes=checked.spec.codes.type == "integer",
        by_sub_code=tuple(sorted(by_sub_code.items(), key=lambda row: (str(row[0][0]), row[0][1]))),
        by_type=tuple(sorted((g.type, g.class_name) for g in checked.groups if g.type is not None))
        if checked.envelope_paths["type"]
        else (),
        sub_codes=bool(checked.envelope_paths["sub_code"]),
        types=bool(checked.envelope_paths["type"]),
    )


def _target(value: str, classes: dict[str, str]) -> str | None:
    """A fallback's class; None means the taxonomy class of the status."""
    return None if value == "category" else classes[value]


def _rules(checked: CheckedSpec, errors: tuple[ErrorClass, ...]) -> tuple[RuleModel, ...]:
    by_name = {e.name: e.class_name for e in errors}
    return tuple(
        RuleModel(
            class_name=by_name[rule.error],
            statuses=tuple(s for s in rule.status if isinstance(s, int)),
            status_classes=tuple(int(s[0]) for s in rule.status if isinstance(s, str)),
            code=None if rule.code is None else _code(rule.code, checked),
            message=rule.message,
            methods=tuple(rule.method),
            path=rule.path,
            headers=tuple((name.lower(), pattern) for name, pattern in rule.headers.items()),
        )
        for rule in checked.spec.rules
    )


def build_model(checked: CheckedSpec) -> ApiModel:
    """The intermediate model of one API, built once per checked spec (kept in ``checked.built``)."""
    found = checked.built.get("model")
    if isinstance(found, ApiModel):
        return found
    model = _build(checked)
    checked.built["model"] = model
    return model


def _build(checked: CheckedSpec) -> ApiModel:
    spec = checked.spec
    errors = _errors(checked)
    base = f"{checked.class_prefix}Error"
    dispatch = _dispatch(checked, errors, base)
    categories = _categories()
    details, detail_classes, detail_type = detail_modeling.build(checked, categories, errors)
    return ApiModel(
        name=spec.api.name,
        package=checked.package,
        version=spec.api.version,
        title=spec.api.title,
        description=spec.api.description,
        docs_url=spec.api.docs_url,
        spec_file=PurePosixPath(checked.file).name,
        spec_sha256=checked.sha256,
        generator_version=__version__,
        base_class=base,
        group_class=f"{base}Group" if checked.items_path is not None else None,
        categories=categories,
        errors=errors,
        groups=tuple(GroupClass(g.class_name, g.parent, g.category, g.description, g.type) for g in checked.groups),
        codes=tuple(sorted({e.code for e in errors if e.code is not None})),
        envelope=_envelope(checked),
        dispatch=dispatch,
        rules=_rules(checked, errors),
        details=details,
        detail_classes=detail_classes,
        detail_type=detail_type,
        detail_parser=checked.details.api if checked.details else None,
        secret_headers=secret_headers(spec.api.redact_headers),
        envelope_headers=tuple(
            sorted({p.header for found in checked.envelope_paths.values() for p in found if p.header is not None})
        ),
        retry=build_retry(
            spec.retry, tuple(layout.path_text(p) for p in checked.envelope_paths.get("retry_after", ()))
        ),
        license=spec.api.license,
        json_parser=spec.api.json_parser,
        body_format=spec.envelope.format,
        error_events=tuple(spec.events.names) if spec.events is not None else (),
        carried=_carried(checked),
        event_data_at=event_data_at(spec.events),
        event_when=event_when(spec.events),
    )


CARRIED_SECTIONS = ("envelope", "codes", "rules", "fallbacks", "groups", "retry")


def _carried(checked: CheckedSpec) -> str:
    """The sections of the spec that OpenAPI has no place for, as the spec writes them
    (defaults left out), and ``api.class_prefix``: what ``errorsdk import openapi`` reads
    back from ``x-errorsdk``."""
    found: dict[str, Any] = {}
    for section in CARRIED_SECTIONS:
        value = getattr(checked.spec, section)
        dumped: Any
        if isinstance(value, list):
            dumped = [item.model_dump(mode="json", exclude_defaults=True) for item in value]
        elif isinstance(value, dict):  # groups: name -> group, in the spec's order
            dumped = {name: item.model_dump(mode="json", exclude_defaults=True) for name, item in value.items()}
        else:
            dumped = value.model_dump(mode="json", exclude_defaults=True)
        if dumped:
            found[section] = dumped
    if checked.spec.api.class_prefix is not None:  # the prefix of taken class names, and of the base class
        found["api"] = {"class_prefix": checked.spec.api.class_prefix}
    return json.dumps(found, sort_keys=True)
