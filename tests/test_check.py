"""HAR recordings of a real client session -> import -> generate -> `errorsdk check` (zero drift),
drifted recordings reported, `--update` appending only, bad recordings as clear errors."""

from __future__ import annotations

import base64
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.cli import main
from errorsdk.importing.examples import import_examples
from errorsdk.importing.recordings import REDACTED, load, redact_body, redact_url
from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package
from errorsdk.recording_check import append_entries, check
from errorsdk.spec.diagnostics import SpecError

from .conftest import ALL_SPECS, spec_id
from .har import HarRecorder
from .live_server import serve

FLUX_ROUTES = ("/flux/401", "/flux/403", "/flux/404", "/flux/408", "/flux/422", "/flux/500", "/ok")
SECRETS = ("sk-live-0123456789abcdef", "session-cookie-value-42", "topsecret-query-99")


@pytest.fixture(scope="module")
def session_har(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HAR of an httpx session against the live server: secrets in the request headers,
    a cookie and the query string; bodies base64-encoded, as Chrome writes binary ones."""
    path = tmp_path_factory.mktemp("har") / "session.har"
    recorder = HarRecorder(base64_bodies=True)
    headers = {"Authorization": f"Bearer {SECRETS[0]}", "Cookie": f"sid={SECRETS[1]}"}
    with (
        serve() as server,
        httpx.Client(base_url=server.url, headers=headers, event_hooks={"response": [recorder]}) as client,
    ):
        for route in FLUX_ROUTES:
            client.get(route)
        client.get(f"/flux/422?access_token={SECRETS[2]}")
    recorder.save(path)
    assert all(secret in path.read_text() for secret in SECRETS)  # the recording holds them
    return path


def _generate(spec: Path, out: Path) -> Any:
    output = generate_package(spec)
    write_package(out, output)
    sys.path.insert(0, str(out / output.package))
    return importlib.import_module(output.package)


def test_live_har_round_trips_with_zero_drift(
    tmp_path: Path, session_har: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "fluxrec.yaml"
    assert main(["import", "examples", str(session_har), "--api", "fluxrec", "--out", str(spec)]) == 0
    text = spec.read_text()
    assert not any(secret in text for secret in SECRETS)
    assert (tmp_path / "spec.schema.json").is_file() and "$schema=spec.schema.json" in text
    package = _generate(spec, tmp_path / "out")
    capsys.readouterr()
    assert main(["check", str(spec), str(session_har)]) == 0
    out = capsys.readouterr().out
    assert "no drift" in out and "7 catalogue, 0 fallback, 1 no error" in out
    assert not any(secret in out for secret in SECRETS)
    # The reference dispatch check uses gives what the generated package gives, response by response.
    # on the session and on a drifted copy (fallbacks, unknown codes, errors in a 2xx) alike.
    for recording in (session_har, _drifted(session_har, tmp_path)):
        report = check(spec, [recording])
        for record, finding in zip(load(recording), report.findings, strict=True):
            body = json.dumps(record.body) if record.body is not None else None
            error = package.from_response(record.status, body, record.headers, method=record.method, url=record.url)
            assert (type(error).__name__ if error is not None else None) == finding.class_name


def _drifted(session_har: Path, tmp_path: Path) -> Path:
    har = json.loads(session_har.read_text())
    for entry in har["log"]["entries"]:
        resp = entry["response"]
        body = json.loads(base64.b64decode(resp["content"]["text"]))
        if entry["request"]["url"].endswith("/flux/404"):
            body["error_code"] = "NoSuchKey"  # documented as route_not_found, sent as another code
        elif entry["request"]["url"].endswith("/flux/403"):
            resp["status"] = 400  # a known code under a status the catalogue does not give it
        elif entry["request"]["url"].endswith("/flux/422"):
            body["detail"] = [{"field": 7}]  # a detail its (inferred) schema rejects
        elif entry["request"]["url"].endswith("/ok"):
            body = {"error": {"code": "quota", "message": "Quota exceeded"}}  # an error in a 200
        resp["content"]["text"] = base64.b64encode(json.dumps(body).encode()).decode()
    path = tmp_path / "drifted.har"
    path.write_text(json.dumps(har))
    return path


def test_drifted_recording_is_reported_and_fails(
    tmp_path: Path, session_har: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "fluxrec.yaml"
    spec.write_text(import_examples(session_har, "fluxrec"))
    drifted = _drifted(session_har, tmp_path)
    capsys.readouterr()
    assert main(["check", str(spec), str(drifted), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["drift"] is True
    assert report["counts"] == {"unknown_code": 1, "wrong_status": 1, "detail": 1, "error_in_2xx": 1, "missing_path": 0}
    by_url = {r["url"].rsplit("/", 1)[-1]: r for r in report["responses"]}
    assert by_url["404"]["catalogue"] is False and by_url["404"]["class"] == "NotFoundError"
    assert by_url["403"]["drifts"][0]["kind"] == "wrong_status"
    assert main(["check", str(spec), str(drifted)]) == 1
    table = capsys.readouterr().out
    assert "drift: 1 unknown_code, 1 wrong_status, 1 detail, 1 error_in_2xx" in table


def test_missing_documented_path_is_drift(tmp_path: Path, session_har: Path) -> None:
    spec = tmp_path / "s.yaml"
    text = import_examples(session_har, "fluxrec").replace(
        "  detail: detail", "  detail: detail\n  request_id: meta.request_id"
    )
    spec.write_text(text)
    report = check(spec, [session_har])
    assert [kind for kind, _ in report.run_drifts] == ["missing_path"]
    assert "envelope.request_id meta.request_id" in report.run_drifts[0][1]


COMMENTED = """\
# yaml-language-server: $schema=spec.schema.json
# A team's spec, with comments everywhere.
errorsdk: 1
api:
  name: team   # trailing comment
  version: 1.0.0
  title: Team API
envelope:
  code: error_code
  message: message
errors:
  # the first entry
  - code: route_not_found
    status: 404
    message: Route not found   # kept
    description: |
      A block scalar, last line.
  - code: access_denied
    status: 403
    message: Denied
# a comment after the list

retry:
  max_retry_after: 30  # the end
"""


def test_update_appends_entries_and_keeps_every_other_byte(
    tmp_path: Path, session_har: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "team.yaml"
    spec.write_text(COMMENTED)
    drifted = _drifted(session_har, tmp_path)
    assert main(["check", str(spec), str(drifted), "--update"]) == 1
    updated = spec.read_text()
    added = updated.replace(COMMENTED[: COMMENTED.index("# a comment after")], "", 1)
    assert updated.startswith(COMMENTED[: COMMENTED.index("# a comment after")])
    assert added.endswith(COMMENTED[COMMENTED.index("# a comment after") :])
    new = added[: added.index("# a comment after")]
    assert new.count("# TODO: found by `errorsdk check`") == new.count("- code:") >= 4
    assert "- code: NoSuchKey\n    status: 404" in new and "name: access_denied_400" in new
    capsys.readouterr()
    assert main(["check", str(spec), str(drifted)]) == 1  # the detail and the 2xx error remain
    counts = capsys.readouterr().out.splitlines()[-1]
    assert "unknown_code" not in counts and "wrong_status" not in counts


@settings(max_examples=30, deadline=None)
@given(
    codes=st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,12}", fullmatch=True), min_size=1, max_size=4, unique=True),
    messages=st.lists(st.text(min_size=1, max_size=30), min_size=4, max_size=4),
)
def test_appended_entries_always_load_back_and_leave_the_prefix(codes: list[str], messages: list[str]) -> None:
    import yaml

    entries = [{"code": c, "status": 400 + i, "message": m, "seen": 1} for i, (c, m) in enumerate(zip(codes, messages))]
    updated = append_entries(COMMENTED, entries, {"route_not_found"})
    loaded = yaml.safe_load(updated)
    assert loaded["errors"][2:] == [
        {
            "code": e["code"],
            "status": e["status"],
            "message": e["message"],
            **({"name": loaded["errors"][2 + i].get("name")} if "name" in loaded["errors"][2 + i] else {}),
        }
        for i, e in enumerate(entries)
    ]
    assert loaded["retry"] == {"max_retry_after": 30}


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"log": {"entries": [}}', "x.har:1:22: not JSON"),
        ('{"log": {"entries": 3}}', "at /log/entries: 'entries' must be a list"),
        ('{"log": {"entries": [{"response": {"status": "404"}}]}}', "at /log/entries/0/response/status"),
        (
            '{"log": {"entries": [{"response": {"status": 404, "headers": [{"name": 1}]}}]}}',
            "/log/entries/0/response/headers/0",
        ),
        (
            '{"log": {"entries": [{"response": {"status": 404, "content": {"text": "!!", "encoding": "base64"}}}]}}',
            "not base64",
        ),
        ('{"log": {"entries": []}}', "the file holds no response"),
    ],
)
def test_bad_har_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.har"
    path.write_text(content)
    with pytest.raises(SpecError) as exc:
        load(path)
    assert message in str(exc.value)
    out = tmp_path / "spec.yaml"
    assert main(["import", "examples", str(path), "--api", "x", "--out", str(out)]) == 1
    assert not out.exists() and "Traceback" not in capsys.readouterr().err


def test_bad_recording_in_check_is_a_clear_error(
    tmp_path: Path, session_har: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(import_examples(session_har, "fluxrec"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"status": 404}\n{"status": \n')
    before = spec.read_bytes()
    assert main(["check", str(spec), str(bad), "--update"]) == 1
    assert "bad.jsonl:2:" in capsys.readouterr().err and spec.read_bytes() == before


SECRET_KEYS = st.sampled_from(["access_token", "api_key", "password", "client_secret", "sessionId", "X-Auth-Token"])


@settings(max_examples=50, deadline=None)
# A credential in free text is recognised after bearer/basic/token when it has a digit or
# 16 characters; under a secret-named key or header it is redacted whatever it looks like.
@given(
    key=SECRET_KEYS,
    value=st.from_regex(r"(?:[A-Za-z]{0,10}[0-9][A-Za-z0-9]{7,20}|[A-Za-z]{16,30})", fullmatch=True),
    depth=st.integers(0, 3),
)
def test_secrets_in_bodies_and_urls_never_survive(key: str, value: str, depth: int) -> None:
    body: Any = {key: value, "message": f"Bearer {value} was rejected"}
    for _ in range(depth):
        body = {"error": {"details": [body]}}
    assert value not in json.dumps(redact_body(body))
    assert value not in redact_url(f"https://user:{value}@api.test/v1?{key}={value}&page=2")
    assert REDACTED in json.dumps(redact_body(body))
    assert redact_body({"message": "Invalid token provided"}) == {"message": "Invalid token provided"}


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(JSON_VALUES, min_size=1, max_size=6))
def test_an_inferred_schema_accepts_every_value_it_was_inferred_from(values: list[Any]) -> None:
    import jsonschema

    from errorsdk.importing.examples import infer_schema

    schema = infer_schema(values)
    jsonschema.Draft202012Validator.check_schema(schema)
    for value in values:
        jsonschema.validate(value, schema, cls=jsonschema.Draft202012Validator)


RECORDED = st.lists(
    st.tuples(
        st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
        st.integers(400, 599),
        st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), JSON_VALUES, max_size=3),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=25, deadline=None)
@given(records=RECORDED, nested=st.booleans())
def test_what_the_import_proposes_checks_with_zero_drift(
    records: list[tuple[str, int, dict[str, Any]]], nested: bool
) -> None:
    """import examples -> check on the same recordings: never a drift, whatever was recorded."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        lines = []
        for code, status, detail in records:
            error = {"code": code, "message": f"about {code}", "details": detail}
            lines.append(
                json.dumps(
                    {"status": status, "headers": {"x-request-id": "r"}, "body": {"error": error} if nested else error}
                )
            )
        recording = Path(folder) / "r.jsonl"
        recording.write_text("\n".join(lines) + "\n")
        spec = Path(folder) / "s.yaml"
        spec.write_text(import_examples(recording, "prop"))
        report = check(spec, [recording])
        assert not report.drifted, (report.counts(), report.run_drifts, spec.read_text())
        assert all(f.catalogue for f in report.findings)


def test_progress_shows_on_a_terminal_only(capsys: pytest.CaptureFixture[str]) -> None:
    from errorsdk.importing.recordings import with_progress

    assert list(with_progress(range(2000), 2000, "checking", enabled=True)) == list(range(2000))
    assert "checking 2000/2000" in capsys.readouterr().err
    list(with_progress(range(2000), 2000, "checking"))  # stderr is not a TTY under pytest
    assert capsys.readouterr().err == ""


BODIES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {},
        optional={
            "code": JSON_VALUES,
            "message": JSON_VALUES,
            "error_code": JSON_VALUES,
            "error": JSON_VALUES,
            "errors": st.lists(JSON_VALUES, max_size=3),
            "detail": JSON_VALUES,
            "details": JSON_VALUES,
        },
    ),
)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=spec_id)
def test_check_never_raises_on_any_spec_and_response(spec: Path) -> None:
    """Whatever a recording holds, every spec's check reports it (no exception), and the
    table and JSON render."""
    import tempfile

    from errorsdk.recording_check import render_json, render_table

    @settings(max_examples=15, deadline=None)
    @given(st.lists(st.tuples(st.integers(100, 599), BODIES), min_size=1, max_size=6))
    def run(responses: list[tuple[int, Any]]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            recording = Path(folder) / "r.jsonl"
            recording.write_text("".join(json.dumps({"status": s, "body": b}) + "\n" for s, b in responses))
            report = check(spec, [recording])
            assert len(report.findings) == len(responses)
            render_table(report)
            json.loads(render_json(report))

    run()
