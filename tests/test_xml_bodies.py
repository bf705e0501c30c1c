"""`envelope.format: xml`: XML error bodies (issue 18 §1).

The real response shapes of S3 (rest-xml), IAM and STS (query) and Twilio's XML
representation dispatch to their classes (shapes from botocore/parsers.py and the
services' documentation: see the case specs); hostile XML (entity expansion, external
entities, DTDs, deep nesting, huge bodies) and bodies that are not XML fall back to the
status class without raising, the body kept as sent; ``to_response()`` writes XML that
reads back as the same error."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.rendering.runtime import source
from errorsdk.spec.diagnostics import SpecError
from errorsdk.spec.validation import load_spec

from .conftest import CASES, xml_runtime

SPEC = {p.stem: p for p in CASES}


@pytest.fixture(scope="module")
def s3(import_api: Any) -> ModuleType:
    return import_api(SPEC["s3_xml"])[1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def iam(import_api: Any) -> ModuleType:
    return import_api(SPEC["iam_query"])[1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def sts(import_api: Any) -> ModuleType:
    return import_api(SPEC["sts_query"])[1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def ec2(import_api: Any) -> ModuleType:
    return import_api(SPEC["ec2_xml"])[1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def flickr(import_api: Any) -> ModuleType:
    return import_api(SPEC["flickr_xml"])[1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def twilio(import_api: Any) -> ModuleType:
    return import_api(SPEC["twilio_xml"])[1]  # type: ignore[no-any-return]


xml_module = xml_runtime


# --- real shapes --------------------------------------------------------------------

S3_NO_SUCH_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
    b"<Key>a.txt</Key><RequestId>4442587FB7D0A2F9</RequestId>"
    b"<HostId>9Gjjt1m+cjU4OPvX9O9/8RuvnG41MRb/18Oux2o5H5MY7ISNTlXN+Dz9IG62/ILVxhAGI0qyPfg=</HostId></Error>"
)
IAM_NO_SUCH_ENTITY = b"""<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <Error>
    <Type>Sender</Type>
    <Code>NoSuchEntity</Code>
    <Message>The user with name bob cannot be found.</Message>
  </Error>
  <RequestId>0bb8e1c7-0d8d-4a8e-9b6a-2f4ad0c1d7c4</RequestId>
