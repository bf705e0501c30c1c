"""Bad specs get file:line:column messages saying what is wrong and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.cli import main
from errorsdk.model.build import build_model
from errorsdk.spec import validation
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.diagnostics import Diagnostic, SpecError
from errorsdk.spec.example_checks import response_status
from errorsdk.spec.validation import load_spec

from .conftest import ALL_SPECS, SPECS, spec_id, xml_runtime
from .test_conformance import NEUTRAL_MESSAGE, build_response, reachable

GOOD = """\
errorsdk: 1
api: {name: demo, version: 1.0.0, title: Demo}
envelope: {code: code, message: message}
errors:
  - {code: not_here, status: 404, message: Missing}
"""

CASES = [
    # (name, spec text, expected fragment of the first message)
    ("unknown key", GOOD.replace("title: Demo", "titel: Demo"), "2:35: unknown key 'titel'"),
    ("did you mean", GOOD.replace("status: 404", "statsu: 404"), "did you mean 'status'?"),
    ("missing key", GOOD.replace(", title: Demo", ""), "missing required key 'title'"),
    ("duplicate key", GOOD + "envelope: {}\n", "6:1: duplicate key 'envelope' (first defined at line 3)"),
    ("tab", GOOD.replace("  - {code", "\t- {code"), "a tab character"),
    ("yaml syntax", GOOD.replace("{name: demo", "{name: [demo"), "YAML syntax error"),
    ("python tag", GOOD.replace("title: Demo", "title: !!python/object/apply:os.system [ls]"), "is not allowed"),
    ("empty", "", "the spec is empty"),
    ("not a mapping", "- 1\n- 2\n", "the spec must be a mapping"),
    ("float version", GOOD.replace("version: 1.0.0", "version: 1.0"), "quote the value"),
    ("bad name", GOOD.replace("name: demo", "name: Demo-API"), "use lowercase letters"),
    ("non-error status", GOOD.replace("status: 404", "status: 302"), "302 is not an error status"),
    ("no status", GOOD.replace("status: 404", "status: 999"), "999 is not an HTTP status"),
    ("category", GOOD.replace("status: 404", "status: 404, category: notfound"), "did you mean 'not_found'?"),
    ("no category", GOOD.replace("status: 404, ", ""), "needs a 'category'"),
    ("no code no name", GOOD.replace("code: not_here, ", ""), "needs a 'name'"),
    ("duplicate code", GOOD + "  - {code: not_here, status: 404, message: Again}\n", "is already errors[0]"),
    ("same class", GOOD + "  - {code: not-here, status: 410, message: Gone}\n", "is also the class of errors[0]"),
    (
        "builtin class",
        GOOD.replace("message: Missing", "message: Missing, class_name: KeyError"),
        "shadows a Python builtin",
    ),
    ("package name", GOOD.replace("message: Missing", "message: Missing, class_name: DemoError"), "already defines"),
    (
        "taxonomy name",
        GOOD.replace("message: Missing", "message: Missing, class_name: NotFoundError"),
        "taxonomy class",
    ),
    ("non-ascii code", GOOD.replace("code: not_here", "code: エラー"), "set 'class_name:'"),
    ("bad path", GOOD.replace("code: code,", "code: 'a..b',"), "invalid path"),
    ("bad regex", GOOD + "rules:\n  - {error: not_here, message: '(unclosed'}\n", "invalid regular expression"),
    ("rule target", GOOD + "rules:\n  - {error: nowhere, status: 400}\n", "no error is named 'nowhere'"),
    ("empty rule", GOOD + "rules:\n  - {error: not_here}\n", "would match every response"),
    ("fallback", GOOD + "fallbacks: {unknown_code: catgory}\n", "did you mean 'category'?"),
    ("string code typed int", GOOD.replace("code: not_here", "code: 42"), "is a number, but codes.type is string"),
    ("normalize", GOOD + "codes: {normalize: '^x(.*)'}\n", "not in normal form"),
    (
        "retry header",
        GOOD + "retry: {after_headers: ['retry after']}\n",
        "6:25: retry.after_headers.0: 'retry after' is not allowed",
    ),
    (
        "rate limit header",
        GOOD + "retry: {rate_limit: {reset: 'x:reset'}}\n",
        "use an HTTP header name such as x-ratelimit-reset",
    ),
    ("retry cap", GOOD + "retry: {max_retry_after: 0}\n", "retry.max_retry_after: must be greater than 0"),
    ("unreachable", GOOD + "  - {name: lost, category: server, message: Lost}\n", "no response can reach error 'lost'"),
    (
        "shadowed status",
        GOOD + "  - {name: a, status: 500, message: A}\n  - {name: b, status: 500, message: B}\n",
        "already takes code-less responses with status 500",
    ),
    (
        "alias bomb",
        "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e]\n",
        "alias bomb",
    ),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_spec_message(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    message = str(info.value)
    assert expected in message
    assert message.startswith(str(path) + ":")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(GOOD.encode().replace(b"Missing", b"Miss\xffing"))
    with pytest.raises(SpecError, match=r"spec.yaml:5:\d+: byte 0xff is not valid UTF-8"):
        load_spec(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(GOOD + "  - {code: a, status: 302, message: x}\n  - {status: 999, message: y}\n")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert len(info.value.diagnostics) >= 3


def test_good_spec_loads(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(GOOD)
    assert load_spec(path).class_names == ("NotHereError",)


# --- Examples: dispatched at validation time -------------------------------------------

EXAMPLES = """\
errorsdk: 1
api: {name: demo, version: 1.0.0, title: Demo}
envelope: {code: code, message: message, detail: detail}
errors:
  - code: not_here
    status: 404
    message: Missing
    example: {code: not_here, message: Missing, detail: null}
  - code: gone
    status: 410
    message: Gone
    detail_schema: {type: object, properties: {id: {type: integer}}, required: [id]}
    example: {code: gone, message: Gone, detail: {id: 7}}
