"""Bad specs get file:line:column messages saying what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.validation import load_spec

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
    ("builtin class", GOOD.replace("message: Missing", "message: Missing, class_name: KeyError"), "shadows a Python builtin"),
    ("package name", GOOD.replace("message: Missing", "message: Missing, class_name: DemoError"), "already defines"),
    ("taxonomy name", GOOD.replace("message: Missing", "message: Missing, class_name: NotFoundError"), "taxonomy class"),
    ("non-ascii code", GOOD.replace("code: not_here", "code: エラー"), "set 'class_name:'"),
    ("bad path", GOOD.replace("code: code,", "code: 'a..b',"), "invalid path"),
    ("bad regex", GOOD + "rules:\n  - {error: not_here, message: '(unclosed'}\n", "invalid regular expression"),
    ("rule target", GOOD + "rules:\n  - {error: nowhere, status: 400}\n", "no error is named 'nowhere'"),
    ("empty rule", GOOD + "rules:\n  - {error: not_here}\n", "would match every response"),
    ("fallback", GOOD + "fallbacks: {unknown_code: catgory}\n", "did you mean 'category'?"),
    ("string code typed int", GOOD.replace("code: not_here", "code: 42"), "is a number, but codes.type is string"),
    ("normalize", GOOD + "codes: {normalize: '^x(.*)'}\n", "not in normal form"),
    ("retry header", GOOD + "retry: {after_headers: ['retry after']}\n", "6:25: retry.after_headers.0: 'retry after' is not allowed"),
    ("rate limit header", GOOD + "retry: {rate_limit: {reset: 'x:reset'}}\n", "use an HTTP header name such as x-ratelimit-reset"),
    ("retry cap", GOOD + "retry: {max_retry_after: 0}\n", "retry.max_retry_after: must be greater than 0"),
    ("unreachable", GOOD + "  - {name: lost, category: server, message: Lost}\n", "no response can reach error 'lost'"),
    ("shadowed status", GOOD + "  - {name: a, status: 500, message: A}\n  - {name: b, status: 500, message: B}\n",
     "already takes code-less responses with status 500"),
    ("alias bomb", "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e]\n", "alias bomb"),
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