</ErrorResponse>
"""
STS_EXPIRED = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b"<Code>ExpiredTokenException</Code><Message>Token expired: current date/time 1700000000 must be "
    b"before the expiration date/time 1690000000</Message></Error>"
    b"<RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>"
)
TWILIO_NOT_FOUND = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RestException><Code>20404</Code>"
    b"<Message>The requested resource /2010-04-01/Accounts/ACXXX/Calls/CAXXX.xml was not found</Message>"
    b"<MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo><Status>404</Status>"
    b"</RestException></TwilioResponse>"
)


def test_s3_error_root(s3: ModuleType) -> None:
    error = s3.from_response(404, S3_NO_SUCH_KEY, {"Content-Type": "application/xml"})
    assert type(error).__name__ == "NoSuchKeyError"
    assert error.code == "NoSuchKey"
    assert error.message == "The specified key does not exist."
    assert error.request_id == "4442587FB7D0A2F9"
    assert error.raw_detail["Key"] == "a.txt"
    assert error.body == S3_NO_SUCH_KEY


@pytest.mark.parametrize(
    ("status", "code", "name"),
    [
        (404, "NoSuchBucket", "NoSuchBucketError"),
        (403, "AccessDenied", "AccessDeniedError"),
        (403, "SignatureDoesNotMatch", "SignatureDoesNotMatchError"),
        (409, "BucketAlreadyOwnedByYou", "BucketAlreadyOwnedByYouError"),
        (503, "SlowDown", "SlowDownError"),
        (500, "InternalError", "InternalError"),
    ],
)
def test_s3_codes(s3: ModuleType, status: int, code: str, name: str) -> None:
    body = f"<Error><Code>{code}</Code><Message>m</Message><RequestId>R</RequestId></Error>"
    error = s3.from_response(status, body.encode())
    assert type(error).__name__ == name and error.code == code


def test_s3_head_404_has_an_empty_body(s3: ModuleType) -> None:
    """HEAD responses carry no body: the status class, the request id from the header."""
    error = s3.from_response(404, b"", {"x-amz-request-id": "TX1", "x-amz-id-2": "h"}, method="HEAD")
    assert type(error) is s3.NotFoundError
    assert error.code is None and error.request_id == "TX1" and error.body == b""
    assert s3.from_response(403, b"", method="HEAD").__class__ is s3.PermissionDeniedError


def test_iam_query_error(iam: ModuleType) -> None:
    error = iam.from_response(404, IAM_NO_SUCH_ENTITY, {"content-type": "text/xml"})
    assert type(error).__name__ == "NoSuchEntityError"
    assert error.message == "The user with name bob cannot be found."
    assert error.request_id == "0bb8e1c7-0d8d-4a8e-9b6a-2f4ad0c1d7c4"
    assert error.raw_detail == {
        "Type": "Sender",
        "Code": "NoSuchEntity",
        "Message": "The user with name bob cannot be found.",
    }
    throttled = iam.from_response(400, IAM_NO_SUCH_ENTITY.replace(b"NoSuchEntity", b"Throttling"))
    assert type(throttled).__name__ == "ThrottlingError" and throttled.retryable is True


def test_namespace_prefixes_are_ignored(iam: ModuleType) -> None:
    body = (
        b'<aws:ErrorResponse xmlns:aws="https://iam.amazonaws.com/doc/2010-05-08/"><aws:Error>'
        b"<aws:Code>DeleteConflict</aws:Code><aws:Message>m</aws:Message></aws:Error></aws:ErrorResponse>"
    )
    assert type(iam.from_response(409, body)).__name__ == "DeleteConflictError"


def test_sts_query_error(sts: ModuleType) -> None:
    error = sts.from_response(400, STS_EXPIRED)
    assert type(error).__name__ == "ExpiredTokenExceptionError"
    assert error.request_id == "c6104cbe-af31-11e0-8154-cbc7ccf896c7"
    unknown = sts.from_response(400, STS_EXPIRED.replace(b"ExpiredTokenException", b"SomethingNew"))
    assert type(unknown) is sts.BadRequestError and unknown.code == "SomethingNew"


def test_twilio_xml(twilio: ModuleType) -> None:
    error = twilio.from_response(404, TWILIO_NOT_FOUND)
    assert type(error).__name__ == "TwilioNotFoundError" and error.code == 20404
    assert error.raw_detail["MoreInfo"] == "https://www.twilio.com/docs/errors/20404"
    # The status in the body stands in for a missing one.
    assert twilio.from_response(None, TWILIO_NOT_FOUND).status == 404
    limited = twilio.from_response(429, TWILIO_NOT_FOUND.replace(b"20404", b"20429").replace(b">404<", b">429<"))
    assert type(limited).__name__ == "TooManyRequestsError" and limited.retryable is True


EC2_NOT_FOUND = b"""<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Errors>
         <Error>
           <Code>InvalidInstanceID.NotFound</Code>
           <Message>The instance ID 'i-1a2b3c4d' does not exist</Message>
         </Error>
    </Errors>
    <RequestID>ea966190-f9aa-478e-9ede-example</RequestID>
</Response>
"""
EC2_AMI = (
    b"<Error><Code>InvalidAMIID.NotFound</Code><Message>The image id '[ami-0abc]' does not exist</Message></Error>"
)


def test_ec2_a_list_of_one_error(ec2: ModuleType) -> None:
    """EC2's <Errors> holds <Error> elements: one is the error itself (envelope.items)."""
    error = ec2.from_response(400, EC2_NOT_FOUND, {"content-type": "text/xml;charset=UTF-8"})
    assert type(error).__name__ == "InvalidInstanceIDNotFoundError" and error.code == "InvalidInstanceID.NotFound"
    assert error.message == "The instance ID 'i-1a2b3c4d' does not exist"
    assert error.request_id == "ea966190-f9aa-478e-9ede-example" and error.body == EC2_NOT_FOUND
    limited = ec2.from_response(503, EC2_NOT_FOUND.replace(b"InvalidInstanceID.NotFound", b"RequestLimitExceeded"))
    assert type(limited).__name__ == "RequestLimitExceededError" and limited.retryable is True