"""


def _load(tmp_path: Path, text: str) -> CheckedSpec:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def _problems(tmp_path: Path, text: str) -> list[Diagnostic]:
    with pytest.raises(SpecError) as info:
        _load(tmp_path, text)
    return info.value.diagnostics


def test_good_examples_pass_without_warnings(tmp_path: Path) -> None:
    assert _load(tmp_path, EXAMPLES).warnings == ()


def test_an_example_of_another_entry_is_an_error_at_the_example(tmp_path: Path) -> None:
    text = EXAMPLES.replace("example: {code: not_here,", "example: {code: gone,")
    (problem,) = _problems(tmp_path, text)
    assert (problem.line, problem.column, problem.severity) == (8, 5, "error")
    assert "comes back as GoneError, not as this entry's NotHereError" in problem.message
    assert "code 'gone' read at envelope.code 'code'" in problem.message and problem.hint


def test_an_example_breaking_its_detail_schema_is_an_error_where_the_value_is(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, EXAMPLES.replace("detail: {id: 7}", "detail: {id: seven}"))
    assert (
        "does not match the detail schema (models.GoneDetail) at id: 'seven' is not of type 'integer'"
        in problem.message
    )
    assert (problem.line, problem.column) == (13, 51)  # the value itself


def test_a_misspelt_envelope_path_warns_and_its_examples_fall_back(tmp_path: Path) -> None:
    checked = _load(tmp_path, EXAMPLES.replace("message: message,", "message: nme,"))
    (warning,) = checked.warnings
    assert warning.severity == "warning" and "envelope path 'nme': no example holds it" in warning.message
    assert warning.format().startswith(f"{tmp_path / 'spec.yaml'}:3:"), warning.format()
    assert ": warning: " in warning.format()
    # a misspelt code path: every example falls back, which is an error, reported with the warning
    problems = _problems(tmp_path, EXAMPLES.replace("code: code,", "code: cdoe,"))
    assert [p.severity for p in problems] == ["warning", "error", "error"]
    assert "code None read at envelope.code 'cdoe'" in problems[1].message and "envelope.code" in problems[1].hint


def test_validate_reports_warnings_and_fails_on_them_only_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(EXAMPLES.replace("message: message,", "message: nme,"))
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"{path}:3:" in captured.err and ": warning: envelope path 'nme'" in captured.err
    assert "ok (2 errors, package demo_errors, 1 warning(s))" in captured.out
    assert main(["validate", "--strict", str(path)]) == 1
    assert "--strict" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["generate", "--strict", str(path), "--out", str(out)]) == 1
    assert not (out / "demo_errors").exists()
    assert main(["generate", str(path), "--out", str(out)]) == 0
    assert "warning: envelope path 'nme'" in capsys.readouterr().err
    # up to date, so not generated again: the warnings recorded with it are printed, and count
    assert main(["generate", "--strict", str(path), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "warning: envelope path 'nme'" in captured.err and "inputs unchanged" not in captured.out


def _with_examples(spec: Path, tmp_path: Path, examples: dict[int, Any]) -> Path:
    data = yaml.safe_load(spec.read_text("utf-8"))
    for i, example in examples.items():
        data["errors"][i]["example"] = example
    out = tmp_path / spec.name
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_examples_in_the_envelope_pass_and_examples_of_other_entries_do_not(spec: Path, tmp_path: Path) -> None:
    """On every bundled and case spec: a body built from the envelope for each reachable
    entry is accepted as its example; given another entry's body, it is an error there."""
    checked = load_spec(spec)
    api = build_model(checked)
    bodies: dict[int, Any] = {}
    for i in reachable(checked):
        error = api.errors[i]
        fields = {"code": error.code, "message": NEUTRAL_MESSAGE, "status": response_status(api, error)}
        fields |= {"sub_code": error.sub_code, "type": api.type_of(error.class_name)}  # issue 18 sections 2, 3
        _, _, body = build_response(checked, fields, response_status(api, error))
        if checked.spec.envelope.format == "xml":  # an XML API's example is its document as a mapping
            bodies[i] = xml_runtime().parse_body(body) if body else None
        else:
            bodies[i] = json.loads(body) if body else None
    good = {i: b for i, b in bodies.items() if b is not None}
    if not good:
        pytest.skip("no entry's response has a body")
    load_spec(_with_examples(spec, tmp_path, good))  # no error
    if any(p.header is not None for p in checked.envelope_paths["code"]):
        return  # the code travels in a header, which validation fills from the entry: bodies do not decide
    coded = [i for i in good if api.errors[i].code is not None]
    swapped = {i: good[j] for i, j in zip(coded, coded[1:] + coded[:1]) if api.errors[i].code != api.errors[j].code}
    if not swapped:
        return
    with pytest.raises(SpecError) as info:
        load_spec(_with_examples(spec, tmp_path, {**good, **swapped}))
    wrong = [d for d in info.value.diagnostics if d.severity == "error"]
    assert all("not as this entry's" in d.message for d in wrong)
    named = {d.message.split("this entry's ")[1].split(" ")[0] for d in wrong}
    assert named == {api.errors[i].class_name for i in swapped}


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_every_bundled_and_case_spec_validates_without_warnings(spec: Path) -> None:
    assert load_spec(spec).warnings == ()


