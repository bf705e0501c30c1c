"""Check a loaded spec: shape (pydantic) and the rules that span fields.

Every problem becomes a Diagnostic with the file, line and column it comes from;
all of them are reported together.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
from collections import Counter
from pathlib import Path as FsPath
from typing import Any

import pydantic

from ..output.write import MAX_PACKAGE_NAME
from . import detail_schemas, groups, layout, naming, paths, regex_safety, round_trip, taxonomy
from .checked import ENVELOPE_FIELDS, CheckedSpec
from .checking import Checker
from .diagnostics import Diagnostic, SpecError
from .format import ErrorSpec, Spec
from .layout import Layout
from .loader import Document, Loc, load_document, read_spec

_STATUS_CLASS = re.compile(r"^[245]xx$")
_METHOD = re.compile(r"^[A-Z]+$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_URL_HINT = "write the full address, starting with https://"


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for model in pydantic.BaseModel.__subclasses__():
        for sub in [model, *model.__subclasses__()]:
            if sub.__module__ == Spec.__module__:
                names.update(sub.model_fields)
    return names


def _data_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """Pydantic's loc without the union-member labels it inserts."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
            out.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            out.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and part.isidentifier():
            out.append(part)  # a missing or unknown key
            current = None
    return tuple(out)


def _quote_hint(value: Any) -> str:
    if isinstance(value, (int, float, bool)) or value.__class__.__name__ in ("date", "datetime"):
        return "quote the value: YAML reads 1.0, yes, 2024-01-01 and the like as non-strings"
    return ""


_TYPE_HINTS = {
    "int_type": "write a whole number, without quotes",
    "bool_type": "write true or false",
    "list_type": "write a list: [a, b], or one '- item' per line",
    "dict_type": "write a mapping of keys to values",
    "literal_error": "use one of the values the message names",
}


def _type_hint(kind: str, value: Any) -> str:
    if kind == "string_type" or kind not in _TYPE_HINTS:
        return _quote_hint(value)
    return _TYPE_HINTS[kind]


_PATTERN_HINTS = {
    "name": "use lowercase letters, digits and underscores, starting with a letter (e.g. flux)",
    "package": "use a Python package name: lowercase letters, digits and underscores",
    "class_prefix": "use a PascalCase identifier such as Flux",
    "version": "use a semantic version such as '1.0.0' (quoted)",
    "after_headers": "use HTTP header names such as retry-after (no spaces or colons)",
    "limit": "use an HTTP header name such as x-ratelimit-limit",
    "remaining": "use an HTTP header name such as x-ratelimit-remaining",
    "reset": "use an HTTP header name such as x-ratelimit-reset",
}