def test_ec2_several_errors_are_a_group(ec2: ModuleType) -> None:
    body = EC2_NOT_FOUND.replace(b"</Error>", b"</Error>" + EC2_AMI)
    group = ec2.from_response(400, body)
    assert type(group) is ec2.Ec2ErrorGroup
    assert [type(e).__name__ for e in group.exceptions] == [
        "InvalidInstanceIDNotFoundError",
        "InvalidAMIIDNotFoundError",
    ]
    assert group.code == "InvalidInstanceID.NotFound" and group.request_id == "ea966190-f9aa-478e-9ede-example"
    assert all(e.request_id == group.request_id for e in group.exceptions)
    status, headers, written = group.to_response()
    assert written.count(b"<Error>") == 2 and written.startswith(b"<Response><Errors><Error><Code>InvalidInstanceID")
    back = ec2.from_response(status, written, headers)
    assert [type(e) for e in back.exceptions] == [type(e) for e in group.exceptions]
    assert back.to_response() == (status, headers, written)


@pytest.mark.parametrize(
    "body",
    [
        b"<Response><Errors/><RequestID>r</RequestID></Response>",  # no error element
        b"<Response><Errors><Error/></Errors></Response>",  # an empty one reads as text, not an error
        b"<Response><Errors>text</Errors></Response>",
        b"<Response><RequestID>r</RequestID></Response>",
        b"<Other><Errors><Error><Code>AuthFailure</Code></Error></Errors></Other>",  # another root
    ],
)
def test_ec2_without_an_error_element_the_status_decides(ec2: ModuleType, body: bytes) -> None:
    error = ec2.from_response(401, body)
    assert type(error) is ec2.AuthenticationError and error.code is None and error.body == body


def test_ec2_written_is_the_api_shape(ec2: ModuleType) -> None:
    error = ec2.from_response(400, EC2_NOT_FOUND)
    compact = re.sub(rb">\s+<", b"><", EC2_NOT_FOUND.split(b"\n", 1)[1]).strip()
    assert error.to_response()[2] == compact


FLICKR_NOT_FOUND = (
    b'<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="fail">\n\t<err code="1" msg="Photo not found" />\n</rsp>\n'
)


def test_flickr_attributes(flickr: ModuleType) -> None:
    """Flickr answers 200 and says stat="fail"; its code and message are attributes."""
    error = flickr.from_response(200, FLICKR_NOT_FOUND, {"content-type": "text/xml; charset=utf-8"})
    assert type(error) is flickr.PhotoNotFoundError and error.code == 1 and error.message == "Photo not found"
    assert error.status == 200 and isinstance(error, flickr.NotFoundError)
    assert flickr.from_response(200, b'<rsp stat="ok"><photo id="2733" secret="123456"/></rsp>') is None
    key = flickr.from_response(
        200,
        FLICKR_NOT_FOUND.replace(b'"1"', b'"100"').replace(
            b"Photo not found", b"Invalid API Key (Key has invalid format)"
        ),
    )
    assert type(key) is flickr.InvalidApiKeyError and key.message == "Invalid API Key (Key has invalid format)"
    written = error.to_response()
    assert written == (
        200,
        {"content-type": "application/xml"},
        b'<rsp stat="fail"><err code="1" msg="Photo not found"></err></rsp>',
    )
    assert type(flickr.from_response(written[0], written[2], written[1])) is flickr.PhotoNotFoundError
    # Namespaced and odd attributes: a prefix is dropped, xmlns declarations are not read.
    odd = b'<rsp xmlns:x="urn:x" x:stat="fail" xmlns="urn:f"><err code="96" msg="a &amp; &quot;b&quot;"/></rsp>'
    assert flickr.from_response(200, odd).message == 'a & "b"'


def test_attributes_are_read_beside_their_element() -> None:
    xml = xml_module()
    assert xml.parse_body(b'<lfm status="failed"><error code="10">Invalid API key</error></lfm>') == {
        "lfm": {"error": "Invalid API key", "error@code": "10"},
        "lfm@status": "failed",
    }
    repeated = xml.parse_body(b'<a><b x="1">t</b><b x="2">u</b></a>')
    assert repeated == {"a": {"b": ["t", "u"], "b@x": ["1", "2"]}}
    assert xml.parse_body(xml.render_body(repeated)) == repeated
    value = 'q"uo\tte\n<&>\r'
    doc = {"a": {"b": "", "b@v": value}}
    assert xml.parse_body(xml.render_body(doc)) == doc  # white space and quotes survive normalisation
    assert xml.render_body({"a@only": "1"}) == b'<a only="1"></a>'  # an attribute without its element


