"""What a generated package's ``from_response`` returns, computed in Python from the model.

``errorsdk validate`` dispatches every catalogue example with this, without
generating or importing the package: it reads the same model (``ApiModel``: the
tables, rules and fallbacks) and the same parsed envelope paths the templates
compile, and follows the steps of the generated ``_dispatch.py`` and
``_envelope.py`` one by one. ``tests/test_reference_dispatch.py`` holds the two
equal over random responses on every bundled and case spec; a change to the
dispatch templates needs the same change here.

Only the outcome is computed: the class (by name) of the error, or of each member
of a group, with the code, message and raw detail each was read with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from ..model.data import ApiModel, RuleModel
from . import paths, taxonomy
from .checked import ENVELOPE_FIELDS, CheckedSpec
from .paths import EnvelopePath, Select, Step

_MATCH_LIMIT = 10_000  # characters of a message a rule's pattern looks at (as in _dispatch.py)
_LOOKUP = (LookupError, TypeError, AttributeError)  # what a failed path read raises, read as None
_EMPTY: dict[str, Any] = {}


@dataclass(frozen=True)
class Dispatched:
    """One error as dispatch built it."""

    class_name: str
    status: int | None
    code: str | int | None
    message: str | None  # as read from the response (None: the class's default)
    detail: Any  # the raw detail read from the response (None: none)
    item: Any  # the JSON value this error was read from (the body, or its item in a group)
    sub_code: str | None = None  # as read from the response (envelope.sub_code)
    kind: str | None = None  # the type as read from the response (envelope.type)


@dataclass(frozen=True)
class Outcome:
    """What ``from_response`` returned: None, one error, or a group of errors."""

    group: str | None  # the group class's name, when the response held a list of errors
    errors: tuple[Dispatched, ...]  # the error, or the group's members; () for None

    @property
    def class_name(self) -> str | None:
        """The class of the returned object (the group's, for a group)."""
        if self.group is not None:
            return self.group
        return self.errors[0].class_name if self.errors else None


def walk(steps: tuple[Step, ...], doc: Any) -> Any:
    """The operations of ``EnvelopePath.expression()``, one by one; raises as it does."""
    value = doc
    for index, step in enumerate(steps):
        if isinstance(step, Select):
            return _first(value, step, steps[index + 1 :])
        if index:
            value = value or _EMPTY
        value = value.get(step) if isinstance(step, str) else value[step]
    return value


def _first(items: Any, select: Select, rest: tuple[Step, ...]) -> Any:
    """A select step's value (as the generated ``_first``): the rest of the path read
    from the first element that passes the test and where the rest finds a value."""
    for item in items if isinstance(items, list) else ():
        if not select.test(item):
            continue
        try:
            value = walk(rest, item)
        except _LOOKUP:
            continue
        if value is not None:
            return value
    return None


def read(path: EnvelopePath, doc: Any, headers: dict[str, str]) -> Any:
    """The value at ``path``, None where the path does not fit (as the generated readers)."""
    try:
        return headers.get(path.header) if path.header is not None else walk(path.steps, doc)
    except _LOOKUP:
        return None


def holds(path: EnvelopePath, doc: Any) -> bool:
    """Whether ``doc`` has a value (null included) at the body path ``path``."""
    return _holds(path.steps, doc)


def _holds(steps: tuple[Step, ...], doc: Any) -> bool:
    value = doc
    for index, step in enumerate(steps):
        if isinstance(step, Select):
            rest = steps[index + 1 :]
            return isinstance(value, list) and any(step.test(item) and _holds(rest, item) for item in value)
        if isinstance(step, str):
            if not isinstance(value, dict) or step not in value:
                return False
            value = value[step]
        else:
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return False
            value = value[step]
    return True


_INTEGER = re.compile(r"[-+]?[0-9]+")
_NORMALIZE_LIMIT = 1000  # the generated package normalises no longer code


def as_code(value: Any, normalize: re.Pattern[str] | None, integer_codes: bool) -> str | int | None:
    """The code as the generated ``as_code`` reads it (an int for integer codes)."""
    if integer_codes:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float):
            return int(value) if value.is_integer() else None
        if not isinstance(value, str):
            return None
        code = value
        if normalize is not None:
            found = normalize.search(code)
            if found is not None:
                code = found.group(1) if normalize.groups else found.group(0)
        code = code.strip()
        if _INTEGER.fullmatch(code) is None:
            return None
        try:
            return int(code)
        except ValueError:
            return None
    if isinstance(value, str):
        code = value
    elif isinstance(value, int) and not isinstance(value, bool):
        code = str(value)
    elif isinstance(value, float) and value.is_integer():
        code = str(int(value))
    else:
        return None
    if normalize is not None and len(code) <= _NORMALIZE_LIMIT:
        found = normalize.search(code)
        if found is not None:
            code = found.group(1) if normalize.groups else found.group(0)
    return code


