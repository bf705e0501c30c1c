"""Runtime dispatch: (status, headers, body bytes) -> exception instance, per call.

Each case runs through the generated package, a hand-written floor (json.loads, one
dict lookup, a plain Exception subclass) and three peers that do this job at
runtime. The XML cases (``envelope.format: xml``, packages of tests/cases) have their
own floor (xml.etree's parse, one element lookup, one dict lookup) and peer: botocore's
own XML error parsing (RestXMLParser for rest-xml, QueryParser for query) and its
exception factory. Peers need a response object first: its construction is timed on its own,
and their dispatch is timed on a response built beforehand (caches it keeps, such
as httpx's decoded text, are dropped before each call), so their dispatch figure
is comparable with ours (which takes the raw parts); both are reported.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .timing import Budget, Row, fmt_ratio, fmt_time, interleaved, median, paired_ratio, ratio_quartiles, verdict

ROOT = Path(__file__).resolve().parent.parent
FLOOR_TARGET = 1.3
URL = "https://api.example.com/v1/things/42"
HEADERS = {"content-type": "application/json", "x-request-id": "req-8f2c1d"}
HTML_HEADERS = {"content-type": "text/html"}


@dataclass(frozen=True)
class Case:
    """One response to dispatch, and the generated package that handles it."""

    name: str
    package: str
    status: int
    body: bytes
    headers: dict[str, str]
    xml: str | None = None  # the AWS protocol of an XML case (rest-xml, query): its own floor and peer
    floor_reads: Callable[[dict[str, Any]], tuple[object, ...]] | None = None
    """How the floor reads an error object: (code, message, what else dispatch reads), where
    the case's envelope keeps them (None: top-level ``code`` and ``message``)."""


def _megabyte_body() -> bytes:
    entry = {"field": "where.$.all_of[0].status__eq", "message": "Invalid operator " + "x" * 40}
    count = 1_000_000 // len(json.dumps(entry))
    detail = [dict(entry, field=f"items[{i}].status__eq") for i in range(count)]
    doc = {"message": "Validation error", "error_code": "validation_error", "detail": detail}
    return json.dumps(doc).encode()


def _nested_reads(doc: dict[str, Any]) -> tuple[object, ...]:
    """Google's ``{"error": {"code": 404, "reason": ..., "message": ...}}`` (flow_rest): the
    reason is the code, the inner code the status."""
    inner = doc.get("error")
    if type(inner) is not dict:
        return None, None
    return inner.get("reason"), inner.get("message"), inner.get("code")


def _flux_reads(doc: dict[str, Any]) -> tuple[object, ...]:
    """flux's ``{"message": ..., "error_code": ..., "detail": [...]}``."""
    return doc.get("error_code"), doc.get("message"), doc.get("detail")


def _graphql_reads(item: dict[str, Any]) -> tuple[object, ...]:
    """A GraphQL error: the code in ``extensions``, which is the detail too."""
    extensions = item.get("extensions")
    code = extensions.get("code") if type(extensions) is dict else None
    return code, item.get("message"), extensions


def _stripe_reads(doc: dict[str, Any]) -> tuple[object, ...]:
    """Stripe's ``{"error": {...}}``: code, message, decline code (the sub-code) and type."""
    inner = doc.get("error")
    if type(inner) is not dict:
        return None, None
    return inner.get("code"), inner.get("message"), inner.get("decline_code"), inner.get("type")


