"""What each generated module imports, where that depends on the spec: computed from
the model for the templates (``render_context`` passes it), so the model stays data.

``module_imports(api)[module][source]`` is the comma-separated list of names a module
takes from ``source`` (``from source import ...``); ``dispatch_imports`` and
``dispatch_envelope_imports`` and ``dispatch_core_imports`` are the names ``_dispatch``
takes from ``errors``, ``_envelope`` and the runtime's ``_core``. A generated module imports nothing it does not use
(tests/test_unused_imports.py).
"""

from __future__ import annotations

import re

from ..model.data import ApiModel, DetailClass


def _names(details: list[DetailClass], name: str) -> bool:
    """Whether a declared detail type names ``name`` (then its module must import it)."""
    return any(d.declared and re.search(rf"\b{re.escape(name)}\b", d.declared) for d in details)


def _pick(*names: tuple[str, bool]) -> str:
    return ", ".join(name for name, wanted in names if wanted)


def module_imports(api: ApiModel) -> dict[str, dict[str, str]]:
    """The names each generated module imports from a module, where they depend on
    the spec: ``[module][source]`` is the comma-separated list."""
    group = api.group_class is not None
    # The declared types of the detail properties errors.py writes: what they name must be imported.
    in_errors = list(api.detail_classes)
    return {
        "_base": {
            "typing": _pick(("TYPE_CHECKING", api.details is not None), ("Any", True), ("ClassVar", True)),
        },
        "errors": {
            "typing": _pick(
                ("TYPE_CHECKING", _names(in_errors, "models")),
                ("Any", group),
                ("ClassVar", True),
                ("Literal", any(e.code is not None or e.status is not None for e in api.errors)),
                ("Self", group),
                ("TypeVar", group),
                ("cast", group),
                ("overload", group),
            ),
            "._base": _pick((api.base_class, True)),
            "._core": _pick(
                ("HeadersLike", group),
                ("JSONValue", group or _names(in_errors, "JSONValue")),
                ("RateLimit", group),
            ),
            ".": _pick(("models", _names(in_errors, "models"))),  # under TYPE_CHECKING
            "._detail": _pick(("DetailParser", any(d.parser for d in in_errors))),
        },
        "_dispatch": {"typing": _pick(("Any", True), ("NamedTuple", bool(api.rules)))},
    }


def dispatch_imports(api: ApiModel) -> tuple[str, ...]:
    """The classes the dispatch module imports: every class its tables, rules and
    fallbacks name."""
    d = api.dispatch
    names = {"BadRequestError", "InternalServerError", "UnknownError"}
    names.update(cls for _, cls in d.category_by_status)
    names.update(cls for _, cls in (*d.by_status_code, *d.by_code, *d.by_status))
    names.update(cls for _, cls in (*d.by_sub_code, *d.by_type))
    names.update(rule.class_name for rule in api.rules)
    names.update(name for name in (d.unknown_code, d.no_code, d.unknown_status) if name is not None)
    if api.group_class:
        names.add(api.group_class)
    names.discard(api.base_class)
    return tuple(sorted(names))


def dispatch_envelope_imports(api: ApiModel) -> tuple[str, ...]:
    """The names ``_dispatch`` takes from ``_envelope``: the reader of each field a
    response can carry, and what dispatch coerces and reads in place with."""
    env = api.envelope
    reads = env.read_fields
    names: set[str] = set()
    names.update(f"read_{field}" for field in reads & {"code", "message", "status", "detail"})
    if "code" in reads:
        names.add("as_code")
    names.update(f"read_{field}" for field in reads & {"sub_code", "type"})
    if reads & {"sub_code", "type"}:
        names.add("as_key")
    if "request_id" in reads:
        names.add("read_request_id")
    if "retry_after" in reads:  # retry.after_paths
        names.add("read_retry_after")
    for expression in (env.items, env.data):  # read in place (no reader reads them)
        names.update(name for name in ("_EMPTY", "_NO_ITEMS") if name in (expression or ""))
    if env.flag:
        names.add("flag_says_error")
    if env.require:
        names.add("is_error_body")
    if env.code_prefix is not None and "message" in reads:
        names.add("as_code")
    return tuple(sorted(names))


def dispatch_core_imports(api: ApiModel) -> tuple[str, ...]:
    """The names ``_dispatch`` takes from the runtime's ``_core``: the coercions and
    header and URL helpers it uses."""
    reads = api.envelope.read_fields
    names = {"HeadersLike", "UrlLike", "as_status", "clean_headers", "url_text"}
    if reads & {"message", "request_id"}:
        names.add("as_text")
    if api.rules_read_path:
        names.add("url_path")
    if api.envelope.code_prefix is not None and "message" in reads:
        names.add("split_code")
    return tuple(sorted(names))