def test_a_string_body_and_other_encodings(s3: ModuleType, iam: ModuleType) -> None:
    assert type(s3.from_response(404, S3_NO_SUCH_KEY.decode())).__name__ == "NoSuchKeyError"
    latin = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?><Error><Code>NoSuchKey</Code><Message>caf\xe9</Message></Error>'
    )
    assert s3.from_response(404, latin).message == "caf\u00e9"
    wide = IAM_NO_SUCH_ENTITY.decode().encode("utf-16")  # with a byte order mark
    assert type(iam.from_response(404, wide)).__name__ == "NoSuchEntityError"
    assert type(s3.from_response(404, bytearray(S3_NO_SUCH_KEY))).__name__ == "NoSuchKeyError"


# --- hostile and malformed bodies ---------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]><Error><Code>&lol9;</Code><Message>m</Message></Error>"
)
HOSTILE = {
    "billion laughs": BILLION_LAUGHS,
    "quadratic blowup": b'<!DOCTYPE e [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]><Error><Code>'
    + b"&a;" * 1000
    + b"</Code></Error>",
    "external entity (XXE)": b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<Error><Code>&xxe;</Code></Error>",
    "parameter entity": b'<!DOCTYPE e [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><Error><Code>NoSuchKey</Code></Error>',
    "external DTD": b'<!DOCTYPE Error SYSTEM "http://127.0.0.1:9/e.dtd"><Error><Code>NoSuchKey</Code></Error>',
    "internal DTD only": b"<!DOCTYPE Error [<!ELEMENT Error ANY>]><Error><Code>NoSuchKey</Code></Error>",
    "undefined entity": b"<Error><Code>&nope;</Code></Error>",
    "deep nesting": b"<Error>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"<Code>NoSuchKey</Code></Error>",
    "huge body": b"<Error><Code>NoSuchKey</Code><Message>" + b"x" * (5 << 20) + b"</Message></Error>",
    "malformed": b"<Error><Code>NoSuchKey</Message></Error>",
    "truncated": S3_NO_SUCH_KEY[:-20],
    "two roots": b"<Error><Code>NoSuchKey</Code></Error><Error/>",
    "html": b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>",
    "html without doctype": b"<html><body><p>Not Found<br></body></html>",
    "json": b'{"Error": {"Code": "NoSuchKey"}}',
    "text": b"Not Found",
    "binary": bytes(range(256)) * 4,
    "invalid utf-8": b"<Error><Code>NoSuch\xffKey</Code></Error>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_and_malformed_bodies_fall_back_to_the_status_class(s3: ModuleType, name: str) -> None:
    body = HOSTILE[name]
    error = s3.from_response(404, body, {"content-type": "application/xml"})
    assert type(error) is s3.NotFoundError, name  # the status class: nothing read from the body
    assert error.code is None and error.raw_detail is None
    assert error.body == body  # kept as sent: the user can still read it


def test_the_reader_refuses_what_it_does_not_take() -> None:
    xml = xml_module()
    for name, body in HOSTILE.items():
        assert xml.parse_body(body) is None, name
        if name != "invalid utf-8":  # as text it is valid
            assert xml.parse_body(body.decode("latin-1")) is None, name
    depth = xml.MAX_DEPTH
    assert xml.parse_body(b"<a>" * depth + b"x" + b"</a>" * depth) is not None  # the bound itself is read
    assert xml.parse_body(b"<a>" * (depth + 1) + b"</a>" * (depth + 1)) is None


@settings(max_examples=300)
@given(
    st.one_of(st.binary(max_size=300), st.text(max_size=300), st.from_regex(r"\A<[a-z:]{1,5}>.{0,60}", fullmatch=True))
)
def test_any_body_never_raises(body: bytes | str) -> None:
    xml = xml_module()
    doc = xml.parse_body(body)
    assert doc is None or (isinstance(doc, dict) and len([key for key in doc if "@" not in key]) == 1)


# --- to_response() writes XML that reads back ---------------------------------------

_NAMES = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,8}\Z", fullmatch=True)
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40).map(
    lambda t: re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", t)
)
_TREES = st.recursive(_TEXT, lambda inner: st.dictionaries(_NAMES, inner, min_size=1, max_size=4), max_leaves=12)


@settings(max_examples=200)
@given(st.dictionaries(_NAMES, _TREES, min_size=1, max_size=1))
def test_render_then_parse_is_the_identity(doc: dict[str, Any]) -> None:
    xml = xml_module()
    assert xml.parse_body(xml.render_body(doc)) == doc