def cases(quick: bool = False) -> list[Case]:
    graphql = {
        "errors": [
            {"message": f"Field 'f{i}' is not defined", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
            for i in range(3)
        ],
        "data": None,
    }
    validation = json.dumps(
        {
            "message": "Validation error",
            "error_code": "validation_error",
            "detail": [{"field": "where.$.all_of[0].status__eq", "message": "Invalid operator"}],
        }
    ).encode()
    html = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
    return [
        Case(
            "flat code",
            "cliquify_errors",
            401,
            json.dumps({"code": "invalid_access_token", "message": "Access token is invalid"}).encode(),
            HEADERS,
        ),
        Case(
            "nested status+reason",
            "flow_rest_errors",
            404,
            json.dumps({"error": {"code": 404, "reason": "not_found", "message": "Resource not found"}}).encode(),
            HEADERS,
            floor_reads=_nested_reads,
        ),
        Case(
            "GraphQL, 3 errors",
            "flow_graphql_errors",
            200,
            json.dumps(graphql).encode(),
            HEADERS,
            floor_reads=_graphql_reads,
        ),
        Case("validation + detail", "flux_errors", 422, validation, HEADERS, floor_reads=_flux_reads),
        Case(
            "unknown code",
            "cliquify_errors",
            400,
            json.dumps({"code": "no_such_code_anywhere", "message": "Something odd"}).encode(),
            HEADERS,
        ),
        # issue 18 sections 2, 3: Stripe's type, code and decline code (tests/cases/stripe.yaml)
        Case(
            "Stripe decline (type, code, sub-code)",
            "stripe_case_errors",
            402,
            json.dumps(
                {
                    "error": {
                        "type": "card_error",
                        "code": "card_declined",
                        "decline_code": "insufficient_funds",
                        "message": "Your card has insufficient funds.",
                        "param": "",
                        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                    }
                }
            ).encode(),
            HEADERS,
            floor_reads=_stripe_reads,
        ),
        Case("HTML 502", "flow_rest_errors", 502, html, HTML_HEADERS),
        # What telling other encodings apart costs: a byte order mark (IIS, .NET), and UTF-16.
        Case(
            "validation, UTF-8 BOM", "flux_errors", 422, b"\xef\xbb\xbf" + validation, HEADERS, floor_reads=_flux_reads
        ),
        Case(
            "validation, UTF-16",
            "flux_errors",
            422,
            validation.decode().encode("utf-16"),
            HEADERS,
            floor_reads=_flux_reads,
        ),
        Case("1 MB body", "flux_errors", 422, _megabyte_body(), HEADERS, floor_reads=_flux_reads),
        *XML_CASES,
    ]


XML_CASES = (
    Case(
        "XML, S3 (rest-xml)",
        "s3_xml_errors",
        404,
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does '
        b"not exist.</Message><Key>a.txt</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>9Gjjt1m+cjU4OPvX9O9"
        b"/8RuvnG41MRb/18Oux2o5H5MY7ISNTlXN+Dz9IG62/ILVxhAGI0qyPfg=</HostId></Error>",
        {"content-type": "application/xml", "x-amz-request-id": "4442587FB7D0A2F9"},
        xml="rest-xml",
    ),
    Case(
        "XML, IAM (query)",
        "iam_query_errors",
        404,
        b'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
        b"<Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message></Error>"
        b"<RequestId>0bb8e1c7-0d8d-4a8e-9b6a-2f4ad0c1d7c4</RequestId></ErrorResponse>",
        {"content-type": "text/xml", "x-amzn-requestid": "0bb8e1c7-0d8d-4a8e-9b6a-2f4ad0c1d7c4"},
        xml="query",
    ),
)
"""XML error bodies: their packages are generated from tests/cases (s3_xml, iam_query; stripe too)."""


# --- the floor --------------------------------------------------------------------


class FloorError(Exception):
    """The least an error class can be."""


class FloorNotFound(FloorError):
    pass


FLOOR_TABLE: dict[object, type[FloorError]] = {"not_found": FloorNotFound, "validation_error": FloorNotFound}


def bare_floor(status: int, body: bytes) -> FloorError:
    """The floor before it kept what the package's error holds (reported beside it):
    json.loads, one dict lookup, a plain Exception subclass holding the document."""
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    cls = FLOOR_TABLE.get(doc.get("code") if type(doc) is dict else None, FloorError)
    return cls(status, doc)


def _floor_error(
    status: int, doc: object, headers: dict[str, str], body: bytes, reads: Callable[..., tuple[object, ...]] | None
) -> FloorError:
    if type(doc) is not dict:
        return FloorError(status, None, None, headers, body)
    if reads is None:  # written out: the flat case pays no call
        code, message = doc.get("code"), doc.get("message")
        return FLOOR_TABLE.get(code, FloorError)(status, code, message, headers, body)
    code, message, *rest = reads(doc)
    return FLOOR_TABLE.get(code, FloorError)(status, code, message, headers, body, *rest)


def floor(
    status: int, body: bytes, headers: dict[str, str], reads: Callable[..., tuple[object, ...]] | None = None
) -> BaseException:
    """Hand-written minimal dispatch that gives what the package's error holds: json.loads,
    one dict lookup per error, a plain Exception subclass keeping status, code, message,
    the headers (a copy: a response object may be reused) and the body; a body with a
    list of errors (GraphQL's ``errors``) gives an ExceptionGroup of one per error, as the
    package does. ``reads`` (the case's ``floor_reads``) reads the fields where the case's
    envelope keeps them (nested codes, a sub-code and type, GraphQL's extensions), and the
    error keeps what else it reads. Not done (the package does): header names lower-cased
    and secrets redacted, codes coerced, the message checked for text, the request id,
    the retry advice."""
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    kept = dict(headers)
    items = doc.get("errors") if type(doc) is dict else None
    if type(items) is list and len(items) > 1:
        return ExceptionGroup(f"{len(items)} errors", [_floor_error(status, item, kept, body, reads) for item in items])
    return _floor_error(status, items[0] if items else doc, kept, body, reads)


XML_FLOOR_TABLE: dict[object, type[FloorError]] = {"NoSuchKey": FloorNotFound, "NoSuchEntity": FloorNotFound}


def xml_floor(status: int, body: bytes, headers: dict[str, str]) -> FloorError:
    """The XML floor: xml.etree's parse, the first Code and Message elements' text (one
    pass), one dict lookup, and the error keeps what the JSON floor's does (status, code, message,
    a copy of the headers, the body). No protection against hostile XML: the least that
    reads the error."""
    kept = dict(headers)
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return FloorError(status, None, None, kept, body)
    code = message = None
    for element in root.iter():  # one pass: the first of each, in any namespace
        tag = element.tag.rpartition("}")[2]
        if tag == "Code" and code is None:
            code = element.text
        elif tag == "Message" and message is None:
            message = element.text
    return XML_FLOOR_TABLE.get(code, FloorError)(status, code, message, kept, body)


# --- peers: build the response object, then dispatch --------------------------------


@dataclass(frozen=True)
class Peer:
    """A library that turns a response into an exception: how to build its response, how to dispatch."""

    name: str
    build: Callable[[Case], Any]
    dispatch: Callable[[Any], object]


def _google() -> Peer:
    import requests
    from google.api_core import exceptions
    from requests.structures import CaseInsensitiveDict
    from requests.utils import get_encoding_from_headers

    request = requests.Request("GET", URL).prepare()

    def build(case: Case) -> Any:
        response = requests.Response()
        response.status_code = case.status
        response._content = case.body
        response.headers = CaseInsensitiveDict(case.headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.request = request
        response.url = URL
        return response

    return Peer("google-api-core", build, exceptions.from_http_response)


def _openai() -> Peer:
    import openai

    http = sys.modules.get("httpx2") or importlib.import_module("httpx")  # the httpx openai builds on
    client = openai.OpenAI(api_key="sk-bench", base_url="http://localhost:1/v1")
    request = http.Request("GET", URL)

    def build(case: Case) -> Any:
        return http.Response(case.status, headers=case.headers, content=case.body, request=request)

    make = client._make_status_error_from_response

    def dispatch(response: Any) -> object:
        vars(response).pop("_text", None)  # the decoded text is cached: decode it again, as a new response would
        return make(response)

    return Peer("openai-python", build, dispatch)


def _botocore() -> Peer:
    import botocore.session
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser

    session = botocore.session.get_session()
    client = session.create_client(
        "dynamodb", region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench"
    )
    parser = create_parser("json")
    factory = client.exceptions

    def build(case: Case) -> Any:
        return {"status_code": case.status, "headers": HeadersDict(case.headers), "body": case.body}

    def dispatch(response: Any) -> object:
        parsed = parser.parse(response, None)
        info = parsed.get("Error", {})
        error_class = factory.from_code(info.get("QueryErrorCode") or info.get("Code"))
        return error_class(parsed, "GetItem")

    return Peer("botocore", build, dispatch)


def _botocore_xml(protocol: str) -> Peer:
    """botocore's own XML error parsing (the protocol's parser), then its exception factory."""
    import botocore.session
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser

    service = {"rest-xml": "s3", "query": "iam"}[protocol]
    session = botocore.session.get_session()
    client = session.create_client(
        service, region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench"
    )
    parser = create_parser(protocol)
    factory = client.exceptions
    operation = {"rest-xml": "GetObject", "query": "GetUser"}[protocol]

    def build(case: Case) -> Any:
        return {"status_code": case.status, "headers": HeadersDict(case.headers), "body": case.body}

    def dispatch(response: Any) -> object:
        parsed = parser.parse(response, None)
        error_class = factory.from_code(parsed.get("Error", {}).get("Code"))
        return error_class(parsed, operation)

    return Peer(f"botocore ({protocol})", build, dispatch)


def case_peers(case: Case, found: list[Peer]) -> list[Peer]:
    """The peers of ``case``: botocore's XML parser for an XML case, else the JSON peers."""
    if case.xml is None:
        return found
    try:
        return [_botocore_xml(case.xml)]
    except ImportError:
        return []


def peers() -> tuple[list[Peer], list[str]]:
    """The peers that are installed, and a note for each that is not (the ``bench`` extra)."""
    found: list[Peer] = []
    missing: list[str] = []
    for make in (_google, _openai, _botocore):
        try:
            found.append(make())
        except ImportError as exc:
            missing.append(f"{make.__name__.strip('_')}: not installed ({exc.name}); pip install '.[bench]'")
    return found, missing


def _package(name: str, generated: Path) -> Any:
    if not (generated / name).is_dir():  # a case spec's package (the XML cases)
        generated = ROOT / "tests" / "golden"
    folder = str(generated / name)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


ORJSON_SUFFIX = "_orjson"


def orjson_twins(packages: Iterable[str], folder: Path) -> tuple[dict[str, Any], str | None]:
    """Each bundled package generated again with ``api.json_parser: orjson`` (as
    ``<package>_orjson``, imported): {package: twin module}, or a note why there are none."""
    from errorsdk.output.write import write_package
    from errorsdk.pipeline import find_specs, generate_package
    from errorsdk.spec.validation import load_spec

    wanted = set(packages)
    twins: dict[str, Any] = {}
    for spec in find_specs(ROOT / "specs"):
        package = load_spec(spec).package
        if package not in wanted:
            continue
        doc = yaml.safe_load(spec.read_text("utf-8"))
        doc["api"].update(package=package + ORJSON_SUFFIX, json_parser="orjson")
        variant = folder / spec.name
        variant.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
        write_package(folder / "out", generate_package(variant))
        twins[package] = _package(package + ORJSON_SUFFIX, folder / "out")
    if any(importlib.import_module(f"{t.__name__}._json")._FAST_LOADS is None for t in twins.values()):
        return {}, "errorsdk with json_parser: orjson: orjson is missing or too old; pip install '.[bench]'"
    return twins, None


def _targets(
    ours: list[float], base: list[float], rounds: dict[str, list[float]], found: list[Peer]
) -> tuple[float, str]:
    """The ratio to the floor, and the verdicts: within 1.3x the floor, faster than every peer."""
    ratio = paired_ratio(ours, base)
    target = verdict(ratio <= FLOOR_TARGET, f"<= {FLOOR_TARGET}x floor")
    if found:
        fastest = [min(per_round) for per_round in zip(*(rounds[f"{p.name} dispatch"] for p in found))]
        versus = paired_ratio(ours, fastest)
        low, high = ratio_quartiles(ours, fastest)
        noise = f", a tie: rounds {low:.2f}-{high:.2f}x" if low < 1.0 < high else ""
        target += f"; {verdict(versus < 1.0, f'{versus:.2f}x fastest peer{noise}')}"
    return ratio, target


def run(budget: Budget, generated: Path = ROOT / "generated", only: Iterable[str] | None = None) -> list[Row]:
    """Time every case; one row per (case, subject).

    The floor, errorsdk and every peer take turns round by round (``interleaved``);
    each ratio is the median of the per-round ratios to the floor. Beside the
    bundled package (json parses), its twin with ``api.json_parser: orjson``.
    ``only``: the names of the cases to run (default: all).
    """
    with tempfile.TemporaryDirectory(prefix="bench-orjson-") as scratch:
        return _run(budget, generated, Path(scratch), None if only is None else set(only))


def _run(budget: Budget, generated: Path, scratch: Path, only: set[str] | None = None) -> list[Row]:
    rows: list[Row] = []
    found, missing = peers()
    chosen = [c for c in cases(budget.quick) if only is None or c.name in only]
    twins, twin_note = orjson_twins({c.package for c in chosen}, scratch)
    if twin_note:
        missing.append(twin_note)
    for case in chosen:
        module = _package(case.package, generated)
        from_response = module.from_response
        status, body, headers, reads = case.status, case.body, case.headers, case.floor_reads
        sample = from_response(status, body, headers)
        assert sample is not None
        subjects: dict[str, Callable[[], object]] = {
            "floor": (
                (lambda: floor(status, body, headers, reads))
                if case.xml is None
                else (lambda: xml_floor(status, body, headers))
            ),
            "ours": lambda: from_response(status, body, headers),
        }
        if case.xml is None:
            subjects["bare floor"] = lambda: bare_floor(status, body)
        twin = twins.get(case.package)
        if twin is not None:
            assert type(twin.from_response(status, body, headers)).__name__ == type(sample).__name__
            twin_dispatch: Callable[..., object] = twin.from_response
            subjects["ours, orjson"] = lambda: twin_dispatch(status, body, headers)
        # Where the rules' answers are memoised (classify), also time a response never seen.
        memo: dict[Any, Any] | None = getattr(importlib.import_module(f"{case.package}._dispatch"), "_CLASSIFIED", None)
        if memo is not None:
            subjects["ours, cold"] = lambda m=memo: (m.clear(), from_response(status, body, headers))
        able: list[Peer] = []  # the peers that read this response at all
        for peer in case_peers(case, found):
            response = peer.build(case)
            try:
                peer.dispatch(response)
            except Exception as exc:  # noqa: BLE001 - such as botocore on a UTF-16 body
                rows.append(Row("dispatch", case.name, f"{peer.name}: fails ({type(exc).__name__})", "", ""))
                continue
            able.append(peer)
            subjects[f"{peer.name} dispatch"] = lambda d=peer.dispatch, r=response: d(r)
            subjects[f"{peer.name} response object"] = lambda b=peer.build: b(case)
        rounds = interleaved(subjects, budget)
        base = rounds["floor"]
        section = "dispatch"
        rows.append(Row(section, case.name, "floor (hand-written)", fmt_time(median(base)), "1.00x"))
        if "bare floor" in rounds:
            bare = rounds["bare floor"]
            rows.append(
                Row(
                    section,
                    case.name,
                    "the previous floor (no headers kept, one error per body)",
                    fmt_time(median(bare)),
                    fmt_ratio(paired_ratio(bare, base)),
                    f"errorsdk against it: {fmt_ratio(paired_ratio(rounds['ours'], bare))}",
                )
            )
        for peer in able:
            for what in ("dispatch", "response object"):
                times = rounds[f"{peer.name} {what}"]
                rows.append(
                    Row(
                        section,
                        case.name,
                        f"{peer.name} {what}",
                        fmt_time(median(times)),
                        fmt_ratio(paired_ratio(times, base)),
                    )
                )
        ours = rounds["ours"]
        ratio, target = _targets(ours, base, rounds, able)
        rows.append(
            Row(section, case.name, f"errorsdk ({case.package})", fmt_time(median(ours)), fmt_ratio(ratio), target)
        )
        if twin is not None:
            fast = rounds["ours, orjson"]
            ratio, target = _targets(fast, base, rounds, able)
            rows.append(
                Row(
                    section,
                    case.name,
                    f"errorsdk ({case.package}), json_parser: orjson",
                    fmt_time(median(fast)),
                    fmt_ratio(ratio),
                    target,
                )
            )
        if memo is not None:
            cold = rounds["ours, cold"]
            rows.append(
                Row(
                    section,
                    case.name,
                    "errorsdk, classify's memo cleared before each call",
                    fmt_time(median(cold)),
                    fmt_ratio(paired_ratio(cold, base)),
                    "(no target: messages never seen before)",
                )
            )
    for line in missing:
        rows.append(Row("dispatch", "peers", line, "", ""))
    return rows


# --- before/after: one change's cost, in one process ------------------------------------


def _renamed(package: str, generated: Path, scratch: Path, suffix: str) -> None:
    """``generated/<package>/<package>`` copied as ``scratch/<suffix>/<package><suffix>`` (its
    modules import each other relatively: the copy is the same code under a new name)."""
    import shutil

    if not (generated / package).is_dir():  # a case spec's package (the XML cases): that checkout's goldens
        generated = generated.parent / "tests" / "golden"
    shutil.copytree(generated / package / package, scratch / suffix / f"{package}{suffix}")


def against(before: Path, budget: Budget, after: Path = ROOT / "generated") -> list[Row]:
    """Each case dispatched by the packages of ``before`` (a ``generated/`` folder of another
    checkout) and of ``after``, taking turns round by round in one process: the median
    per-round ratio after/before, and its quartiles (a change that costs nothing shows
    about 1.00x, the quartiles either side of it)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-against-") as folder:
        scratch = Path(folder)
        for suffix in ("_before", "_after"):
            (scratch / suffix).mkdir()
            sys.path.insert(0, str(scratch / suffix))
        loaded: dict[tuple[str, str], Any] = {}
        for case in cases(budget.quick):
            for suffix, generated in (("_before", before), ("_after", after)):
                if (case.package, suffix) not in loaded:
                    _renamed(case.package, generated, scratch, suffix)
                    loaded[case.package, suffix] = importlib.import_module(case.package + suffix).from_response
            old, new = loaded[case.package, "_before"], loaded[case.package, "_after"]
            status, body, headers = case.status, case.body, case.headers
            assert type(old(status, body, headers)).__name__ == type(new(status, body, headers)).__name__
            rounds = interleaved(
                {"before": lambda: old(status, body, headers), "after": lambda: new(status, body, headers)}, budget
            )
            low, high = ratio_quartiles(rounds["after"], rounds["before"])
            rows.append(
                Row(
                    "dispatch, before/after",
                    case.name,
                    f"{case.package}: {fmt_time(median(rounds['before']))} -> {fmt_time(median(rounds['after']))}",
                    "",
                    fmt_ratio(paired_ratio(rounds["after"], rounds["before"])),
                    f"rounds {low:.2f}-{high:.2f}x",
                )
            )
        for suffix in ("_before", "_after"):
            sys.path.remove(str(scratch / suffix))
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.dispatch --against OTHER/generated [--quick]``: the dispatch cost
    of this checkout's packages against another checkout's, same process, round by round."""
    import argparse

    from .report import table
    from .timing import FULL, QUICK

    parser = argparse.ArgumentParser(prog="python -m bench.dispatch", description=main.__doc__)
    parser.add_argument("--against", type=Path, required=True, help="the generated/ folder to compare with")
    parser.add_argument("--quick", action="store_true", help="few rounds, the small cases")
    args = parser.parse_args(argv)
    print(table(against(args.against, QUICK if args.quick else FULL)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