def split_code(message: str | None, separator: str) -> tuple[str | None, str | None]:
    """The generated ``split_code``: the code that opens a message, and the rest."""
    if message is None:
        return None, None
    code, found, text = message.partition(separator)
    if not found:
        return message.strip() or None, message
    return code.strip() or None, text.strip()


def as_key(value: Any) -> str | None:
    """A sub-code or a type as text (the generated as_key)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    try:
        return json.dumps(value)
    except Exception:  # noqa: BLE001 - as the generated as_text
        return None


def as_status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) == 3:
        value = int(value)
    if isinstance(value, int) and 100 <= value <= 599:
        return value
    return None


def _headers_hold(rule: RuleModel, headers: dict[str, str] | None) -> bool:
    """Whether every header condition of ``rule`` holds (the generated ``_rule_error``)."""
    for name, pattern in rule.headers:
        value = (headers or {}).get(name)
        if value is None or not re.search(pattern, value[:_MATCH_LIMIT]):
            return False
    return True


class Reference:
    """The dispatch of one API, evaluated on its model."""

    def __init__(self, checked: CheckedSpec, api: ApiModel) -> None:
        self.checked = checked
        self.api = api
        self.paths = checked.envelope_paths
        env = checked.spec.envelope
        self.defaults: dict[str, str | int | None] = {
            name: (field.default if (field := getattr(env, name)) is not None else None) for name in ENVELOPE_FIELDS
        }
        d = api.dispatch
        self.by_status_code = dict(d.by_status_code)
        self.by_code = dict(d.by_code)
        self.by_status = dict(d.by_status)
        self.category_by_status = dict(d.category_by_status)
        self.known = frozenset(d.known_statuses)
        self.normalize = re.compile(d.normalize) if d.normalize else None
        self.by_sub_code = dict(d.by_sub_code)
        self.by_type = dict(d.by_type)
        # class -> its parent class (issubclass, for a sub-code's refinement)
        self.parents = {e.class_name: e.parent for e in api.errors} | {g.class_name: g.parent for g in api.groups}
        self.parents.update({c.class_name: api.base_class for c in api.categories})

    def refined(self, name: str, code: str | int | None, sub_code: str | None) -> str:
        """``name``, or the class of ``(code, sub_code)`` where that is a subclass of it."""
        if sub_code is None or code is None:
            return name
        finer = self.by_sub_code.get((code, sub_code))
        return finer if finer is not None and self.is_subclass(finer, name) else name

    def is_subclass(self, name: str, of: str) -> bool:
        """``issubclass`` on the classes' names."""
        while name != of and name in self.parents:
            name = self.parents[name]
        return name == of

    @cached_property
    def _rules(self) -> tuple[tuple[RuleModel, re.Pattern[str] | None, re.Pattern[str] | None], ...]:
        return tuple(
            (
                r,
                re.compile(r.message) if r.message is not None else None,
                re.compile(r.path) if r.path is not None else None,
            )
            for r in self.api.rules
        )

    def field(self, name: str, doc: Any, headers: dict[str, str]) -> Any:
        """``read_<name>``: the first path with a value, else the default (when there is a document)."""
        for path in self.paths[name]:
            value = read(path, doc, headers)
            if value is not None:
                return value
        default = self.defaults[name]
        return default if default is not None and doc is not None else None

    def rule_index(
        self,
        status: int | None,
        code: str | int | None,
        message: str | None,
        method: str | None,
        url: str | None,
        assume: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> int | None:
        """The index of the first rule that holds. ``assume``: the index of a rule whose
        request conditions (method, URL path) are taken to hold, whatever the request."""
        path = urlsplit(url).path if url else None
        verb = method.upper() if method else None
        for index, (rule, pattern, path_pattern) in enumerate(self._rules):
            if rule.statuses or rule.status_classes:
                if status is None or (status not in rule.statuses and status // 100 not in rule.status_classes):
                    continue
            if rule.code is not None and code != rule.code:
                continue
            if pattern is not None and (message is None or not pattern.search(message[:_MATCH_LIMIT])):
                continue
            if index == assume:
                return index
            if rule.methods and verb not in rule.methods:
                continue
            if path_pattern is not None and (path is None or not path_pattern.search(path)):
                continue
            if not _headers_hold(rule, headers):
                continue
            return index
        return None

    def rule_error(
        self,
        status: int | None,
        code: str | int | None,
        message: str | None,
        method: str | None,
        url: str | None,
        assume: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> str | None:
        """The class of the first rule that holds (see ``rule_index``)."""
        index = self.rule_index(status, code, message, method, url, assume, headers) if self.api.rules else None
        return None if index is None else self.api.rules[index].class_name

    def lookup(
        self,
        status: int | None,
        code: str | int | None,
        sub_code: str | None = None,
        error_type: str | None = None,
    ) -> tuple[str | None, str]:
        """What the tables of ``classify`` give when no rule holds: the class (None: the
        status's category class) and the step that gave it: ``"status_code"``, ``"code"``,
        ``"sub_code"`` (a code's class refined by its sub-code), ``"type"``, ``"status"``
        (an entry, or ``fallbacks.status``), else the fallback's name (``"unknown_code"``,
        ``"no_code"``, ``"unknown_status"``). The one replay of the tables: ``classify``,
        ``round_trip`` and ``recording_check`` read it."""
        if code is not None:
            name = self.by_status_code.get((status, code)) if status is not None else None
            step = "status_code"
            if name is None:
                name, step = self.by_code.get(code), "code"
            if name is not None:
                finer = self.refined(name, code, sub_code)
                return finer, step if finer == name else "sub_code"
        if error_type is not None:
            name = self.by_type.get(error_type)
            if name is not None:
                return name, "type"
        if status is not None:
            name = self.by_status.get(status)
            if name is not None:
                return name, "status"
        d = self.api.dispatch
        if code is not None:
            return d.unknown_code, "unknown_code"
        if status in self.known:
            return d.no_code, "no_code"
        return d.unknown_status, "unknown_status"

    def category_class(self, status: int | None) -> str:
        if status is None:
            return taxonomy.BY_NAME["unknown"].class_name
        found = self.category_by_status.get(status)
        if found is not None:
            return found
        if 400 <= status < 500:
            return taxonomy.BY_NAME["bad_request"].class_name
        if 500 <= status < 600:
            return taxonomy.BY_NAME["server"].class_name
        return taxonomy.BY_NAME["unknown"].class_name

    def classify(
        self,
        status: int | None,
        code: str | int | None,
        message: str | None = None,
        method: str | None = None,
        url: str | None = None,
        assume: int | None = None,
        headers: dict[str, str] | None = None,
        sub_code: str | None = None,
        error_type: str | None = None,
    ) -> str:
        """The class name ``classify()`` of ``_dispatch.py`` returns."""
        name = self.rule_error(status, code, message, method, url, assume, headers)
        if name is not None:
            return self.refined(name, code, sub_code)
        name = self.lookup(status, code, sub_code, error_type)[0]
        return self.category_class(status) if name is None else name

    def one(
        self,
        status: int | None,
        doc: Any,
        headers: dict[str, str],
        method: str | None,
        url: str | None,
        assume: int | None = None,
    ) -> Dispatched:
        """``_one``: one error read from ``doc``."""
        code = as_code(self.field("code", doc, headers), self.normalize, self.api.dispatch.integer_codes)
        message = self.field("message", doc, headers)
        if message is not None and type(message) is not str:
            message = as_text(message)
        prefix = self.checked.spec.envelope.code_prefix
        if prefix is not None:
            code, message = split_code(message, prefix)
            code = as_code(code, self.normalize, self.api.dispatch.integer_codes)
        if status is None or status < 400:
            in_body = as_status(self.field("status", doc, headers))
            if in_body is not None:
                status = in_body
        if code is None and status is not None and self.checked.spec.envelope.code_from_status:
            code = status if self.api.dispatch.integer_codes else str(status)
        sub_code = self.field("sub_code", doc, headers)
        if sub_code is not None and type(sub_code) is not str:
            sub_code = as_key(sub_code)
        error_type = self.field("type", doc, headers)
        if error_type is not None and type(error_type) is not str:
            error_type = as_key(error_type)
        name = self.classify(status, code, message, method, url, assume, headers, sub_code, error_type)
        return Dispatched(name, status, code, message, self.field("detail", doc, headers), doc, sub_code, error_type)

    def flag_says_error(self, doc: Any) -> bool:
        flag = self.checked.flag_path
        if flag is None:
            return False
        try:
            value = walk(flag.steps, doc)
        except _LOOKUP:
            return False
        want = self.api.envelope.flag_value
        if want is None or isinstance(want, bool):
            return value is want
        return type(value) is type(want) and bool(value == want)

    def from_response(
        self,
        status: int,
        doc: Any,
        headers: dict[str, str] | None = None,
        method: str | None = None,
        url: str | None = None,
        assume: int | None = None,
    ) -> Outcome:
        """What ``from_response(status, body)`` returns for a body that parses to ``doc``
        (None when it does not parse) and lower-cased ``headers``."""
        cleaned = headers or {}
        failed = status >= 400
        required = self.checked.spec.envelope.require
        if required is not None and doc is not None:
            try:
                value = walk(paths.parse(required.path).steps, doc)
            except _LOOKUP:
                value = None
            want = required.equals
            holds = value is want if isinstance(want, bool) else type(value) is type(want) and value == want
            if not holds:
                doc = None  # not an error body: the status decides
        if not failed and not self.api.errors_in_success:
            return Outcome(None, ())
        if self.checked.items_path is not None:
            found = read(self.checked.items_path, doc, cleaned)
            if self.api.xml_body and isinstance(found, dict):  # one XML element of the errors' name
                found = [found]
            items = [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []
            if items and (failed or not self.api.group_needs_failure):
                members = tuple(self.one(status, item, cleaned, method, url, assume) for item in items)
                if len(members) == 1:  # one error is the error itself, not a group of one
                    return Outcome(None, members)
                return Outcome(self.api.group_class, members)
        if self.checked.flag_path is not None:
            if not failed and not self.flag_says_error(doc):
                return Outcome(None, ())
        elif self.api.errors_in_success and not failed:
            return Outcome(None, ())
        return Outcome(None, (self.one(status, doc, cleaned, method, url, assume),))


def parsed_body(example: Any, api: ApiModel | None = None) -> Any:
    """The document the generated ``parse_body`` reads from ``json.dumps(example)``:
    an object or an array (any other JSON value is not a document: None), as the API's
    parser reads it (orjson, where the spec asks for it and it is installed: integers
    beyond 64 bits become floats)."""
    if not isinstance(example, (dict, list)):
        return None
    try:
        text = json.dumps(example, allow_nan=False)
    except (TypeError, ValueError):  # not plain JSON (a YAML date, NaN): validation reports it
        return None
    loads = _orjson_loads(api.orjson_minimum) if api is not None and api.uses_orjson else None
    if loads is not None:
        try:
            return loads(text)
        except ValueError:
            pass
    return json.loads(text)


def _orjson_loads(minimum: tuple[int, ...]) -> Callable[[str], Any] | None:
    """orjson's parser when installed and at least ``minimum`` (as the generated ``_orjson_loads``)."""
    try:
        orjson = import_module("orjson")
        version = tuple(int(part) for part in orjson.__version__.split(".")[:3])
        loads: Callable[[str], Any] = orjson.loads
    except (ImportError, AttributeError, ValueError):
        return None
    return loads if version >= minimum else None