def _shape_problems(doc: Document, exc: pydantic.ValidationError) -> list[Diagnostic]:
    known = sorted(_all_field_names())
    seen: set[Loc] = set()
    problems: list[Diagnostic] = []
    for err in exc.errors():
        loc = _data_loc(tuple(err["loc"]), doc.data)
        if loc in seen:
            continue
        seen.add(loc)
        where = ".".join(str(p) for p in loc) or "the spec"
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it (see specs/README.md)"
            problems.append(doc.diagnostic(loc, f"unknown key '{key}'", hint))
        elif kind == "missing":
            problems.append(doc.diagnostic(loc[:-1], f"missing required key '{loc[-1]}'", f"add '{loc[-1]}:'"))
        elif kind == "string_pattern_mismatch":
            key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
            hint = _PATTERN_HINTS.get(key, "")
            problems.append(doc.diagnostic(loc, f"{where}: {err['input']!r} is not allowed", hint))
        elif kind == "greater_than":
            limit = err.get("ctx", {}).get("gt")
            problems.append(
                doc.diagnostic(
                    loc, f"{where}: must be greater than {limit} (got {err['input']!r})", "use a positive number"
                )
            )
        elif kind == "literal_error" and loc and loc[-1] == "category":
            close = difflib.get_close_matches(str(err["input"]), taxonomy.CATEGORY_NAMES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(taxonomy.CATEGORY_NAMES)
            problems.append(doc.diagnostic(loc, f"{where}: unknown category {err['input']!r}", hint))
        else:
            message = err["msg"].replace("Input should be", "should be").replace("Value error, ", "")
            problems.append(
                doc.diagnostic(loc, f"{where}: {message} (got {err['input']!r})"[:300], _type_hint(kind, err["input"]))
            )
    return problems


_XML_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*"
_XML_STEP = re.compile(f"{_XML_NAME}(?:@{_XML_NAME})?")  # an element, or an attribute of it (Error@code)


class _Checker(Checker):
    def path(self, loc: Loc, text: str, *, allow_header: bool = True) -> paths.EnvelopePath | None:
        try:
            parsed = paths.parse(text)
        except paths.PathError as exc:
            self.problem(
                loc, f"invalid path: {exc} (column {exc.column} of the path)", "see 'Paths' in specs/README.md"
            )
            return None
        if parsed.header is not None and not allow_header:
            self.problem(loc, f"{text!r}: a header cannot hold this; use a body path")
            return None
        return parsed

    def no_select(self, loc: Loc, path: paths.EnvelopePath | None, what: str) -> paths.EnvelopePath | None:
        """``path``, or None and a problem where it has a select step (``[*]``, ``[?key==value]``):
        these are read and written in place at a fixed position, which a select step has not."""
        if path is None or not path.selects:
            return path
        self.problem(
            loc,
            f"{path.text!r}: {what} cannot be read through a select step ([*] or [?key==value]): "
            "to_response() writes it at a fixed place",
            "use keys and list indices here (select steps are for code, message, detail, status and request_id)",
        )
        return None

    def path_loc(self, name: str, index: int) -> Loc:
        """Where path ``index`` of envelope field ``name`` is written (also items, error_flag)."""
        if name == "items":
            return ("envelope", "items")
        if name == "flag":
            return ("envelope", "error_flag", "path")
        if name == "retry_after":
            return ("retry", "after_paths", index)
        raw = self.doc.data["envelope"][name]
        if isinstance(raw, dict):
            return (
                ("envelope", name, "path", index) if isinstance(raw.get("path"), list) else ("envelope", name, "path")
            )
        return ("envelope", name, index) if isinstance(raw, list) else ("envelope", name)

    def layout(
        self,
        envelope: dict[str, tuple[paths.EnvelopePath, ...]],
        items: paths.EnvelopePath | None,
        flag: paths.EnvelopePath | None,
    ) -> Layout:
        """Where to_response() writes each field; a problem for each that would not read back."""
        codeless = any(err.code is None for err in self.spec.errors)
        coded = next((i for i, err in enumerate(self.spec.errors) if err.code is not None), None)
        if coded is not None and not envelope["code"] and self.spec.envelope.code_prefix is None:
            self.problem(
                ("errors", coded, "code"),
                "no response can carry this code: the envelope has no 'code' path",
                "add envelope.code (where the API sends its codes), or remove the codes",
            )
        result, conflicts = layout.plan(envelope, items, flag, codeless=codeless)
        for conflict in conflicts:
            self.problem(self.path_loc(conflict.field, conflict.index), conflict.message, conflict.hint)
        return result

    def regex(self, loc: Loc, text: str | None) -> None:
        if text is None:
            return
        try:
            found = regex_safety.problems(text)
        except re.error as exc:
            self.problem(
                loc, f"invalid regular expression {text!r}: {exc}", "check the escaping (use single quotes in YAML)"
            )
            return
        for problem in found:
            where = f" at column {problem.column} of the pattern" if problem.column is not None else ""
            self.problem(
                loc,
                f"regular expression '{text}' can backtrack catastrophically on a server's text: "
                f"'{problem.snippet}'{where} is {problem.message}",
                problem.hint,
            )

    def envelope(
        self,
    ) -> tuple[
        dict[str, tuple[paths.EnvelopePath, ...]],
        paths.EnvelopePath | None,
        paths.EnvelopePath | None,
        paths.EnvelopePath | None,
    ]:
        env = self.spec.envelope
        result: dict[str, tuple[paths.EnvelopePath, ...]] = {}
        for name in ENVELOPE_FIELDS:
            field = getattr(env, name)
            parsed: list[paths.EnvelopePath] = []
            if field is not None:
                for i, text in enumerate(field.path):
                    p = self.path(self.path_loc(name, i), text)
                    if p is not None:
                        parsed.append(p)
            result[name] = tuple(parsed)
        after: list[paths.EnvelopePath] = []
        for i, text in enumerate(self.spec.retry.after_paths):
            parsed_after = self.path(("retry", "after_paths", i), text)
            if parsed_after is not None and parsed_after.header is not None:
                self.problem(
                    ("retry", "after_paths", i),
                    f"{text!r}: retry.after_paths are body paths; a header's delay is read by retry.after_headers",
                    f"add {parsed_after.header!r} to retry.after_headers instead",
                )
            elif parsed_after is not None:
                after.append(parsed_after)
        result["retry_after"] = tuple(after)
        items = self.path(("envelope", "items"), env.items, allow_header=False) if env.items else None
        data = self.path(("envelope", "data"), env.data, allow_header=False) if env.data else None
        flag = None
        if env.error_flag is not None:
            flag = self.path(("envelope", "error_flag", "path"), env.error_flag.path, allow_header=False)
        items = self.no_select(("envelope", "items"), items, "the list of errors")
        data = self.no_select(("envelope", "data"), data, "the partial data")
        flag = self.no_select(("envelope", "error_flag", "path"), flag, "the success flag")
        if env.errors_on_success and not env.items:
            self.problem(
                ("envelope", "errors_on_success"), "errors_on_success needs 'items' (where the list of errors is)"
            )
        if env.format == "xml":
            flag = self.xml_envelope(result, items, flag)
        return result, items, data, flag

    def xml_envelope(
        self,
        result: dict[str, tuple[paths.EnvelopePath, ...]],
        items: paths.EnvelopePath | None,
        flag: paths.EnvelopePath | None,
    ) -> paths.EnvelopePath | None:
        """``format: xml``: body paths name elements under one root element (with
        ``items``, the fields of each error name elements from the error's own element);
        what XML bodies cannot carry is refused."""
        env = self.spec.envelope
        if env.error_flag is not None and not isinstance(env.error_flag.equals, str):
            self.problem(
                ("envelope", "error_flag", "equals"),
                f"error_flag.equals {env.error_flag.equals!r}: an XML document holds text, so the flag equals a string",
                "quote the value as the document sends it (equals: 'false', equals: fail)",
            )
        for name in ("data",):
            if getattr(env, name) is not None:
                self.problem(
                    ("envelope", name),
                    f"envelope.{name} is not available with format: xml",
                    "remove it, or use format: json (see 'XML bodies' in specs/README.md)",
                )
        if env.errors_on_success:
            self.problem(("envelope", "errors_on_success"), "errors_on_success is not available with format: xml")
        if self.spec.api.json_parser != "stdlib":
            self.problem(
                ("api", "json_parser"),
                "json_parser does not apply to format: xml (the standard library's expat reads XML)",
                "remove api.json_parser",
            )
        for i, err in enumerate(self.spec.errors):
            if err.example is not None and not isinstance(err.example, dict):
                self.problem(
                    ("errors", i, "example"),
                    "an example of an XML API is its document as a mapping, not XML text",
                    "write <Error><Code>X</Code></Error> as {Error: {Code: X}} (see 'XML bodies' in specs/README.md)",
                )
        roots: dict[str, str] = {}  # the root element -> the first field whose path names it
        checked = dict(result)
        if items is not None:  # the list of errors first: its root is the document's
            checked = {"items": (items,), **checked}
        if flag is not None:
            checked["flag"] = (flag,)
            result["flag"] = (flag,)  # (taken out again below)
        for field, parsed in checked.items():
            for i, path in enumerate(parsed):
                if path.header is not None:
                    continue
                loc = self.path_loc(field, i)
                if field != "items":
                    found = self.xml_attribute(field, i, path)
                    if found is None:
                        continue
                    if found is not path:  # read and written at the key the reader puts it at
                        path = found
                        result[field] = (*result[field][:i], path, *result[field][i + 1 :])
                if not path.steps or any(not isinstance(step, str) for step in path.steps):
                    self.problem(
                        loc,
                        f"{path.text!r}: an XML path names elements from the root down (Error.Code), "
                        "without list indices or '$'",
                        "name the elements: a repeated element is read by its name too",
                    )
                    continue
                bad = next((s for s in path.steps if not isinstance(s, str) or not _XML_STEP.fullmatch(s)), None)
                if bad is not None:
                    self.problem(loc, f"{path.text!r}: {bad!r} is not an XML element name")
                    continue
                if items is not None and field not in ("items", "request_id", "flag"):
                    continue  # read from each error's element, not from the root
                root = str(path.steps[0]).partition("@")[0]
                if roots and root not in roots:
                    at, first = next(iter(roots.items()))
                    self.problem(
                        loc,
                        f"{path.text!r} starts at element {root!r}, but {first}'s path starts at {at!r}: "
                        "an XML document has one root element",
                        "start every body path at the root element",
                    )
                    continue
                roots.setdefault(root, field)
        if flag is not None:
            flag = result.pop("flag")[0]
        return flag

    def xml_attribute(self, field: str, index: int, path: paths.EnvelopePath) -> paths.EnvelopePath | None:
        """``Error.@code``, the attribute ``code`` of the element ``Error``, as the key the
        reader puts it at (``Error@code``, beside the element); None where it cannot be one."""
        steps = path.steps
        at = [i for i, step in enumerate(steps) if isinstance(step, str) and step.startswith("@")]
        if not at:
            return path
        if at != [len(steps) - 1] or len(steps) < 2 or not isinstance(steps[-2], str):
            self.problem(
                self.path_loc(field, index),
                f"{path.text!r}: an attribute is the last step, after the element that has it (Error.@code)",
                "name the element, then its attribute: attributes hold text, not elements",
            )
            return None
        return paths.EnvelopePath(path.text, steps=(*steps[:-2], f"{steps[-2]}{steps[-1]}"))

    def code_prefix(self, envelope: dict[str, tuple[paths.EnvelopePath, ...]]) -> None:
        """``envelope.code_prefix`` (issue 18 section 5): the code is read from the message."""
        env = self.spec.envelope
        if env.code_prefix is None:
            return
        loc: Loc = ("envelope", "code_prefix")
        if env.code is not None:
            self.problem(
                loc,
                "code_prefix reads the code from the message, and envelope.code reads it too: "
                "to_response() could write only one of them",
                "remove envelope.code (the code is the message's prefix), or code_prefix",
            )
        if not envelope["message"]:
            self.problem(loc, "code_prefix needs envelope.message (the text that opens with the code)")
        if env.code_prefix.strip() == "":
            self.problem(
                loc,
                f"code_prefix {env.code_prefix!r} is only whitespace: codes and messages may hold it too",
                "use the separator the API writes, e.g. ' : '",
            )

    def required(self, envelope: dict[str, tuple[paths.EnvelopePath, ...]]) -> None:
        """``envelope.require`` (issue 18 section 7): a key path, apart from every field."""
        required = self.spec.envelope.require
        if required is None:
            return
        loc: Loc = ("envelope", "require", "path")
        parsed = self.path(loc, required.path, allow_header=False)
        if parsed is None:
            return
        if not parsed.steps or not all(isinstance(step, str) for step in parsed.steps):
            self.problem(
                loc,
                f"require path {required.path!r} must name keys only (to_response() writes it)",
                "use a key path such as kind or meta.kind",
            )
            return
        for name, found in envelope.items():
            for path in found:
                if path.header is not None:
                    continue
                shorter = min(len(path.steps), len(parsed.steps))
                if path.steps[:shorter] == parsed.steps[:shorter]:
                    self.problem(
                        loc,
                        f"require path {required.path!r} overlaps envelope.{name} ({path.text!r}): "
                        "to_response() could not write both",
                        "require a value at a path no field reads",
                    )
                    return

    def events(self, envelope: dict[str, tuple[paths.EnvelopePath, ...]], items: paths.EnvelopePath | None) -> None:
        """``events.names`` (issue 18 section 4): event names a stream can send, each once;
        ``events.data_at``: a key path where the envelope reads something."""
        if self.spec.events is None:
            return
        if self.spec.events.data_at is not None:
            self.events_data_at(self.spec.events.data_at, envelope, items)
        if self.spec.events.when is not None:
            self.events_when(self.spec.events.when)
        seen: set[str] = set()
        for i, name in enumerate(self.spec.events.names):
            loc: Loc = ("events", "names", i)
            if not name or any(ch in name for ch in "\r\n"):
                self.problem(
                    loc,
                    f"{name!r} cannot be an event name: a stream's 'event:' line holds one line of text",
                    "write the name the stream sends, e.g. error",
                )
            elif name in seen:
                self.problem(loc, f"event name {name!r} is listed twice", "list each name once")
            seen.add(name)

    def events_when(self, text: str) -> None:
        """``events.when``: a key path of the event data (JSON), tested before anything is read."""
        loc: Loc = ("events", "when")
        if self.spec.envelope.format == "xml":
            self.problem(
                loc,
                "events.when is not available with format: xml (event data is tested as JSON)",
                "remove it, or use format: json",
            )
            return
        parsed = self.path(loc, text, allow_header=False)
        if parsed is None:
            return
        if not parsed.steps or not all(isinstance(step, str) for step in parsed.steps):
            self.problem(
                loc,
                f"when {text!r} must name keys only (a value at it in an event's data makes the event an error)",
                'use a key path such as error (OpenAI Chat Completions\' unnamed data: {"error": {...}})',
            )

    def events_data_at(
        self, text: str, envelope: dict[str, tuple[paths.EnvelopePath, ...]], items: paths.EnvelopePath | None
    ) -> None:
        loc: Loc = ("events", "data_at")
        if self.spec.envelope.format == "xml":
            self.problem(
                loc,
                "events.data_at is not available with format: xml (event data is read as JSON)",
                "remove it, or use format: json",
            )
            return
        parsed = self.path(loc, text, allow_header=False)
        if parsed is None:
            return
        if not parsed.steps or not all(isinstance(step, str) for step in parsed.steps):
            self.problem(
                loc,
                f"data_at {text!r} must name keys only (the data is placed at it as a body's value)",
                "use a key path such as error or response.error",
            )
            return
        found = [p for found in envelope.values() for p in found if p.header is None]
        if items is not None:
            found.append(items)
        size = len(parsed.steps)
        if not any(p.steps[:size] == parsed.steps and len(p.steps) > size for p in found):
            self.problem(
                loc,
                f"data_at {text!r} holds no envelope field: no body path of the envelope reads inside it",
                "name the object of a body the event data stands for, e.g. error for code: error.code",
            )

    def sub_codes(self) -> tuple[int | None, ...]:
        """Sub-code entries (issue 18 section 2): per entry, the index of its main code's
        entry (the one with its code and no sub_code), else None. A sub-code entry without
        a status or a category takes its main entry's (``self.spec`` is updated so)."""
        errors = self.spec.errors
        main: list[int | None] = [None for _ in errors]
        if not any(err.sub_code is not None for err in errors):
            return tuple(main)
        filled = list(errors)
        seen: dict[tuple[str, str], int] = {}
        for i, err in enumerate(errors):
            if err.sub_code is None:
                continue
            loc: Loc = ("errors", i, "sub_code")
            if self.spec.envelope.sub_code is None:
                self.problem(
                    loc,
                    f"no response can carry sub-code {err.sub_code!r}: the envelope has no 'sub_code' path",
                    "add envelope.sub_code (where the API sends the finer code, e.g. error.decline_code)",
                )
            if not err.sub_code.strip():
                self.problem(loc, "sub_code may not be empty")
                continue
            if err.code is None:
                self.problem(
                    loc,
                    f"sub-code {err.sub_code!r} needs a code: a sub-code is a finer code under a main code",
                    "add 'code:' (the main code this sub-code refines)",
                )
                continue
            key = (str(err.code), err.sub_code)
            if key in seen:
                self.problem(
                    loc,
                    f"code {err.code!r} with sub-code {err.sub_code!r} is already errors[{seen[key]}]",
                    "remove the duplicate (a sub-code names one class, whatever the status)",
                )
                continue
            seen[key] = i
            mains = [j for j, e in enumerate(errors) if e.sub_code is None and str(e.code) == str(err.code)]
            if len(mains) > 1:
                under = [j for j in mains if errors[j].status == err.status]
                if len(under) != 1:
                    self.problem(
                        loc,
                        f"sub-code {err.sub_code!r}: its main code {err.code!r} has entries under several "
                        "statuses, and none has this entry's status",
                        f"give it the status of the main entry it refines (one of: "
                        f"{', '.join(str(errors[j].status) for j in mains)})",
                    )
                    continue
                mains = under
            if not mains:
                self.problem(
                    loc,
                    f"sub-code {err.sub_code!r} needs an entry for its main code {err.code!r} "
                    "(the same code, without sub_code): its class is the parent of this one",
                    f"add {{code: {err.code}, status: ..., message: ...}} before this entry",
                )
                continue
            j = mains[0]
            if j > i:
                self.problem(
                    loc,
                    f"sub-code {err.sub_code!r} comes before errors[{j}], the entry of its main code {err.code!r}",
                    "list the main code's entry first (its class is this one's parent)",
                )
                continue
            main[i] = j
            parent = errors[j]
            status = parent.status if err.status is None else err.status
            theirs = parent.category or taxonomy.category_for_status(parent.status)
            category = err.category or (theirs if err.status is None else None)
            mine = category or taxonomy.category_for_status(status)
            if mine != theirs:
                self.problem(
                    ("errors", i, "status" if err.category is None else "category"),
                    f"sub-code {err.sub_code!r} would be {mine}, but its main code {err.code!r} is {theirs}: "
                    "its class subclasses the main code's class",
                    "give it the main code's status (or leave status out: it defaults to the main code's)",
                )
                continue
            filled[i] = err.model_copy(update={"status": status, "category": category})
        self.spec = self.spec.model_copy(update={"errors": filled})
        return tuple(main)

    def types(self, found: tuple[Any, ...]) -> None:
        """``envelope.type`` (issue 18 section 3) reads the type some group is the class of."""
        if self.spec.envelope.type is not None and not any(group.type is not None for group in found):
            if not any(body.type is not None for body in self.spec.groups.values()):
                self.problem(
                    ("envelope", "type"),
                    "envelope.type reads a type, but no group is the class of one",
                    "add groups with 'type:' (e.g. CardError: {type: card_error, errors: [...]}), "
                    "or remove envelope.type",
                )

    def error_names(self) -> list[str]:
        names: list[str] = []
        first: dict[str, int] = {}
        codes = Counter(str(e.code) for e in self.spec.errors if e.code is not None and e.sub_code is None)
        for i, err in enumerate(self.spec.errors):
            loc: Loc = ("errors", i)
            name = err.name if err.name is not None else (str(err.code) if err.code is not None else "")
            if err.name is None and err.sub_code is not None and err.sub_code.strip():
                name = err.sub_code  # a sub-code entry is named by its sub-code
            elif err.name is None and err.code is not None and codes[str(err.code)] > 1:
                name = f"{err.code}_{err.status}"  # the same code under several statuses
            if err.code is None and err.name is None:
                self.problem(loc, "an error without 'code' needs a 'name'", "add 'name: some_identifier'")
            elif isinstance(err.code, str) and not err.code.strip():
                self.problem(loc + ("code",), "code may not be empty")
            elif name in first:
                self.problem(
                    loc + (("name",) if err.name else ("code",)),
                    f"error name {name!r} is already used by errors[{first[name]}]",
                    "give one of them a distinct 'name:'",
                )
            first.setdefault(name, i)
            names.append(name)
        return names

    def statuses_and_codes(self) -> None:
        seen: dict[tuple[int | None, str], int] = {}
        code_type = self.spec.codes.type
        for i, err in enumerate(self.spec.errors):
            loc: Loc = ("errors", i)
            if err.status is not None:
                if not 100 <= err.status <= 599:
                    self.problem(
                        loc + ("status",), f"{err.status} is not an HTTP status", "use a status from 400 to 599"
                    )
                elif 200 <= err.status < 300 and self.spec.envelope.error_flag is None:
                    if not self.spec.envelope.errors_on_success:
                        self.problem(
                            loc + ("status",),
                            f"{err.status} is a success status, and this envelope cannot mark a success as an "
                            "error (it has neither error_flag nor errors_on_success)",
                            "add envelope.error_flag (a 2xx body with this value is an error) or "
                            "errors_on_success, or use the error status the API sends",
                        )
                elif err.status < 200 or 300 <= err.status < 400:
                    self.problem(
                        loc + ("status",),
                        f"{err.status} is not an error status: responses below 400 are not errors",
                        "remove the entry (say why in a comment) or use the error status the API sends",
                    )
            elif err.category is None and err.sub_code is None:  # a sub-code's: its main entry's
                self.problem(
                    loc,
                    "an error without 'status' needs a 'category'",
                    "add 'category:' (see the taxonomy in specs/README.md)",
                )
            if err.docs_url is not None and not re.match(r"^https?://", err.docs_url):
                self.problem(loc + ("docs_url",), f"docs_url {err.docs_url!r} is not an http(s) URL", _URL_HINT)
            try:
                json.dumps(err.example, allow_nan=False)
            except (TypeError, ValueError):
                self.problem(loc + ("example",), "example is not plain JSON (quote dates and the like)")
            if err.code is None:
                continue
            if code_type == "integer" and not (isinstance(err.code, int) or str(err.code).isdigit()):
                self.problem(loc + ("code",), f"code {err.code!r} is not an integer, but codes.type is integer")
            if isinstance(err.code, int) and code_type == "string":
                self.problem(
                    loc + ("code",),
                    f"code {err.code} is a number, but codes.type is string",
                    "quote it, or set codes.type: integer",
                )
            if err.sub_code is not None:
                continue  # checked with the sub-codes
            key = (err.status, str(err.code))
            if key in seen:
                self.problem(
                    loc + ("code",),
                    f"code {err.code!r} with status {err.status} is already errors[{seen[key]}]",
                    "remove the duplicate",
                )
            seen.setdefault(key, i)
            if self.spec.codes.normalize:
                try:
                    m = re.search(self.spec.codes.normalize, str(err.code))
                except re.error:
                    continue
                normal = (m.group(1) if m.re.groups else m.group(0)) if m else None
                if normal != str(err.code):
                    self.problem(
                        loc + ("code",),
                        f"code {err.code!r} is not in normal form: codes.normalize turns it into {normal!r}",
                        "write the normalised code in the catalogue",
                    )

    def api_info(self) -> None:
        api = self.spec.api
        package = api.package or f"{api.name}_errors"
        where: Loc = ("api", "package") if api.package else ("api", "name")
        if len(package) > MAX_PACKAGE_NAME:
            self.problem(
                where,
                f"the package name is {len(package)} characters long; the limit is {MAX_PACKAGE_NAME} "
                "(it names folders and files, and a file name holds at most 255 bytes)",
                f"choose a shorter api.{where[1]}",
            )
        reason = naming.package_taken_reason(package)
        if reason:
            self.problem(where, f"package {package!r} {reason}", f"choose another package name, e.g. {api.name}_errors")
        if api.docs_url is not None and not re.match(r"^https?://", api.docs_url):
            self.problem(("api", "docs_url"), f"docs_url {api.docs_url!r} is not an http(s) URL", _URL_HINT)
        for i, header in enumerate(api.redact_headers):
            if not _HEADER_NAME.match(header):
                self.problem(
                    ("api", "redact_headers", i),
                    f"{header!r} is not an HTTP header name",
                    "write the bare name, e.g. X-Secret-Token (letters, digits and -)",
                )

    def class_names(self, names: list[str]) -> list[str]:
        prefix = self.spec.api.class_prefix or naming.pascal(self.spec.api.name)
        codes = Counter(str(e.code) for e in self.spec.errors if e.code is not None and e.sub_code is None)
        result: list[str] = []
        for i, err in enumerate(self.spec.errors):
            loc: Loc = ("errors", i)
            if err.class_name is not None:
                name = err.class_name
                if not naming.is_identifier(name) or not name[0].isupper() or not name.isascii():
                    self.problem(
                        loc + ("class_name",),
                        f"class_name {name!r} is not a PascalCase Python identifier",
                        "use ASCII letters and digits, starting with a capital (e.g. NotHereError)",
                    )
                reason = naming.taken_reason(name, prefix)
                if reason:
                    self.problem(loc + ("class_name",), f"class_name {name!r} {reason}", "choose another class_name")
                result.append(name)
                continue
            source = err.name if err.name is not None else (str(err.code) if err.code is not None else names[i])
            if err.sub_code is not None:
                source = names[i]  # its sub-code, or its name
            name = naming.error_class_name(source)
            if not name:
                self.problem(
                    loc,
                    f"cannot derive a class name from {source!r} (no ASCII letters or digits)",
                    "set 'class_name:' for this error",
                )
                result.append("")
                continue
            if err.name is None and err.sub_code is None and err.code is not None and codes[str(err.code)] > 1:
                category = err.category or taxonomy.category_for_status(err.status)
                name = name.removesuffix("Error") + taxonomy.BY_NAME[category].class_name
            if name[0].isdigit() or naming.taken_reason(name, prefix):
                name = prefix + name
            reason = naming.taken_reason(name, prefix)
            if reason:
                self.problem(loc, f"derived class name {name!r} {reason}", "set 'class_name:' for this error")
            result.append(name)
        first: dict[str, int] = {}
        for i, name in enumerate(result):
            if name and name in first:
                self.problem(
                    ("errors", i),
                    f"class name {name!r} is also the class of errors[{first[name]}]",
                    "set a distinct 'class_name:' on one of them",
                )
            first.setdefault(name, i)
        return result

    def references(self, names: list[str], class_names: list[str]) -> None:
        known = set(names)
        aliases = _aliases(names, class_names, self.spec.errors)
        meant: set[str] = set()  # the entries misspelt references were taken to mean

        def target(loc: Loc, value: str, *, special: bool) -> None:
            if special and value in ("category", "base"):
                return
            if value not in known:
                extra = {"category": "category", "base": "base"} if special else {}
                close = _suggest(value, {**aliases, **extra})
                choices = "'category', 'base' or " if special else ""
                hint = f"did you mean '{close}'?" if close else f"use {choices}the name of an error"
                self.problem(loc, f"no error is named {value!r}", hint)
                if close:
                    meant.add(close)  # its reachability follows from the fix: not a second problem

        fb = self.spec.fallbacks
        for key in ("unknown_code", "no_code", "unknown_status"):
            target(("fallbacks", key), getattr(fb, key), special=True)
        for code, value in fb.status.items():
            if not 200 <= code <= 599 or 300 <= code < 400:
                self.problem(
                    ("fallbacks", "status", code),
                    f"{code} is not an error status (400-599, or 2xx for errors inside a success)",
                )
            target(("fallbacks", "status", code), value, special=True)
        for i, rule in enumerate(self.spec.rules):
            loc: Loc = ("rules", i)
            target(loc + ("error",), rule.error, special=False)
            for status in rule.status:
                ok = (isinstance(status, int) and 200 <= status <= 599) or (
                    isinstance(status, str) and _STATUS_CLASS.match(status)
                )
                if not ok:
                    self.problem(
                        loc + ("status",),
                        f"rule status {status!r} is not 200-599, '2xx', '4xx' or '5xx'",
                        "errors inside a 2xx (GraphQL) use 200; error statuses are 400-599",
                    )
            for method in rule.method:
                if not _METHOD.match(method):
                    self.problem(
                        loc + ("method",), f"{method!r} is not an HTTP method", "write it in capitals, e.g. POST"
                    )
            self.regex(loc + ("message",), rule.message)
            self.regex(loc + ("path",), rule.path)
            self.rule_headers(loc, rule.headers)
            if not (rule.status or rule.code is not None or rule.message or rule.method or rule.path or rule.headers):
                self.problem(
                    loc,
                    "a rule without conditions would match every response",
                    "add status, code, message, method, path or headers",
                )
        self.regex(("codes", "normalize"), self.spec.codes.normalize)
        self.reachability(names, meant)

    def rule_headers(self, loc: Loc, headers: dict[str, str]) -> None:
        """``rules[].headers`` (issue 18 section 5): header names, and safe patterns of their values."""
        seen: dict[str, str] = {}
        for name, pattern in headers.items():
            where = loc + ("headers", name)
            if not _HEADER_NAME.match(name):
                self.problem(where, f"{name!r} is not an HTTP header name", "write the bare name, e.g. X-GitHub-OTP")
            elif name.lower() in seen:
                self.problem(
                    where,
                    f"header {name!r} is already tested as {seen[name.lower()]!r} (names are case-insensitive)",
                    "test each header once",
                )
            seen.setdefault(name.lower(), name)
            self.regex(where, pattern)

    def reachability(self, names: list[str], meant: set[str]) -> None:
        """A code-less entry must be reachable: by its status, a rule, or a fallback
        (``meant``: names a misspelt reference was taken to mean)."""
        fb = self.spec.fallbacks
        targets = {r.error for r in self.spec.rules} | set(fb.status.values()) | meant
        targets |= {fb.unknown_code, fb.no_code, fb.unknown_status}
        by_status: dict[int, int] = {}
        for i, err in enumerate(self.spec.errors):
            if err.code is not None or names[i] in targets:
                continue
            if err.status is None:
                self.problem(
                    ("errors", i),
                    f"no response can reach error {names[i]!r}: it has no code, no status, and no rule or fallback names it",
                    "give it a code or a status, or add a rule with 'error: " + names[i] + "'",
                )
            elif err.status in by_status:
                self.problem(
                    ("errors", i, "status"),
                    f"no response can reach error {names[i]!r}: errors[{by_status[err.status]}] already takes "
                    f"code-less responses with status {err.status}",
                    "give it a code, or add a rule that selects it",
                )
            else:
                by_status[err.status] = i


def _fold(text: str) -> str:
    """A name as compared for suggestions: lower case, letters and digits only."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _aliases(names: list[str], class_names: list[str], errors: list[ErrorSpec]) -> dict[str, str]:
    """What a reference to an error might have been written as (its name, class name or
    code, folded), and the name it means."""
    found: dict[str, str] = {}
    for name, class_name, err in zip(names, class_names, errors, strict=True):
        for alias in (
            str(err.code) if err.code is not None else "",
            class_name,
            class_name.removesuffix("Error"),
            name,
        ):
            if alias:
                found[_fold(alias) or alias] = name
    return found


def _suggest(value: str, aliases: dict[str, str]) -> str | None:
    """The name ``value`` most likely means: one whose name, class name or code it is, up to
    case and punctuation, else the closest of them (difflib), else None."""
    folded = _fold(value) or value
    if folded in aliases:
        return aliases[folded]
    close = difflib.get_close_matches(folded, list(aliases), n=1)
    return aliases[close[0]] if close else None


def check(doc: Document, raw: bytes, examples: bool = True) -> CheckedSpec:
    """Validate a loaded document; raises SpecError listing every problem.

    ``examples``: also dispatch the examples (see ``example_checks``); off for a spec
    read only to compare with (an older version, whose examples are not in question)."""
    if not isinstance(doc.data, dict):
        raise SpecError([doc.diagnostic((), "the spec must be a mapping (errorsdk:, api:, errors:, ...)")])
    try:
        spec = Spec.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        raise SpecError(_shape_problems(doc, exc)) from None
    checker = _Checker(doc, spec)
    main_entries = checker.sub_codes()
    spec = checker.spec  # sub-code entries with their main entry's status and category
    envelope, items, data, flag = checker.envelope()
    checker.code_prefix(envelope)
    checker.required(envelope)
    checker.events(envelope, items)
    written = checker.layout(envelope, items, flag) if not checker.problems else None
    names = checker.error_names()
    checker.statuses_and_codes()
    checker.api_info()
    class_names = checker.class_names(names)
    checker.references(names, class_names)
    group_classes, error_groups = groups.check(spec, names, class_names, checker.problem, main_entries)
    checker.types(group_classes)
    prefix = spec.api.class_prefix or naming.pascal(spec.api.name)
    details, problems = detail_schemas.check(doc, spec, class_names, prefix)
    checker.problems.extend(problems)
    if checker.problems or written is None:
        raise SpecError(checker.problems + checker.warnings)
    checked = CheckedSpec(
        file=doc.file,
        spec=spec,
        sha256=hashlib.sha256(raw).hexdigest(),
        error_names=tuple(names),
        class_names=tuple(class_names),
        envelope_paths=envelope,
        items_path=items,
        data_path=data,
        flag_path=flag,
        layout=written,
        details=details,
        source=raw.decode("utf-8"),
        groups=group_classes,
        error_groups=error_groups,
        main_entries=main_entries,
    )
    # The tables are sound: does each entry's own response come back?
    for miss in round_trip.misses(checked):
        checker.problem(("errors", miss.index), miss.message, miss.hint)
    if checker.problems:
        raise SpecError(checker.problems + checker.warnings)
    from . import example_checks  # it reads the model, which is built from a CheckedSpec

    if examples:
        example_checks.path_warnings(checker, checked)
    if examples and not checker.problems:  # the examples are dispatched on a spec that is otherwise sound
        example_checks.dispatch_checks(checker, checked)
    if checker.problems:
        raise SpecError(checker.problems + checker.warnings)
    return dataclasses.replace(checked, warnings=tuple(sorted(checker.warnings)))  # the same built model


def load_spec(path: FsPath | str) -> CheckedSpec:
    """Load and check one spec file; raises SpecError with every problem."""
    raw = read_spec(path)
    return check(load_document(path, raw), raw)
