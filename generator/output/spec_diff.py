"""``errorsdk diff``: classify what changed between two versions of a spec.

Errors are matched by ``name`` (then, for the rest, by code and status) and compared
on the intermediate model, so derived values (class names, categories, retryable)
count, not just what the YAML spells out:

- breaking: an error removed; its class renamed; its code, status or category
  changed; the package or base class renamed; a change to how responses are read
  or classified (envelope, codes, fallbacks, rules); a class that stops sitting under a
  class it sat under (a group removed, a type group of several categories); a class whose ``err.detail``
  changes type: raw JSON becomes a model or back, another model, or the declared
  type (a union over the class and its subclasses) gains a member, wherever the
  schema that does it is written (an error's, a category's or the top-level
  ``detail_schema``); a model of ``models`` removed, or its schema changed other
  than by new optional properties (conservative: narrowing is breaking).
- feature: an error added (a sub-code entry too: its class refines its main code's); a
  group added over classes that keep their parents; ``envelope.sub_code`` added; an error newly deprecated; a model added to ``models``
  or gaining optional properties; ``api.json_parser`` set to orjson (a new
  requirement; integers beyond 64 bits then arrive as floats).
- fix: text (message, description, causes, fixes, title, docs URLs, examples),
  ``retryable``, the license, an error no longer deprecated, ``api.json_parser``
  back to stdlib (a requirement dropped).

The required semver bump is the strongest kind: breaking -> major, feature -> minor,
fix -> patch (below 1.0.0 each moves one place down: breaking -> minor).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..model.build import build_model
from ..model.data import ApiModel, ErrorClass
from ..spec.checked import CheckedSpec
from ..spec.diagnostics import Diagnostic, SpecError
from ..spec.loader import load_document, read_spec
from ..spec.validation import check
from .write import SPEC_COPY, PackageOutput

Kind = Literal["breaking", "feature", "fix"]
Bump = Literal["major", "minor", "patch"]
_ORDER: tuple[Kind, ...] = ("breaking", "feature", "fix")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True, order=True)
class Change:
    kind: Kind
    text: str


def load_ref(ref: str, cwd: Path | None = None, examples: bool = True) -> CheckedSpec:
    """A spec from a file, or from git as ``git:REV:path`` (path from the repository root).
    ``examples``: check its examples too (not for the old side of a comparison)."""
    if not ref.startswith("git:"):
        return load_text(ref, read_spec(ref), examples)
    rev, sep, path = ref[4:].partition(":")
    if not sep or not rev or not path:
        raise SpecError([Diagnostic(ref, 0, 0, "expected git:REV:path", "e.g. git:HEAD~1:specs/flux.yaml")])
    try:
        shown = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise SpecError([Diagnostic(ref, 0, 0, f"cannot run git: {exc.strerror}")]) from None
    if shown.returncode != 0:
        why = shown.stderr.decode("utf-8", "replace").strip() or "git show failed"
        raise SpecError(
            [Diagnostic(ref, 0, 0, why, "check the revision and the path (relative to the repository root)")]
        )
    return check(load_document(ref, shown.stdout), shown.stdout, examples)


def load_text(name: str, text: str | bytes, examples: bool = True) -> CheckedSpec:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return check(load_document(name, raw), raw, examples)


def _match(
    old: tuple[ErrorClass, ...], new: tuple[ErrorClass, ...]
) -> tuple[list[tuple[ErrorClass, ErrorClass]], list[ErrorClass], list[ErrorClass]]:
    """Pairs (by name, else by code and status), the removed and the added errors."""
    new_by_name = {e.name: e for e in new}
    pairs = [(o, new_by_name[o.name]) for o in old if o.name in new_by_name]
    used = {n.name for _, n in pairs}
    by_key = {(n.code, n.status): n for n in new if n.name not in used and n.code is not None}
    removed: list[ErrorClass] = []
    for o in old:
        if o.name in new_by_name:
            continue
        n = by_key.pop((o.code, o.status), None) if o.code is not None else None
        if n is None:
            removed.append(o)
        else:
            pairs.append((o, n))
            used.add(n.name)
    return pairs, removed, [n for n in new if n.name not in used]


def _label(e: ErrorClass) -> str:
    key = " ".join(str(x) for x in (e.status, e.code) if x is not None)
    return f"{e.class_name} ({key})" if key else e.class_name


def _schema_change(old: Any, new: Any) -> Kind | None:
    """A detail schema change: new optional properties are a feature, anything else breaking."""
    if old == new:
        return None
    if isinstance(old, dict) and isinstance(new, dict):
        o_props, n_props = old.get("properties", {}), new.get("properties", {})
        same_rest = {k: v for k, v in old.items() if k != "properties"} == {
            k: v for k, v in new.items() if k != "properties"
        }
        if same_rest and isinstance(o_props, dict) and isinstance(n_props, dict):
            kept = all(n_props.get(k) == v for k, v in o_props.items())
            if kept:
                return "feature"
    return "breaking"


_TEXT = ("message", "description", "causes", "fixes", "docs_url", "example")


def _error_changes(o: ErrorClass, n: ErrorClass, old_spec: Any, new_spec: Any) -> list[Change]:
    out: list[Change] = []
    label = _label(o)
    for field in ("class_name", "code", "status", "category"):
        a, b = getattr(o, field), getattr(n, field)
        if a != b:
            what = "class renamed" if field == "class_name" else f"{field} changed"
            out.append(Change("breaking", f"{label}: {what}: {a!r} -> {b!r}"))
    for field in _TEXT:
        if getattr(o, field) != getattr(n, field):
            out.append(Change("fix", f"{label}: {field} changed"))
    if o.retryable != n.retryable:
        out.append(Change("fix", f"{label}: retryable {o.retryable} -> {n.retryable}"))
    if o.deprecated != n.deprecated:
        kind: Kind = "feature" if n.deprecated is not None and o.deprecated is None else "fix"
        out.append(Change(kind, f"{label}: deprecation {o.deprecated!r} -> {n.deprecated!r}"))
    # Fields of the spec entry the model does not carry (e.g. a detail schema).
    known = set(_TEXT) | {"code", "name", "status", "category", "class_name", "retryable", "deprecated"}
    known.add("detail_schema")  # compared by its effect on err.detail: see _detail_changes
    old_fields, new_fields = old_spec.model_dump(), new_spec.model_dump()
    for field in sorted((set(old_fields) | set(new_fields)) - known):
        change = _schema_change(old_fields.get(field), new_fields.get(field))
        if change:
            out.append(Change(change, f"{label}: {field} changed"))
    return out


_KNOWN_SECTIONS = {"errorsdk", "api", "errors", "envelope", "codes", "fallbacks", "rules", "schemas", "detail_schema"}
_KNOWN_API = {"name", "package", "class_prefix", "version"}  # compared through the model


def _appended(old: Any, new: Any) -> bool:
    """Whether the list ``new`` is ``old`` with items after its own."""
    return isinstance(old, list) and isinstance(new, list) and len(new) > len(old) and new[: len(old)] == old


def _other_changes(old: CheckedSpec, new: CheckedSpec, api_text: set[str]) -> list[Change]:
    """Sections and api settings this module does not know by name (e.g. shared detail
    schemas): a new entry in a mapping is a feature; any other change is breaking, except
    a schema that only gains properties (see ``_schema_change``)."""
    out: list[Change] = []
    o_spec, n_spec = _without_schemas(old.spec.model_dump()), _without_schemas(new.spec.model_dump())
    for section in sorted((set(o_spec) | set(n_spec)) - _KNOWN_SECTIONS):
        a, b = o_spec.get(section), n_spec.get(section)
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                if key not in a:
                    out.append(Change("feature", f"{section}.{key} added"))
                elif section == "retry" and key == "after_paths" and _appended(a[key], b.get(key)):
                    # paths after the old ones: a delay is read where none was, none is read differently
                    out.append(Change("feature", "retry.after_paths added: retry_after is also read from the body"))
                else:
                    kind = _schema_change(a[key], b.get(key))
                    if kind:
                        out.append(Change(kind, f"{section}.{key} {'removed' if key not in b else 'changed'}"))
        else:
            kind = _schema_change(a, b)
            if kind:
                out.append(Change(kind, f"{section} changed"))
    o_api, n_api = o_spec["api"], n_spec["api"]
    for field in sorted((set(o_api) | set(n_api)) - _KNOWN_API - api_text):
        if o_api.get(field) != n_api.get(field):
            out.append(Change("breaking", f"api.{field} changed: {o_api.get(field)!r} -> {n_api.get(field)!r}"))
    return out


def _without_schemas(dumped: dict[str, Any]) -> dict[str, Any]:
    """A spec's dump without the categories' detail schemas (see ``_detail_changes``), and
    without categories left with nothing else set."""
    categories = {}
    for name, settings in dumped.get("categories", {}).items():
        rest = {k: v for k, v in settings.items() if k != "detail_schema"}
        if any(v is not None for v in rest.values()):
            categories[name] = rest
    return {**dumped, "categories": categories}


@dataclass(frozen=True)
class _Detail:
    """What user code sees of ``err.detail`` on one class: the model its value is read
    into (None: the raw JSON value) and the declared type (members of the union)."""

    model: str | None
    declared: frozenset[str]


def _details(checked: CheckedSpec, api: ApiModel) -> dict[str, _Detail]:
    """Per class (base, category and error classes, by class name): its ``err.detail``."""
    details = checked.details
    own = {c.class_name: c for c in api.detail_classes}
    parent = {e.class_name: e.parent for e in api.errors}
    parent.update({c.class_name: api.base_class for c in api.categories})
    parent.update({g.class_name: g.parent for g in api.groups})

    def declared(name: str) -> frozenset[str]:
        found = own.get(name)
        if found is not None and found.declared is not None:
            return frozenset(found.declared.split(" | "))
        return frozenset(api.detail_type.split(" | ")) if name == api.base_class else declared(parent[name])

    result = {api.base_class: _Detail(details.api if details else None, declared(api.base_class))}
    for c in api.categories:
        model = (details.categories.get(c.category) or details.api) if details else None
        result[c.class_name] = _Detail(model, declared(c.class_name))
    for i, e in enumerate(api.errors):
        model = (details.errors[i] or details.categories.get(e.category) or details.api) if details else None
        result[e.class_name] = _Detail(model, declared(e.class_name))
    return result


def _show(model: str | None) -> str:
    return "raw JSON" if model is None else f"models.{model}"


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    return f"{shown} ({len(names)} classes)" if len(names) > 1 else shown


def _detail_changes(
    old: CheckedSpec, new: CheckedSpec, a: ApiModel, b: ApiModel, pairs: list[tuple[ErrorClass, ErrorClass]]
) -> list[Change]:
    """How ``err.detail`` changes, class by class, and the models of ``models``; wherever
    in the spec the schema that does it is written."""
    o_details, n_details = _details(old, a), _details(new, b)
    matched = [(c.class_name, c.class_name) for c in a.categories] + [(a.base_class, b.base_class)]
    matched += [(o.class_name, n.class_name) for o, n in pairs]
    groups: dict[tuple[Kind, str], list[str]] = {}
    for o_name, n_name in matched:
        was, now = o_details[o_name], n_details[n_name]
        if was.model != now.model:
            text = f"err.detail becomes {_show(now.model)} (was {_show(was.model)})"
            groups.setdefault(("breaking", text), []).append(n_name)
        elif not now.declared <= was.declared:
            added = " | ".join(sorted(now.declared - was.declared))
            text = f"err.detail's declared type gains {added} (now {' | '.join(sorted(now.declared))})"
            groups.setdefault(("breaking", text), []).append(n_name)
    out = [Change(kind, f"{text}: {_listed(names)}") for (kind, text), names in groups.items()]
    o_defs = old.details.document["$defs"] if old.details else {}
    n_defs = new.details.document["$defs"] if new.details else {}
    for name in sorted(set(o_defs) | set(n_defs)):
        if name not in n_defs:
            out.append(Change("breaking", f"models.{name} removed"))
        elif name not in o_defs:
            out.append(Change("feature", f"models.{name} added"))
        else:
            kind = _schema_change(o_defs[name], n_defs[name])  # references compared as written: each model once
            if kind:
                out.append(
                    Change(kind, f"models.{name} changed" + (" (new optional properties)" if kind == "feature" else ""))
                )
    return out


def _parser_change(old: str, new: str) -> Change | None:
    """``api.json_parser``: orjson is a new requirement (a feature), stdlib drops it (a fix)."""
    if old == new:
        return None
    if new == "orjson":
        return Change(
            "feature",
            "api.json_parser: orjson parses bodies (a new requirement; integers beyond 64 bits arrive as floats)",
        )
    return Change("fix", f"api.json_parser: {new} parses bodies (the {old} requirement dropped)")


def _sub_code_change(old: CheckedSpec, new: CheckedSpec) -> Change | None:
    """``envelope.sub_code`` (issue 18 section 2): reading one where none was read only
    refines classes (a sub-code's class subclasses its main code's): a feature; moving or
    dropping it changes what responses become: breaking."""
    was, now = old.spec.envelope.sub_code, new.spec.envelope.sub_code
    if was == now:
        return None
    if was is None:
        return Change("feature", "envelope.sub_code added: errors carry the sub-code, and known ones get their class")
    return Change("breaking", "envelope.sub_code changed: responses may be read or classified differently")


def _ancestors(api: ApiModel) -> dict[str, frozenset[str]]:
    """Per error class: every class above it (groups, main codes' classes, its category)."""
    parent = {e.class_name: e.parent for e in api.errors} | {g.class_name: g.parent for g in api.groups}
    result: dict[str, frozenset[str]] = {}
    for e in api.errors:
        found: set[str] = set()
        name = e.parent
        while name in parent and name not in found:
            found.add(name)
            name = parent[name]
        found.add(name)
        result[e.name] = frozenset(found)
    return result


def _ancestor_changes(a: ApiModel, b: ApiModel) -> list[Change]:
    """A class that stops sitting under a class it sat under (a group removed, a type group of
    several categories that takes it out of its category, a sub-code's main code gone):
    ``except`` that class stops catching it: breaking."""
    was, now = _ancestors(a), _ancestors(b)
    lost: dict[str, list[str]] = {}
    classes = {e.name: e.class_name for e in b.errors}
    for name, above in was.items():
        if name in now:
            for gone in sorted(above - now[name]):
                lost.setdefault(gone, []).append(classes[name])
    return [
        Change("breaking", f"no longer under {gone} (except {gone} stops catching them): {_listed(names)}")
        for gone, names in lost.items()
    ]


def diff(old: CheckedSpec, new: CheckedSpec) -> list[Change]:
    """Every change from ``old`` to ``new``, classified, sorted breaking first."""
    a, b = build_model(old), build_model(new)
    changes: list[Change] = []
    if a.package != b.package:
        changes.append(Change("breaking", f"package renamed: {a.package} -> {b.package}"))
    if a.base_class != b.base_class:
        changes.append(Change("breaking", f"base class renamed: {a.base_class} -> {b.base_class}"))
    if old.spec.envelope.format != new.spec.envelope.format:
        changes.append(
            Change(
                "breaking",
                f"envelope.format changed: {old.spec.envelope.format} -> {new.spec.envelope.format}: "
                "every body is read (and to_response() written) in the other format",
            )
        )
    for section in ("envelope", "codes", "fallbacks", "rules"):
        was, now = getattr(old.spec, section), getattr(new.spec, section)
        if section == "envelope":  # sub_code: compared on its own (see _sub_code_change)
            was, now = was.model_copy(update={"sub_code": None}), now.model_copy(update={"sub_code": None})
        if was != now:
            changes.append(Change("breaking", f"{section} changed: responses may be read or classified differently"))
    sub_code_change = _sub_code_change(old, new)
    if sub_code_change:
        changes.append(sub_code_change)
    changes += _ancestor_changes(a, b)
    text_fields = ("title", "description", "docs_url", "license")
    for field in text_fields:
        if getattr(old.spec.api, field) != getattr(new.spec.api, field):
            changes.append(Change("fix", f"api.{field} changed"))
    parser_change = _parser_change(old.spec.api.json_parser, new.spec.api.json_parser)
    if parser_change:
        changes.append(parser_change)
    changes += _other_changes(old, new, {*text_fields, "json_parser"})
    pairs, removed, added = _match(a.errors, b.errors)
    spec_of = {id(e): s for m, c in ((a, old), (b, new)) for e, s in zip(m.errors, c.spec.errors, strict=True)}
    for e in removed:
        changes.append(Change("breaking", f"removed {_label(e)}"))
    for o, n in pairs:
        changes += _error_changes(o, n, spec_of[id(o)], spec_of[id(n)])
    changes += _detail_changes(old, new, a, b, pairs)
    for e in added:
        changes.append(Change("feature", f"added {_label(e)}"))
    return sorted(changes, key=lambda c: _ORDER.index(c.kind))


def required_bump(changes: list[Change]) -> Bump | None:
    kinds = {c.kind for c in changes}
    for kind, bump in (("breaking", "major"), ("feature", "minor"), ("fix", "patch")):
        if kind in kinds:
            return bump  # type: ignore[return-value]
    return None


def _parts(version: str) -> tuple[int, int, int]:
    m = _VERSION.match(version)
    if not m:
        raise ValueError(f"not a semantic version: {version!r}")
    return int(m[1]), int(m[2]), int(m[3])


def minimum_version(old_version: str, bump: Bump) -> str:
    """The lowest version that makes ``bump`` over ``old_version`` (0.x: one place down)."""
    major, minor, patch = _parts(old_version)
    if major == 0 and bump != "patch":
        bump = "minor" if bump == "major" else "patch"
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def satisfies(old_version: str, new_version: str, bump: Bump | None) -> bool:
    if bump is None:
        return True
    return _parts(new_version) >= _parts(minimum_version(old_version, bump))


def report(old: CheckedSpec, new: CheckedSpec) -> tuple[list[str], bool]:
    """The lines ``errorsdk diff`` prints, and whether the new version is enough."""
    changes = diff(old, new)
    lines = [f"{c.kind}: {c.text}" for c in changes] or ["no changes"]
    bump = required_bump(changes)
    v_old, v_new = old.spec.api.version, new.spec.api.version
    ok = satisfies(v_old, v_new, bump)
    if bump is None:
        lines.append(f"required bump: none ({v_old} -> {v_new})")
    else:
        need = minimum_version(v_old, bump)
        verdict = "ok" if ok else f"NOT enough: set api.version to {need} or higher"
        lines.append(f"required bump: {bump} ({v_old} -> at least {need}); spec says {v_new}: {verdict}")
    return lines, ok


def _quiet(line: str) -> None:
    """Reports nothing (the default of ``warn``: the pipeline passes its ``err``)."""


def refusals(out_dir: Path, outputs: list[PackageOutput], warn: Callable[[str], None] = _quiet) -> list[str]:
    """Why ``generate`` must not write: breaking changes against the recorded spec whose
    version was not bumped to a new major. Packages without a recorded spec pass; one
    whose recorded spec cannot be read is passed with a warning to ``warn``."""
    problems: list[str] = []
    for output in outputs:
        recorded = out_dir / output.package / SPEC_COPY
        if not recorded.is_file():
            continue
        try:
            old = load_text(str(recorded), recorded.read_text("utf-8"), examples=False)
        except (SpecError, OSError, UnicodeDecodeError) as exc:
            first = str(exc).splitlines()[0]
            warn(f"warning: {recorded}: cannot read the recorded spec ({first}); not checked for breaking changes")
            continue
        new = load_text(output.spec_file, output.files[SPEC_COPY], examples=False)  # checked when generated
        breaking = [c for c in diff(old, new) if c.kind == "breaking"]
        if breaking and not satisfies(old.spec.api.version, new.spec.api.version, "major"):
            need = minimum_version(old.spec.api.version, "major")
            lines = [f"{output.spec_file}: breaking change without a new major version"]
            lines += [f"    {c.text}" for c in breaking]
            lines.append(
                f"    fix: set api.version to {need} or higher (it is {new.spec.api.version}), or pass --allow-breaking"
            )
            problems.append("\n".join(lines))
    return problems
