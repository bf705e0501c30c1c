"""The intermediate model: everything a template needs, decided in Python.

Tree::

    ApiModel                      one generated package
      categories: CategoryClass   one per taxonomy entry (all of them: any status can arrive)
      errors: ErrorClass          one per catalogue entry, subclass of its category
      envelope: EnvelopeModel     compiled readers (Python expressions) and writers (steps)
      dispatch: DispatchModel     the lookup tables and fallbacks, as (key, class name) rows
      rules: RuleModel            ordered overrides
      details: DetailModels       the spec's JSON Schemas, for models.py (None without any)
      detail_classes: DetailClass what a class overrides of ``detail`` (parser, declared type)

Text from the spec is kept as plain ``str``; templates turn values into Python
literals with the ``py`` filter only, never by pasting text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from ..spec.layout import WriteSteps
from . import redaction
from .prefilter import required_literals

# The oldest orjson an `api.json_parser: orjson` package uses: older ones overflow the C
# stack on a deeply nested body and kill the process (CVE-2024-27454, fixed in 3.9.15).
ORJSON_MINIMUM = (3, 9, 15)

EVENT_EXPORTS = frozenset(
    {"Event", "EventParser", "aiter_aiohttp_events", "aiter_events", "aiter_httpx_events", "error_from_event"}
    | {"iter_events", "iter_httpx_events"}
)
"""The names of ``_events.py`` a package with ``events:`` exports."""

CLIENT_EXPORTS = frozenset(
    {
        "MAX_RETRY_AFTER",
        "RateLimit",
        "araise_for_httpx",
        "afrom_httpx",
        "from_aiohttp",
        "from_httpx",
        "from_requests",
        "from_urllib",
        "raise_for_aiohttp",
        "raise_for_httpx",
        "raise_for_requests",
        "should_retry",
        "wait_for",
    }
)
"""The names of ``_clients.py`` and ``_retry.py`` every package exports."""


Code: TypeAlias = "str | int"
"""A catalogue code: text, or an int where ``codes.type`` is integer (end to end: tables,
CODE, ErrorCode, CODES, ``err.code``)."""

CLASS_ATTRIBUTE_TYPES: dict[str, str] = {
    "CATEGORY": "str",
    "DEFAULT_MESSAGE": "str",
    "DESCRIPTION": "str",
    "CAUSES": "tuple[str, ...]",
    "FIXES": "tuple[str, ...]",
    "HINT": "str | None",
    "DOCS_URL": "str | None",
    "RETRYABLE": "bool",
    "DEPRECATED": "str | None",
    "SUB_CODE": "str | None",
    "TYPE": "str | None",
    "_DETAIL_PARSER": "DetailParser",
}
"""The declared type of each class attribute a subclass sets (as the base class declares it;
a detail parser as its class), so that every class constant is annotated (a typed library:
``pyright --verifytypes`` scores 100%)."""


@dataclass(frozen=True)
class CategoryClass:
    category: str
    class_name: str
    summary: str
    retryable: bool
    statuses: tuple[int, ...]


@dataclass(frozen=True)
class GroupClass:
    """A group the spec defines (``groups:``): a class over some code classes."""

    class_name: str
    parent: str  # a group listed before it, or the category class (the base class: see category)
    category: str | None  # None: a type group of several categories, under the base class
    description: str
    type: str | None = None  # the envelope.type value this group is the class of (TYPE)

    @property
    def doc(self) -> str:
        return self.description.strip() or f"Errors the API groups as {self.class_name}."


@dataclass(frozen=True)
class ErrorClass:
    name: str
    class_name: str
    parent: str  # the category class, or the group the spec lists it in
    category: str
    code: Code | None  # int where the catalogue's codes are integers (codes.type: integer)
    status: int | None
    message: str
    description: str
    causes: tuple[str, ...]
    fixes: tuple[str, ...]
    retryable: bool
    parent_retryable: bool
    docs_url: str | None
    deprecated: str | None
    example: object
    sub_code: str | None = None  # issue 18 section 2: the finer code under ``code`` (parent: the main code's class)
    class_name_given: bool = False  # the spec names the class (``class_name:``), not derived from the entry

    @property
    def hint(self) -> str | None:
        return "\n".join(self.fixes) or None

    @property
    def doc(self) -> str:
        """The class docstring: the description, else the message."""
        return (self.description or self.message).strip()

    @property
    def class_attributes(self) -> tuple[tuple[str, object], ...]:
        """The class attributes this class sets beyond CODE and STATUS, in order: the
        declaration type checkers read and the table the class is made from at runtime
        both come from here."""
        found: list[tuple[str, object]] = [("DEFAULT_MESSAGE", self.message)]
        if self.description:
            found.append(("DESCRIPTION", self.description))
        if self.causes:
            found.append(("CAUSES", self.causes))
        if self.fixes:
            found += [("FIXES", self.fixes), ("HINT", self.hint)]
        if self.docs_url:
            found.append(("DOCS_URL", self.docs_url))
        if self.retryable != self.parent_retryable:
            found.append(("RETRYABLE", self.retryable))
        if self.deprecated:
            found.append(("DEPRECATED", self.deprecated))
        if self.sub_code is not None:
            found.append(("SUB_CODE", self.sub_code))
        return tuple(found)

    @property
    def instance_annotations(self) -> tuple[tuple[str, str], ...]:
        """The instance attributes this class narrows: ``code`` is never None on a class
        with a CODE (it is the response's code, else CODE), ``status`` never None on one
        with a STATUS. Not to Literal types: a rule or a fallback may pick the class for
        another code, and a code may arrive with another status."""
        found: list[tuple[str, str]] = []
        if self.code is not None:
            found.append(("code", type(self.code).__name__))
        if self.status is not None:
            found.append(("status", "int"))
        return tuple(found)


@dataclass(frozen=True)
class Reader:
    """Reads one field: Python expressions tried in order, then a default."""

    field: str
    expressions: tuple[str, ...]
    default: str | int | None

    @property
    def inline(self) -> str | None:
        """The reader's one expression, where its value is the field's as it is (no default)."""
        if len(self.expressions) == 1 and self.default is None:
            return self.expressions[0]
        return None


@dataclass(frozen=True)
class EnvelopeModel:
    readers: tuple[Reader, ...]
    # to_response(): (field, steps) into each item / the body, (field, header name)
    # (see layout: a key, or (index, length) into a list padded to length)
    item_writers: tuple[tuple[str, WriteSteps], ...]
    body_writers: tuple[tuple[str, WriteSteps], ...]
    header_writers: tuple[tuple[str, str], ...]
    items: str | None  # expression reading the list of errors
    items_steps: WriteSteps | None
    data: str | None
    errors_on_success: bool
    flag: str | None  # expression reading the success flag
    flag_steps: WriteSteps | None
    flag_value: str | int | bool | None
    flag_test: str | None  # Python expression on ``value``: does the flag say error?
    # Every path each field is read from, in the order tried, as the spec writes them
    # (body paths of an ``items`` spec are inside each item, except request_id's)
    read_paths: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # issue 18 section 5: the separator after the code that opens the message (None: no prefix)
    code_prefix: str | None = None
    code_from_status: bool = False  # a response without a code gets its status as the code
    # issue 18 section 7: the discriminator a body must hold (envelope.require)
    require: str | None = None  # expression reading it
    require_steps: WriteSteps | None = None  # where to_response() writes it
    require_value: str | int | bool | None = None
    require_test: str | None = None  # Python expression on ``value``: is it an error body?

    @property
    def selects(self) -> bool:
        """Whether a reader has a select step ([*], [?key==value]): ``_envelope`` then has ``_first``."""
        return any("_first(" in e for r in self.readers for e in r.expressions)

    @property
    def marks(self) -> tuple[tuple[WriteSteps, str | int | bool | None], ...]:
        """(steps, value) to_response() writes last: the success flag's error value, then
        the value ``envelope.require`` asks for (each where the spec has it)."""
        marks = []
        if self.flag_steps is not None:
            marks.append((self.flag_steps, self.flag_value))
        if self.require_steps is not None:
            marks.append((self.require_steps, self.require_value))
        return tuple(marks)

    def reader(self, field: str) -> Reader:
        """The reader of ``field``."""
        return next(r for r in self.readers if r.field == field)

    @property
    def read_fields(self) -> frozenset[str]:
        """Fields a reader can find; the others are always None, so dispatch skips reading them."""
        return frozenset(r.field for r in self.readers if r.expressions or r.default is not None)

    @property
    def default_status(self) -> int:
        """The status to_response() uses for an error with neither status nor taxonomy status:
        200 where errors arrive inside a success (GraphQL), else 500."""
        return 200 if self.errors_on_success else 500


@dataclass(frozen=True)
class RuleModel:
    class_name: str
    statuses: tuple[int, ...]
    status_classes: tuple[int, ...]  # 4 for "4xx", 5 for "5xx"
    code: Code | None
    message: str | None
    methods: tuple[str, ...]
    path: str | None
    # issue 18 section 5: (lower-cased header name, regex searched in its value), each must hold
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def message_literals(self) -> tuple[str, ...] | None:
        """Lowercase words one of which every match of ``message`` holds (on ASCII
        text), so dispatch can skip a search that cannot match; None: always search."""
        return required_literals(self.message) if self.message is not None else None


@dataclass(frozen=True)
class DispatchModel:
    by_status_code: tuple[tuple[tuple[int, Code], str], ...]
    by_code: tuple[tuple[Code, str], ...]
    by_status: tuple[tuple[int, str], ...]
    category_by_status: tuple[tuple[int, str], ...]
    known_statuses: tuple[int, ...]
    unknown_code: str | None  # None: the category class of the status
    no_code: str | None
    unknown_status: str | None
    normalize: str | None
    integer_codes: bool
    # issue 18 section 2: (code, sub_code) -> class, refining the main code's class
    by_sub_code: tuple[tuple[tuple[Code, str], str], ...] = ()
    # issue 18 section 3: type -> group class, for a code no entry has
    by_type: tuple[tuple[str, str], ...] = ()
    sub_codes: bool = False  # the envelope reads a sub-code (every error has sub_code)
    types: bool = False  # the envelope reads a type

    @property
    def code_type(self) -> str:
        """The type of a code at runtime: ``int`` where the catalogue's codes are integers."""
        return "int" if self.integer_codes else "str"

    @property
    def text_codes_as_is(self) -> bool:
        """Whether a code the response sends as text is used unchanged (no normalisation)."""
        return self.normalize is None and not self.integer_codes


@dataclass(frozen=True)
class DetailModels:
    """The spec's JSON Schemas, as datamodel-code-generator gets them for models.py."""

    style: str  # dataclasses | pydantic | typeddict
    schema_json: str  # one JSON Schema document, a definition per model under $defs
    names: tuple[str, ...]  # every model models.py must define


@dataclass(frozen=True)
class DetailClass:
    """What one class changes about ``detail`` relative to its parent class."""

    class_name: str
    parser: str | None  # the model its detail is now checked against
    declared: str | None  # the new declared type of the ``detail`` property

    @property
    def doc(self) -> str:
        """The docstring of the ``detail`` override."""
        if self.declared == "JSONValue":
            return "The detail as the response carried it: no detail schema covers this class."
        return "The detail as its model; None if absent or not matching (see detail_error)."


@dataclass(frozen=True)
class RetryModel:
    """Where a response says when to retry; header names lower-cased."""

    after_headers: tuple[str, ...] = ("retry-after-ms", "retry-after")
    limit_header: str | None = None
    remaining_header: str | None = None
    reset_header: str | None = None
    max_retry_after: float = 60.0
    should_retry_header: str = "x-should-retry"  # its true/false overrides retryable
    after_paths: tuple[str, ...] = ()  # body paths of the delay, as the spec writes them (after the headers)

    @property
    def watched_headers(self) -> tuple[str, ...]:
        """Every header the retry advice reads, sorted."""
        named = (self.limit_header, self.remaining_header, self.reset_header)
        return tuple(sorted({*self.after_headers, *(h for h in named if h), self.should_retry_header}))


@dataclass(frozen=True)
class ApiModel:
    name: str
    package: str
    version: str
    title: str
    description: str
    docs_url: str | None
    spec_file: str
    spec_sha256: str
    generator_version: str
    base_class: str
    group_class: str | None
    categories: tuple[CategoryClass, ...]
    errors: tuple[ErrorClass, ...]
    codes: tuple[Code, ...]
    envelope: EnvelopeModel
    dispatch: DispatchModel
    rules: tuple[RuleModel, ...]
    secret_headers: tuple[str, ...] = ()  # lower-case header names redacted at runtime
    envelope_headers: tuple[str, ...] = ()  # lower-case header names the envelope's paths read
    details: DetailModels | None = None
    detail_classes: tuple[DetailClass, ...] = ()
    detail_type: str = "JSONValue"  # the declared type of the base class's ``detail``
    detail_parser: str | None = None  # the model the base class checks details against
    groups: tuple[GroupClass, ...] = ()  # the spec's group classes, parents first

    def attribute_type(self, name: str) -> str:
        """The annotation of a class attribute a subclass sets (see CLASS_ATTRIBUTE_TYPES)."""
        return f"ClassVar[{CLASS_ATTRIBUTE_TYPES[name]}]"

    def type_of(self, class_name: str) -> str | None:
        """The TYPE of a class: its nearest group's with one (issue 18 section 3), else None."""
        parents = {e.class_name: e.parent for e in self.errors} | {g.class_name: g.parent for g in self.groups}
        types = {g.class_name: g.type for g in self.groups}
        name: str | None = class_name
        while name is not None:
            if types.get(name) is not None:
                return types[name]
            name = parents.get(name)
        return None

    def detail_of(self, class_name: str) -> DetailClass | None:
        """What a class changes about ``detail``, if anything."""
        return next((d for d in self.detail_classes if d.class_name == class_name), None)

    retry: RetryModel = RetryModel()
    license: str = "MIT"  # SPDX expression (api.license)
    json_parser: str = "stdlib"  # stdlib | orjson (api.json_parser)
    body_format: str = "json"  # json | xml (envelope.format)

    @property
    def xml_body(self) -> bool:
        """Whether error bodies are XML (``envelope.format: xml``): the runtime's ``_xml``
        parses them and to_response() writes them, instead of the runtime's ``_json``."""
        return self.body_format == "xml"

    error_events: tuple[str, ...] = ()  # issue 18 section 4: event names that carry an error (none: no _events)
    # What OpenAPI output carries in its ``x-errorsdk`` extension, as JSON text: the spec's
    # envelope, codes, rules and fallbacks in the spec's own notation (see rendering/openapi.py)
    carried: str = "{}"
    event_data_at: tuple[str, ...] = ()  # events.data_at: the keys of a body at which an error event's data sits
    event_when: tuple[str, ...] = ()  # events.when: the keys of event data whose value marks an error event

    @property
    def errors_in_success(self) -> bool:
        """Whether a 2xx response can carry errors (so client hooks read its body)."""
        return self.envelope.errors_on_success or self.envelope.flag is not None

    @property
    def read_headers(self) -> tuple[str, ...]:
        """Headers the package reads (envelope paths, retry advice), sorted: exempt from
        the secret markers (not from ``secret_headers``), so that what they carry is kept."""
        return tuple(sorted({*self.envelope_headers, *self.retry.watched_headers, *self.rule_headers}))

    @property
    def squashed_secret_headers(self) -> tuple[str, ...]:
        """``secret_headers`` as the runtime compares names (``redaction.squash``)."""
        return redaction.squashed_secret_headers(self.secret_headers)

    @property
    def rules_prefilter(self) -> bool:
        """Whether a rule's message pattern has a literal prefilter (see RuleModel)."""
        return any(r.message_literals is not None for r in self.rules)

    @property
    def classify_key(self) -> tuple[str, ...]:
        """What ``classify`` memoises its answer by: status and code, and of the message
        and the request what some rule looks at."""
        key = ["status", "code"]
        if any(r.message is not None for r in self.rules):
            key.append("message")
        if any(r.methods for r in self.rules):
            key.append("method")
        if self.rules_read_path:
            key.append("url")
        if self.rule_headers:
            key.append("tested")
        if self.dispatch.sub_codes:
            key.append("sub_code")
        if self.dispatch.types:
            key.append("error_type")
        return tuple(key)

    @property
    def rule_headers(self) -> tuple[str, ...]:
        """The response headers some rule tests (lower case, sorted): classify reads them."""
        return tuple(sorted({name for r in self.rules for name, _ in r.headers}))

    @property
    def rules_read_path(self) -> bool:
        """Whether a rule looks at the request's URL path (so dispatch splits the URL)."""
        return any(r.path is not None for r in self.rules)

    @property
    def uses_orjson(self) -> bool:
        """Whether orjson parses bodies first (``api.json_parser: orjson``)."""
        return self.json_parser == "orjson"

    @property
    def orjson_minimum(self) -> tuple[int, ...]:
        """The oldest orjson the package parses with (older ones: json parses alone)."""
        return ORJSON_MINIMUM

    @property
    def distribution(self) -> str:
        return self.package.replace("_", "-")

    @property
    def requirements(self) -> tuple[tuple[str, bool], ...]:
        """What the package imports beyond the standard library: (requirement, whether
        it works without it). orjson is optional: json parses where it is missing."""
        needed: list[tuple[str, bool]] = []
        if self.uses_orjson:
            needed.append(("orjson>=" + ".".join(map(str, ORJSON_MINIMUM)), True))  # `api.json_parser: orjson`
        if self.details is not None and self.details.style == "pydantic":
            needed.append(("pydantic>=2.6", False))  # the models of `api.models: pydantic`
        return tuple(needed)

    @property
    def dependencies(self) -> tuple[str, ...]:
        """The distribution's requirements: only what the package imports."""
        return tuple(requirement for requirement, _ in self.requirements)

    @property
    def classifiers(self) -> tuple[str, ...]:
        """Trove classifiers of the distribution (the license is in ``license``, PEP 639)."""
        return (
            "Intended Audience :: Developers",
            "Operating System :: OS Independent",
            "Programming Language :: Python :: 3",
            "Programming Language :: Python :: 3 :: Only",
            "Programming Language :: Python :: 3.11",
            "Programming Language :: Python :: 3.12",
            "Programming Language :: Python :: 3.13",
            "Topic :: Software Development :: Libraries",
            "Typing :: Typed",
        )

    @property
    def error_exports(self) -> tuple[str, ...]:
        """The public names of ``errors.py``, sorted."""
        names = {"ERROR_CLASSES"}
        names.update(c.class_name for c in self.categories)
        names.update(g.class_name for g in self.groups)
        names.update(e.class_name for e in self.errors)
        if self.group_class:
            names.add(self.group_class)
        return tuple(sorted(names))

    @property
    def exported(self) -> tuple[str, ...]:
        """Every public name of the package, sorted (the ``__all__``)."""
        names = set(self.error_exports)
        names.update(
            {self.base_class, "CODES", "ErrorCode", "HeadersLike", "JSONValue"}
            | {"classify", "from_response", "raise_for_response", "openapi_responses"}
            | CLIENT_EXPORTS
        )
        if self.error_events:
            names.update(EVENT_EXPORTS)
        return tuple(sorted(names))

    @property
    def carries_data(self) -> bool:
        """Whether a response can carry partial data beside its errors (``envelope.data``):
        then every error has ``data``."""
        return self.envelope.data is not None

    @property
    def group_needs_failure(self) -> bool:
        """Whether a body's list of errors makes a group only on a failed status
        (not where errors arrive inside a success, as in GraphQL)."""
        return not self.envelope.errors_on_success

    @property
    def code_literal(self) -> str:
        """The ``ErrorCode`` type: a Literal of every code (``Never`` without codes)."""
        if not self.codes:
            return "Never"
        return "Literal[" + ", ".join(repr(c) for c in self.codes) + "]"

    @property
    def package_doc(self) -> str:
        """The package docstring: what it is, and the class hierarchy as a tree."""
        lines = [f"Typed errors of the {self.title}.", "", *self.hierarchy]
        lines += ["", "Generated by errorsdk: edit the spec, not this package."]
        return "\n".join(lines)

    @property
    def errors_doc(self) -> str:
        """The docstring of ``errors.py``: what it holds, and the class hierarchy."""
        lines = [f"Every {self.title} error class: one per taxonomy category, one per code.", ""]
        lines += self.hierarchy
        return "\n".join(lines)

    @property
    def hierarchy(self) -> list[str]:
        """The class hierarchy as an indented tree (reST literal block), code classes
        under their category with their status and code."""
        lines = ["Hierarchy::", "", f"    {self.base_class}"]
        children: dict[str, list[ErrorClass]] = {}
        for err in self.errors:
            children.setdefault(err.parent, []).append(err)
        subgroups: dict[str, list[GroupClass]] = {}
        for group in self.groups:
            subgroups.setdefault(group.parent, []).append(group)

        def below(parent: str, indent: str) -> None:
            for group in subgroups.get(parent, []):
                lines.append(f"{indent}{group.class_name}")
                below(group.class_name, indent + "    ")
            for err in children.get(parent, []):
                key = " ".join(str(x) for x in (err.status, err.code, err.sub_code) if x is not None)
                lines.append(f"{indent}{err.class_name}" + (f"  ({key})" if key else ""))
                below(err.class_name, indent + "    ")  # its sub-codes' classes

        for cat in self.categories:
            lines.append(f"        {cat.class_name}")
            below(cat.class_name, "            ")
        below(self.base_class, "        ")  # type groups of several categories
        if self.group_class:
            lines.append(f"        {self.group_class}  (several errors in one response)")
        return lines