@settings(max_examples=100)
@given(
    message=_TEXT,
    extra=st.dictionaries(_NAMES.filter(lambda n: n not in ("Code", "Message", "RequestId")), _TEXT, max_size=3),
)
def test_to_response_round_trips(s3: ModuleType, message: str, extra: dict[str, str]) -> None:
    detail = {"Code": "NoSuchKey", "Message": message, **extra, "RequestId": "R1"}
    error = s3.NoSuchKeyError(message, detail=detail, request_id="R1")
    status, headers, body = error.to_response()
    assert headers["content-type"] == "application/xml" and body.startswith(b"<Error>")
    back = s3.from_response(status, body, headers)
    assert type(back) is s3.NoSuchKeyError
    assert (back.message, back.request_id, back.raw_detail) == (message, "R1", detail)
    assert back.to_response() == (status, headers, body)


@pytest.mark.parametrize("name", ["s3", "iam", "sts", "twilio", "ec2", "flickr"])
def test_every_class_round_trips(request: pytest.FixtureRequest, name: str) -> None:
    package = request.getfixturevalue(name)
    assert len(_catalogue_classes(package)) >= 8
    for cls in _catalogue_classes(package):
        status, headers, body = cls().to_response()
        back = package.from_response(status, body, headers)
        assert type(back) is cls, (cls, body)
        assert headers["content-type"] == "application/xml"


def _catalogue_classes(package: ModuleType) -> list[type]:
    errors = sys.modules[f"{package.__name__}.errors"]
    return [
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and getattr(cls, "CODE", None) is not None and cls.__module__ == errors.__name__
    ]


def test_written_xml_is_the_api_shape(twilio: ModuleType, iam: ModuleType) -> None:
    error = twilio.from_response(404, TWILIO_NOT_FOUND)
    assert error.to_response()[2] == TWILIO_NOT_FOUND.split(b"\n", 1)[1]
    written = iam.from_response(404, IAM_NO_SUCH_ENTITY).to_response()[2]
    assert written == re.sub(rb">\s+<", b"><", re.sub(rb' xmlns="[^"]*"', b"", IAM_NO_SUCH_ENTITY)).strip()


# --- the spec -----------------------------------------------------------------------


def _spec(tmp_path: Path, envelope: str, extra: str = "") -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "errorsdk: 1\napi: {name: x, version: 1.0.0, title: X" + extra + "}\n"
        f"envelope:\n  format: xml\n{envelope}"
        "errors:\n  - {code: A, status: 404, message: m}\n"
    )
    return path


@pytest.mark.parametrize(
    ("envelope", "extra", "expected"),
    [
        ("  code: Error.Code[0]\n", "", r"spec.yaml:5:3: 'Error.Code\[0\]': an XML path names elements"),
        ("  code: $\n", "", r"spec.yaml:5:3: '\$': an XML path names elements"),
        (
            "  code: Error.Code\n  message: Other.Message\n",
            "",
            r"spec.yaml:6:3: 'Other.Message' starts at element 'Other', but code's path starts at 'Error'",
        ),
        ("  code: Error['a b']\n", "", r"spec.yaml:5:3: .*'a b' is not an XML element name"),
        (
            "  code: Error.@code.x\n",
            "",
            r"spec.yaml:5:3: 'Error.@code.x': an attribute is the last step, after the element that has it",
        ),
        ("  code: '[\"@code\"]'\n", "", r"spec.yaml:5:3: '\[\"@code\"\]': an attribute is the last step"),
        (
            "  code: Error.Code\n  error_flag: {path: Error.@ok, equals: false}\n",
            "",
            r"spec.yaml:6:\d+: error_flag.equals False: an XML document holds text",
        ),
        (
            "  code: Error.Code\n  data: Error.Data\n",
            "",
            r"spec.yaml:6:3: envelope.data is not available with format: xml",
        ),
        (
            "  items: Response.Errors.Error\n  code: Code\n  request_id: Other.RequestID\n",
            "",
            r"spec.yaml:7:3: 'Other.RequestID' starts at element 'Other', but items's path starts at 'Response'",
        ),
        (
            "  code: Error.Code\n",
            ", json_parser: orjson",
            r"spec.yaml:2:\d+: json_parser does not apply to format: xml",
        ),
    ],
)
def test_misuse_is_reported_with_its_position(tmp_path: Path, envelope: str, extra: str, expected: str) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(_spec(tmp_path, envelope, extra))
    assert re.search(expected, str(info.value)), str(info.value)


def test_only_xml_packages_have_the_xml_reader(import_api: Any, s3: ModuleType) -> None:
    package = import_api(SPEC["header_code"])[1]
    assert not (Path(package.__file__).parent / "_xml.py").exists()
    assert (Path(s3.__file__).parent / "_xml.py").read_text().endswith(source("_xml.py"))


