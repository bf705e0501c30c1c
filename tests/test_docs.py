"""The error-reference pages: examples equal to_response(), snippets run, golden, escaping, a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from errorsdk.cli import main
from errorsdk.model.build import build_model
from errorsdk.model.docs import build_page, example_response
from errorsdk.rendering import literals
from errorsdk.rendering.docs import render_docs
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.validation import load_spec

from .conftest import ALL_SPECS, ROOT, spec_id

GOLDEN_DOCS = ROOT / "tests" / "golden" / "docs"
Loader = Callable[[Path], tuple[CheckedSpec, ModuleType]]


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", markdown, flags=re.S | re.M)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_example_responses_are_what_to_response_returns(spec: Path, import_api: Loader) -> None:
    checked, module = import_api(spec)
    api = build_model(checked)
    for err in api.errors:
        status, headers, body = getattr(module, err.class_name)().to_response()
        doc = example_response(api, err)
        assert doc.status == status, err.name
        assert dict(doc.headers) == headers, err.name
        if api.xml_body:  # the same document, written as the package writes it
            assert sys.modules[f"{api.package}._xml"].render_body(doc.body) == body, err.name
            assert re.sub(r">\s+<", "><", doc.body_text).encode() == body, err.name
        else:
            assert doc.body == (json.loads(body) if body else None), err.name


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_handling_examples_run(spec: Path, import_api: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    checked, _ = import_api(spec)
    page = render_docs(build_model(checked), ("md",))[f"{checked.spec.api.name}.md"]
    blocks = python_blocks(page)
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block, f"<{spec.name} docs>", "exec"), {"__name__": "docs_example"})
    printed = capsys.readouterr().out
    assert printed.strip(), "the examples print what they found"


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_docs_match_golden(spec: Path) -> None:
    for name, text in render_docs(build_model(load_spec(spec))).items():
        path = GOLDEN_DOCS / name
        assert path.is_file() and path.read_text("utf-8") == text, "run `python -m tests.update_golden`"


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_page_lists_every_error_and_status(spec: Path) -> None:
    api = build_model(load_spec(spec))
    page = render_docs(api, ("md",))[f"{api.name}.md"]
    for err in api.errors:
        assert f"| Class | `{err.class_name}` |" in page
        if err.code is not None:
            assert f"### {literals.md_code(err.code)}" in page
    for row in build_page(api).statuses:
        assert f"\n| {row.status} | {row.reason} |" in page
    assert "## Handling errors" in page


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_package_readme_is_the_page(spec: Path, case_output_dir: Path) -> None:
    checked = load_spec(spec)
    api = build_model(checked)
    base = ROOT / "generated" if spec.parent.name == "specs" else case_output_dir
    readme = (base / checked.package / "README.md").read_text("utf-8")
    page = render_docs(api, ("md",))[f"{api.name}.md"]
    tail = page[page.index("## Contents") :]
    assert readme.endswith(tail)


def test_docs_cli_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["docs", str(ROOT / "specs" / "flux.yaml"), "--html", "--out", str(tmp_path)]
    assert main(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flux.html", "flux.md"]
    assert main([*args, "--check"]) == 0
    (tmp_path / "flux.md").write_text("stale", "utf-8")
    assert main([*args, "--check"]) == 1 and "flux.md" in capsys.readouterr().err
    assert main(["docs", str(ROOT / "tests" / "importing" / "refs_chain.yaml"), "--out", str(tmp_path)]) == 1


HOSTILE = st.text(alphabet=st.sampled_from(list("ab`|*_[]<>&\"'\\\n #!-")), max_size=30)


@settings(deadline=None)
@given(HOSTILE, st.booleans())
def test_md_code_shows_text_verbatim(text: str, table: bool) -> None:
    span = literals.md_code(text, table)
    fence = re.match(r"`+", span)
    assert fence is not None
    inner = span[len(fence.group()) : -len(fence.group())]
    assert span.endswith(fence.group()) and fence.group() not in inner
    assert "\n" not in span
    expected = " ".join(text.split()) or " "
    pad = expected.startswith("`") or expected.endswith("`")
    shown = f" {expected} " if pad else expected
    assert inner == (shown.replace("|", "\\|") if table else shown)


@settings(deadline=None)
@given(HOSTILE)
def test_md_fence_is_never_closed_by_the_text(text: str) -> None:
    fence = literals.md_fence(text)
    for line in text.splitlines():
        assert not line.lstrip(" ").startswith(fence)


@settings(deadline=None)
@given(st.text(max_size=40))
def test_html_escapes_markup(text: str) -> None:
    out = literals.html(text)
    assert "<" not in out and ">" not in out and '"' not in out
    import html

    assert html.unescape(out) == text


def test_spec_text_is_escaped_in_both_pages(tmp_path: Path) -> None:
    spec = tmp_path / "evil.yaml"
    spec.write_text(
        "errorsdk: 1\napi: {name: evil, version: 1.0.0, title: 'Evil <b>API</b>'}\n"
        "envelope: {code: code, message: message}\n"
        "errors:\n  - {code: 'a|b`c', status: 400, message: '<script>alert(1)</script> *x* | y',"
        " causes: ['```python'], fixes: ['[link](javascript:x)']}\n",
        "utf-8",
    )
    files = render_docs(build_model(load_spec(spec)))
    html_page, md_page = files["evil.html"], files["evil.md"]
    assert "<script>" not in html_page and "&lt;script&gt;" in html_page
    assert "<b>API" not in html_page
    assert "\\<script\\>" in md_page and "\\*x\\*" in md_page and "\\[link\\]" in md_page
    assert "``a\\|b`c``" in md_page
    assert len(python_blocks(md_page)) == 3


@settings(deadline=None)
@given(st.text(max_size=40))
def test_html_comment_text_never_ends_the_comment(text: str) -> None:
    page = f"<!-- {literals.html_comment(text)} -->\n\n# After\n"
    tokens = MarkdownIt("commonmark").parse(page)
    assert [t.type for t in tokens][:2] == ["html_block", "heading_open"]
    assert tokens[0].content.count("-->") == 1 and tokens[0].content.rstrip().endswith("-->")
    assert " ".join(text.split()).replace("-", "").replace(" ", "") == literals.html_comment(text).replace(
        "-", ""
    ).replace(" ", "")


URL_TEXT = st.text(alphabet=st.sampled_from(list("ab_*`[]<>\\ %|#?=&~!()")), max_size=20)


@settings(deadline=None)
@given(st.sampled_from(["https://example.com/", "http://h/"]), URL_TEXT)
def test_md_url_links_to_the_url_itself(scheme: str, rest: str) -> None:
    url = scheme + rest
    html_out = MarkdownIt("commonmark").render(f"Docs: {literals.md_url(url)}\n")
    links = re.findall(r'href="([^"]*)"', html_out)
    assert len(links) == 1
    import html
    import urllib.parse

    target = html.unescape(links[0])
    # the link's target is the URL, with only what an autolink cannot hold percent-encoded
    assert urllib.parse.unquote(target) == urllib.parse.unquote(
        "".join(literals._percent(c) if c in "<> " or not c.isprintable() else c for c in url)
    )


def test_a_hostile_spec_file_name_and_docs_url_stay_in_their_place(tmp_path: Path) -> None:
    spec = tmp_path / "x--><img src=x onerror=alert(1)>.yaml"
    spec.write_text(
        "errorsdk: 1\napi: {name: evil, version: 1.0.0, title: Evil, docs_url: 'https://h/a_b*c'}\n"
        "envelope: {code: code, message: message}\n"
        "errors:\n  - {code: a_b, status: 400, message: m, docs_url: 'https://h/x_y#z_1'}\n",
        "utf-8",
    )
    files = render_docs(build_model(load_spec(spec)))
    for name in ("evil.md", "evil.html"):
        first = files[name].splitlines()[0 if name.endswith(".md") else 1]
        assert first.startswith("<!-- ") and first.endswith(" -->") and first.count("-->") == 1, first
    rendered = MarkdownIt("commonmark").render(files["evil.md"])
    assert "<img" not in re.sub(r"<!--.*?-->", "", rendered, flags=re.S)  # only inside the comment
    assert 'href="https://h/a_b*c"' in rendered and 'href="https://h/x_y#z_1"' in rendered


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_html_page_in_headless_chromium(tmp_path: Path) -> None:
    api = build_model(load_spec(ROOT / "specs" / "flow_rest.yaml"))
    page = tmp_path / "page.html"
    page.write_text(render_docs(api, ("html",))[f"{api.name}.html"], "utf-8")
    browser = _chromium()
    assert browser is not None
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "<h1>" in dom and "</body>" in dom
    found: list[Any] = re.findall(r'data-class="([A-Za-z0-9_]+)"', dom)
    assert found == [e.class_name for g in build_page(api).groups for e in (x.error for x in g.entries)]
    for err in api.errors:
        if err.code is not None:
            assert f'data-code="{literals.html(err.code)}"' in dom
    assert "http://" not in dom.split("</style>")[0] and "<link" not in dom and "<script" not in dom


def test_rules_and_fallbacks_are_documented() -> None:
    flowlu = build_model(load_spec(ROOT / "specs" / "flowlu.yaml"))
    page = render_docs(flowlu, ("md",))["flowlu.md"]
    assert "- a rule (checked first): status 400 or 403 or 422, method POST, URL path matching `(?i)webhook`" in page
    graphql = build_model(load_spec(ROOT / "specs" / "flow_graphql.yaml"))
    regex = next(r.message for r in graphql.rules if r.message)
    assert regex is not None and "|" in regex
    assert f"message matching {literals.md_code(regex)}" in render_docs(graphql, ("md",))["flow_graphql.md"]


@pytest.mark.parametrize(
    "case, status, body, sentence",
    [
        (
            "slack_ok",
            404,
            b'{"ok": false, "error": "zzz_unknown"}',
            "a response whose code the catalogue does not list",
        ),
        ("problem_json", 418, b"<html>", "a response without a code, under a status no error documents"),
    ],
)
def test_the_page_names_the_class_a_fallback_gives(
    case: str, status: int, body: bytes, sentence: str, import_api: Loader
) -> None:
    """The docs page says which class a fallback that names one gives, and dispatch agrees;
    outside 4xx/5xx the category fallback is UnknownError (not the base class)."""
    checked, module = import_api(ROOT / "tests" / "cases" / f"{case}.yaml")
    api = build_model(checked)
    page = render_docs(api, ("md",))[f"{checked.spec.api.name}.md"]
    text = " ".join(page.split())
    assert f"{sentence} becomes `{api.base_class}`; otherwise," in text
    assert type(module.from_response(status, body, {})).__name__ == api.base_class
    flux, package = import_api(ROOT / "specs" / "flux.yaml")
    page = " ".join(render_docs(build_model(flux), ("md",))["flux.md"].split())
    assert "does not list still becomes an error: the class of its status's category" in page
    assert "a status outside 4xx and 5xx -> `UnknownError`" in page
    assert type(package.from_response(700, b"{}", {})).__name__ == "UnknownError"


def test_reason_phrases_are_rfc_9110_on_every_python() -> None:
    """Python 3.13 renamed four phrases; the docs must not change with the Python that runs errorsdk
    (.ci/run also runs `generate --check` on every other CPython it finds)."""
    from errorsdk.model.docs import reason

    assert [reason(s) for s in (413, 414, 416, 422)] == [
        "Content Too Large",
        "URI Too Long",
        "Range Not Satisfiable",
        "Unprocessable Content",
    ]
    assert (reason(404), reason(429), reason(599)) == ("Not Found", "Too Many Requests", "")


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_the_envelope_table_shows_every_path_a_field_is_read_from(spec: Path) -> None:
    from errorsdk.spec.layout import path_text

    checked = load_spec(spec)
    page = next(text for name, text in render_docs(build_model(checked)).items() if name.endswith(".md"))
    table = page.split("## Error envelope", 1)[1].split("\n## ", 1)[0]
    for field, found in checked.envelope_paths.items():
        row = next((line for line in table.splitlines() if line.startswith(f"| {field} |")), "")
        for path in found:
            shown = path_text(path).replace("|", "\\|")
            assert f"{shown}`" in row, (field, shown, row)  # the end of its own code span
