"""A spec that passed every check (``validation.check``), as the later layers read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import naming, taxonomy
from .detail_schemas import DetailSchemas
from .diagnostics import Diagnostic
from .format import ErrorSpec, Spec
from .layout import Layout
from .paths import EnvelopePath


@dataclass(frozen=True)
class Group:
    """A group class (``groups:``): its parent (a group, else its category's class)."""

    class_name: str
    parent: str
    category: str | None  # None: a type group of several categories, under the base class
    description: str
    type: str | None = None  # the envelope.type value it is the class of


ENVELOPE_FIELDS = ("code", "message", "detail", "status", "request_id", "sub_code", "type")
"""Every envelope field; ``sub_code`` and ``type`` (issue 18 sections 2, 3) are read only where the spec sets them."""
OPTIONAL_FIELDS = frozenset({"sub_code", "type"})


@dataclass(frozen=True)
class CheckedSpec:
    """A spec that passed every check, with what the checks derived."""

    file: str
    spec: Spec
    sha256: str
    error_names: tuple[str, ...]  # per entry of spec.errors: its unique name
    class_names: tuple[str, ...]  # per entry of spec.errors: its class name
    envelope_paths: dict[str, tuple[EnvelopePath, ...]]
    items_path: EnvelopePath | None
    data_path: EnvelopePath | None
    flag_path: EnvelopePath | None
    layout: Layout  # where to_response() writes each field
    details: DetailSchemas | None = None  # the spec's JSON Schemas, checked
    source: str = ""  # the spec's text, exactly as read (its SHA-256 is ``sha256``)
    warnings: tuple[Diagnostic, ...] = ()  # what is probably wrong, but stops nothing (see --strict)
    groups: tuple[Group, ...] = ()  # the spec's group classes, parents first
    error_groups: tuple[str | None, ...] = ()  # per entry of spec.errors: the group its class sits under
    # What later layers build from this spec once and keep here (``model.build.build_model``
    # keeps the model: validation's checks, the renderer and the commands read the same one);
    # shared by the copies ``dataclasses.replace`` makes
    built: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # per entry of spec.errors: the index of its main code's entry (sub-code entries), else None
    main_entries: tuple[int | None, ...] = ()

    @property
    def package(self) -> str:
        return self.spec.api.package or f"{self.spec.api.name}_errors"

    @property
    def class_prefix(self) -> str:
        return self.spec.api.class_prefix or naming.pascal(self.spec.api.name)


def error_category(err: ErrorSpec) -> str:
    """The category of an entry: explicit, else derived from its status."""
    return err.category or taxonomy.category_for_status(err.status)