# --- A reference to an error that names none: the entry it most likely means --------------

_SPELLINGS = st.sampled_from(
    [str.upper, str.lower, str.title, lambda s: s.replace("_", "-"), lambda s: s.replace("_", "")]
)


@given(st.data())
@settings(max_examples=60)
def test_a_rule_or_fallback_naming_an_entry_by_another_spelling_gets_that_entry(data: st.DataObject) -> None:
    """Whatever the entry, written by its name, class name or code, in any case or with
    other separators: the hint names it (for rules as for fallbacks)."""
    spec = data.draw(st.sampled_from(SPECS))
    checked = load_spec(spec)
    i = data.draw(st.integers(0, len(checked.error_names) - 1))
    name, class_name, code = checked.error_names[i], checked.class_names[i], checked.spec.errors[i].code
    written = data.draw(_SPELLINGS)(
        data.draw(st.sampled_from([name, class_name, *([str(code)] if code is not None else [])]))
    )
    if written in checked.error_names:
        return  # the spelling is another entry's name: not a typo
    # the same folded spelling may belong to two entries (a code under two statuses): any of them
    meant = {
        n
        for n, c, e in zip(checked.error_names, checked.class_names, checked.spec.errors)
        if validation._fold(written) in {validation._fold(a) for a in (n, c, c.removesuffix("Error"), str(e.code))}
    }
    aliases = validation._aliases(list(checked.error_names), list(checked.class_names), checked.spec.errors)
    assert validation._suggest(written, aliases) in meant


@pytest.mark.parametrize("where", ["rules:\n  - {error: %s, status: 500}\n", "fallbacks: {unknown_code: %s}\n"])
@pytest.mark.parametrize("written", ["LOST_PARCEL", "LostParcelError", "LostParcel", "lost-parcel", "lost_parcle"])
def test_misspelt_targets_get_a_suggestion_and_no_second_problem(tmp_path: Path, where: str, written: str) -> None:
    """The entry only the misspelt reference reaches gets no 'no response can reach' besides."""
    text = GOOD + "  - {name: lost_parcel, category: server, message: Lost}\n" + where % written
    (problem,) = _problems(tmp_path, text)
    assert problem.message == f"no error is named {written!r}" and problem.hint == "did you mean 'lost_parcel'?"


REQUEST_RULE = """\
errorsdk: 1
api: {name: demo, version: 1.0.0, title: Demo}
envelope: {code: code, message: message}
errors:
  - {code: bad, status: 400, message: Bad}
  - {name: hook_failed, category: bad_request, message: Hook failed, example: {code: hook_error, message: hook}}
rules:
  - {error: hook_failed, status: 400, method: POST, path: '/hooks$'}
"""


def test_an_example_reached_by_a_request_rule_answers_that_request(tmp_path: Path) -> None:
    """An entry only a rule on the method or URL path reaches: its example is taken as the
    answer to such a request (the rule's other conditions still have to hold)."""
    assert _load(tmp_path, REQUEST_RULE).warnings == ()
    (problem,) = _problems(tmp_path, REQUEST_RULE.replace("status: 400, method", "status: 409, method"))
    assert "comes back as BadRequestError, not as this entry's HookFailedError (status 400" in problem.message


def test_the_model_is_built_once_per_spec_and_kept_on_its_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation builds the model (the round trip of each entry, the examples' dispatch);
    generating reads the same one: one build per spec, not one per layer."""
    from errorsdk.model import build
    from errorsdk.pipeline import generate_package

    real = build._build
    built: list[str] = []

    def counting(checked: CheckedSpec) -> Any:
        built.append(checked.file)
        return real(checked)

    monkeypatch.setattr(build, "_build", counting)
    spec = next(s for s in SPECS if "example:" in s.read_text("utf-8"))  # examples are dispatched on the model
    generate_package(spec)
    assert built == [str(spec)]
    checked = load_spec(spec)
    assert build_model(checked) is build_model(checked) and len(built) == 2
    assert load_spec(spec).built["model"] is not checked.built["model"]  # each load builds its own
