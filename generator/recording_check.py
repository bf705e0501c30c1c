"""``errorsdk check SPEC RECORDINGS...``: does the spec still match what the API sends?

Each recorded response (HAR 1.2 or JSON Lines, importing/recordings.py, secrets
redacted) goes through the spec's dispatch and is reported with the class it becomes,
whether that is a catalogue entry or a fallback, and its drifts:

unknown_code   a code the catalogue does not have (when it lists codes at all)
wrong_status   a catalogued code under a status none of its entries gives it
detail         a detail its entry's (or the API's) detail schema rejects
error_in_2xx   a 2xx body that looks like an error, which the dispatch lets through
missing_path   an envelope path no recorded error carries (reported once, for the run)

The dispatch is ``reference_dispatch.Reference``: the same model and steps the generated
``from_response`` follows, without rendering and importing a package per run (black alone
would cost seconds); tests/test_reference_dispatch.py holds the two equal on random
responses over every spec, and tests/test_check.py on the recordings it checks.

``--update`` appends an entry per new (code, status) at the end of the spec's ``errors:``
list, marked ``# TODO``, as text: every other byte of the file (comments too) stays.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .importing.recordings import Record, load, with_progress
from .model.data import ApiModel
from .spec.checked import CheckedSpec
from .spec.diagnostics import SpecError
from .spec.example_checks import detail_validator
from .spec.reference_dispatch import Reference, holds, read

KINDS = ("unknown_code", "wrong_status", "detail", "error_in_2xx", "missing_path")
_ERRORISH_KEYS = ("error", "errors", "error_code", "errorCode", "fault")


@dataclass
class Finding:
    where: str
    method: str | None
    url: str | None
    status: int
    class_name: str | None  # None: from_response returns no error
    catalogue: bool
    drifts: list[tuple[str, str]] = field(default_factory=list)  # kind, what
    code: str | int | None = None
    message: str | None = None


@dataclass
class Report:
    spec: str
    findings: list[Finding]
    run_drifts: list[tuple[str, str]]  # kind, what (not tied to one response)

    def counts(self) -> Counter[str]:
        found: Counter[str] = Counter(kind for f in self.findings for kind, _ in f.drifts)
        found.update(kind for kind, _ in self.run_drifts)
        return found

    @property
    def drifted(self) -> bool:
        return bool(self.counts())


class Checker:
    def __init__(self, checked: CheckedSpec, api: ApiModel) -> None:
        self.checked = checked
        self.api = api
        self.reference = Reference(checked, api)
        self.statuses: dict[str | int, set[int | None]] = {}
        for err in checked.spec.errors:
            if err.code is not None:
                self.statuses.setdefault(err.code, set()).add(err.status)
        for rule in api.rules:  # a rule that names a code catalogues it, under any status
            if rule.code is not None:
                self.statuses.setdefault(rule.code, set()).add(None)
        self.index = {e.class_name: i for i, e in enumerate(api.errors)}
        self.seen_paths: set[tuple[str, int]] = set()
        self.errors_seen = 0

    def entry_class(self, status: int | None, code: str | int | None, message: str | None, r: Record) -> str | None:
        """The catalogue entry the response reaches, if any (a rule, the code tables, the status)."""
        ref = self.reference
        name = ref.rule_error(status, code, message, r.method, r.url)
        if name is None:
            found, step = ref.lookup(status, code)
            name = found if step in ("status_code", "code", "status") else None
        return name

    def one(self, r: Record) -> Finding:
        doc = r.body if isinstance(r.body, (dict, list)) else None
        outcome = self.reference.from_response(r.status, doc, r.headers, r.method, r.url)
        finding = Finding(r.where, r.method, r.url, r.status, outcome.class_name, False)
        if not outcome.errors:
            if 200 <= r.status < 300 and _looks_like_error(doc):
                finding.drifts.append(("error_in_2xx", "the body looks like an error; the spec lets it through"))
            return finding
        self.errors_seen += 1
        self._paths(doc, r.headers)
        catalogue = True
        for member in outcome.errors:
            entry = self.entry_class(member.status, member.code, member.message, r)
            catalogue = catalogue and entry is not None
            finding.code = member.code if finding.code is None else finding.code
            finding.message = member.message if finding.message is None else finding.message
            code = member.code
            # A catalogue without a single code (errors known by status and rules) has no
            # code to miss: its codes are not drift.
            if code is not None and self.statuses and code not in self.statuses:
                finding.drifts.append(("unknown_code", f"code {code!r} is not in the catalogue"))
            elif code in self.statuses and None not in self.statuses[code] and member.status not in self.statuses[code]:
                given = ", ".join(str(s) for s in sorted(s for s in self.statuses[code] if s is not None))
                finding.drifts.append(
                    ("wrong_status", f"code {code!r} came with {member.status}; the catalogue gives {given}")
                )
            problem = self._detail(member.class_name, member.detail)
            if problem:
                finding.drifts.append(("detail", problem))
        finding.catalogue = catalogue
        return finding

    def _detail(self, class_name: str, detail: Any) -> str | None:
        details = self.checked.details
        if detail is None or details is None:
            return None
        i = self.index.get(class_name)
        category = self.api.errors[i].category if i is not None else None
        model = (details.errors[i] if i is not None else None) or details.categories.get(category or "") or details.api
        if model is None:
            return None
        validator = detail_validator(details.document, model)
        import jsonschema.exceptions

        worst = jsonschema.exceptions.best_match(validator.iter_errors(detail))
        if worst is None:
            return None
        where = "/".join(str(p) for p in worst.absolute_path) or "the top"
        return f"the detail does not match models.{model} at {where}: {worst.message}"[:300]

    def _paths(self, doc: Any, headers: dict[str, str]) -> None:
        items = self.checked.items_path
        objects = [doc]
        if items is not None:
            found = read(items, doc, headers)
            if isinstance(found, list) and found:
                objects = [x for x in found if isinstance(x, dict)] or [doc]
        for name, paths in self.checked.envelope_paths.items():
            for k, path in enumerate(paths):
                if path.header is not None:
                    if path.header in headers:
                        self.seen_paths.add((name, k))
                elif any(holds(path, obj) or holds(path, doc) for obj in objects):
                    self.seen_paths.add((name, k))

    def missing_paths(self) -> list[tuple[str, str]]:
        if not self.errors_seen:
            return []
        out = []
        for name, paths in self.checked.envelope_paths.items():
            for k, path in enumerate(paths):
                if (name, k) not in self.seen_paths:
                    shown = (
                        f"header:{path.header}"
                        if path.header is not None
                        else path.text
                        if path.selects
                        else _steps_text(path.steps)  # type: ignore[arg-type]
                    )
                    out.append(
                        ("missing_path", f"envelope.{name} {shown} is in none of {self.errors_seen} error response(s)")
                    )
        return out


def _steps_text(steps: tuple[str | int, ...]) -> str:
    from .importing.examples import path_text

    return path_text(steps)


def _looks_like_error(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    if any(doc.get(key) not in (None, [], {}, "", False) for key in _ERRORISH_KEYS):
        return True
    return doc.get("success") is False or doc.get("ok") is False


def check(spec_path: Path, recordings: list[Path], progress: bool | None = None) -> Report:
    from .model.build import build_model
    from .spec.validation import load_spec

    checked = load_spec(spec_path)
    checker = Checker(checked, build_model(checked))
    records = [r for path in recordings for r in load(path, progress)]
    findings = [checker.one(r) for r in with_progress(records, len(records), "checking", progress)]
    return Report(str(spec_path), findings, checker.missing_paths())


def render_table(report: Report) -> str:
    lines = []
    for f in report.findings:
        request = " ".join(x for x in (f.method, f.url) if x) or f.where
        what = f.class_name or "no error"
        where = "catalogue" if f.catalogue else ("fallback" if f.class_name else "-")
        lines.append(f"{f.status}  {what}  ({where})  {request}")
        for kind, text in f.drifts:
            lines.append(f"    drift {kind}: {text}  [{f.where}]")
    for kind, text in report.run_drifts:
        lines.append(f"drift {kind}: {text}")
    counts = report.counts()
    fallback = sum(1 for f in report.findings if f.class_name and not f.catalogue)
    summary = (
        f"{len(report.findings)} response(s): {sum(1 for f in report.findings if f.catalogue)} catalogue, "
        f"{fallback} fallback, {sum(1 for f in report.findings if f.class_name is None)} no error; "
    )
    summary += "drift: " + ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) if counts else "no drift"
    lines += ["", summary]
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    data = {
        "spec": report.spec,
        "drift": report.drifted,
        "counts": {k: report.counts()[k] for k in KINDS},
        "responses": [
            {
                "where": f.where,
                "method": f.method,
                "url": f.url,
                "status": f.status,
                "class": f.class_name,
                "catalogue": f.catalogue,
                "code": f.code,
                "drifts": [{"kind": k, "what": t} for k, t in f.drifts],
            }
            for f in report.findings
        ],
        "run_drifts": [{"kind": k, "what": t} for k, t in report.run_drifts],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --update: new entries appended as text at the end of the errors list.


class UpdateError(Exception):
    pass


def new_entries(report: Report) -> list[dict[str, Any]]:
    """One entry per (code, status) the catalogue lacks, with the most common message."""
    messages: dict[tuple[str | int, int], Counter[str]] = {}
    for f in report.findings:
        if f.code is None or not any(k in ("unknown_code", "wrong_status") for k, _ in f.drifts):
            continue
        bucket = messages.setdefault((f.code, f.status), Counter())
        if f.message:
            bucket[" ".join(f.message.split())[:200]] += 1
    out = []
    for (code, status), found in sorted(messages.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        message = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if found else str(code)
        out.append({"code": code, "status": status, "message": message, "seen": sum(found.values()) or 1})
    return out


def append_entries(text: str, entries: list[dict[str, Any]], taken_codes: set[str | int]) -> str:
    """``text`` with ``entries`` appended to its block-style ``errors:`` list; nothing else changes."""
    from .importing.yamlwriter import scalar

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise UpdateError(f"the spec is not YAML: {exc}") from None
    seq = None
    if isinstance(root, yaml.MappingNode):
        seq = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "errors"), None)
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        raise UpdateError("the spec's errors: is not a block list of entries ('- code: ...'); add the entries by hand")
    first, last = seq.value[0], seq.value[-1]
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    dash = text[line_start : first.start_mark.index]
    indent = " " * (len(dash) - len(dash.lstrip()))
    node: yaml.Node = last
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark.index  # a collection's own end mark lies past the comments after it
    if end > 0 and text[end - 1] != "\n":
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    lines = []
    for e in entries:
        name = None
        if e["code"] in taken_codes:  # the same code under another status: the entry needs a name
            name = re.sub(r"[^a-z0-9_]", "_", f"{e['code']}_{e['status']}".lower()).strip("_")
            if not name[:1].isalpha():
                name = "e_" + name
        lines.append(f"{indent}# TODO: found by `errorsdk check` in {e['seen']} recorded response(s): review it")
        lines.append(f"{indent}- code: {scalar(e['code'])}")
        if name:
            lines.append(f"{indent}  name: {name}")
        lines.append(f"{indent}  status: {e['status']}")
        lines.append(f"{indent}  message: {scalar(e['message'])}")
    block = "\n".join(lines) + "\n"
    head = text[:end] if text[:end].endswith("\n") or not text[:end] else text[:end] + "\n"
    return head + block + text[end:]


def update_spec(spec_path: Path, report: Report) -> str:
    """Append the report's new entries to the spec; the message printed (the spec is
    rewritten only when the result still validates)."""
    from .spec.loader import load_document
    from .spec.validation import check as validate
    from .spec.validation import load_spec

    entries = new_entries(report)
    if not entries:
        return f"{spec_path}: nothing to add"
    text = spec_path.read_text("utf-8")
    taken = {e.code for e in load_spec(spec_path).spec.errors if e.code is not None}
    updated = append_entries(text, entries, taken)
    try:
        raw = updated.encode("utf-8")
        validate(load_document(spec_path, raw), raw)
    except SpecError as exc:
        raise UpdateError(f"the updated spec would not validate; nothing written:\n{exc}") from None
    spec_path.write_text(updated, "utf-8")
    return f"{spec_path}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} added, marked # TODO"


def command(spec: str, recordings: list[str], fmt: str, update: bool) -> int:
    spec_path = Path(spec)
    try:
        report = check(spec_path, [Path(p) for p in recordings])
    except SpecError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    sys.stdout.write(render_json(report) if fmt == "json" else render_table(report))
    if update:
        try:
            print(update_spec(spec_path, report), file=sys.stderr)
        except (UpdateError, SpecError) as exc:
            print(f"error: --update: {exc}", file=sys.stderr)
            return 1
    return 1 if report.drifted else 0