def test_an_unknown_format_is_reported(tmp_path: Path) -> None:
    path = _spec(tmp_path, "  code: Error.Code\n")
    path.write_text(path.read_text().replace("format: xml", "format: yaml"))
    with pytest.raises(SpecError, match=r"spec.yaml:4:\d+: .*'json' or 'xml'"):
        load_spec(path)


def test_changing_the_format_is_breaking(tmp_path: Path) -> None:
    from errorsdk.output import spec_diff

    new = _spec(tmp_path, "  code: Error.Code\n")
    old = tmp_path / "old.yaml"
    old.write_text(new.read_text().replace("  format: xml\n", ""))
    changes = spec_diff.diff(load_spec(old), load_spec(new))
    assert any(c.kind == "breaking" and "envelope.format changed: json -> xml" in c.text for c in changes)


def test_an_xml_example_is_a_mapping(tmp_path: Path) -> None:
    path = _spec(tmp_path, "  code: Error.Code\n")
    path.write_text(path.read_text().replace("message: m}", 'message: m, example: "<Error><Code>A</Code></Error>"}'))
    with pytest.raises(SpecError, match=r"spec.yaml:7:\d+: an example of an XML API is its document as a mapping"):
        load_spec(path)
    path.write_text(path.read_text().replace('"<Error><Code>A</Code></Error>"', "{Error: {Code: A}}"))
    assert load_spec(path).spec.errors[0].example == {"Error": {"Code": "A"}}


_ATTRIBUTE_DOCS = st.dictionaries(
    _NAMES,
    st.dictionaries(
        st.one_of(_NAMES, st.tuples(_NAMES, _NAMES).map(lambda t: f"{t[0]}@{t[1]}")), _TEXT, min_size=1, max_size=5
    ),
    min_size=1,
    max_size=1,
)


@settings(max_examples=200)
@given(_ATTRIBUTE_DOCS, st.dictionaries(_NAMES, _TEXT, max_size=2))
def test_attributes_round_trip(doc: dict[str, Any], root: dict[str, str]) -> None:
    xml = xml_module()
    ((name, members),) = doc.items()
    doc = {name: members, **{f"{name}@{key}": value for key, value in root.items()}}
    # What reads back: each attribute beside its element, which is there ("" when only its attributes were).
    expected: dict[str, Any] = {}
    for key, value in members.items():
        element = key.partition("@")[0]
        if "@" in key:
            expected.setdefault(element, members.get(element, ""))
        expected[key] = value
    back = xml.parse_body(xml.render_body(doc))
    assert back is not None and back[name] == expected
    assert {k: v for k, v in back.items() if k != name} == {k: v for k, v in doc.items() if k != name}


_PIECES = st.sampled_from(
    [
        "<a>",
        "</a>",
        "<b x='1'>",
        "</b>",
        "<c/>",
        "text",
        " ",
        "\n",
        "&amp;",
        "&#13;",
        "<!--c-->",
        "<?pi x?>",
        "<![CDATA[<z>]]>",
        "<p:d xmlns:p='u' p:k='v'>",
        "</p:d>",
        "\r\n",
        "\u00e9",
    ]
)


@settings(max_examples=300)
@given(
    st.one_of(
        _ATTRIBUTE_DOCS.map(lambda d: xml_module().render_body(d)),
        st.lists(_PIECES, max_size=30).map(lambda p: "".join(p).encode()),
    )
)
def test_the_tree_reader_reads_as_the_event_reader(body: bytes) -> None:
    """The reader through xml.etree's C tree builder (fast) gives exactly what the
    reader of expat's events (no recursion, the fallback) gives, or both refuse."""
    xml = xml_module()

    def read(reader: Any) -> Any:
        try:
            return reader(body, None)
        except Exception as exc:  # noqa: BLE001 - malformed: both must refuse
            return type(exc)

    fast, events = read(xml._read), read(xml._read_events)
    assert fast == events or (isinstance(fast, type) and isinstance(events, type))


def test_deep_documents_are_read_without_recursion() -> None:
    xml = xml_module()
    depth = xml.MAX_DEPTH
    body = b"<a>" * depth + b"x" + b"</a>" * depth  # deeper than the recursion limit: the event reader
    doc = xml.parse_body(body)
    for _ in range(depth - 1):
        doc = doc["a"]
    assert doc == {"a": "x"}
