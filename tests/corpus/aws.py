"""AWS service models shipped in botocore (``botocore/data/<service>/<version>/service-2.json.gz``) -> specs.

Every exception shape of a service becomes an entry:

- ``code``: ``error.code`` when the shape has one, else the shape name: what botocore's
  exception factory matches (``shape.error_code``);
- ``status``: ``error.httpStatusCode``, else Smithy's default for the fault side: 500 for a
  shape marked ``fault`` (a server error), 400 otherwise;
- ``retryable``: the shape's ``retryable`` trait (``{"throttling": true}`` is also the
  ``rate_limited`` category);
- ``message`` / ``description``: the shape's documentation, HTML stripped.

The envelope is the one botocore's parser reads for the protocol (botocore/parsers.py):

- ``json`` (and the ``smithy-rpc-v2-cbor`` services that also list ``json``): the code in
  ``__type``, as ``aws.namespace#Name`` or ``Name:http://...``; the message in ``message`` or
  ``Message``. Query-compatible services (``awsQueryCompatible``) put their query code in the
  ``x-amzn-query-error`` header as ``Code;Sender``, and botocore prefers it.
- ``rest-json``: the code in the ``x-amzn-errortype`` header, else ``code``/``Code`` in the
  body, else ``__type``, with the same prefix/suffix stripped.
- ``query``, ``ec2``, ``rest-xml``: XML bodies. errorsdk has no XML envelope yet, so these
  services are listed as unsupported catalogues (counted, never generated).
"""

from __future__ import annotations

import gzip
import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import botocore

DATA = Path(botocore.__file__).parent / "data"

# Protocols errorsdk can read, in the order they are preferred.
JSON_PROTOCOLS = ("json", "rest-json")
XML_PROTOCOLS = ("query", "ec2", "rest-xml")
# botocore: `code.split(':', 1)[0]` then `rsplit('#', 1)[-1]`; the query header is `Code;Sender`.
NORMALIZE = r"^(?:[^#:;]*#)?([^:;]*)"


def service_models() -> dict[str, Path]:
    """Each service's newest ``service-2.json.gz`` (some old API versions ship none)."""
    found: dict[str, Path] = {}
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        for version in sorted((v for v in folder.iterdir() if v.is_dir()), reverse=True):
            model = version / "service-2.json.gz"
            if model.is_file():
                found[folder.name] = model
                break
    return found


@cache
def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return data


def protocol(model: dict[str, Any]) -> str | None:
    """The JSON protocol errorsdk reads for this service, or None (XML or CBOR only)."""
    meta = model["metadata"]
    offered = list(meta.get("protocols") or [meta["protocol"]])
    for name in offered:
        if name in JSON_PROTOCOLS:
            return str(name)
    return None


def exception_shapes(model: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, shape) for name, shape in model["shapes"].items() if shape.get("exception")]


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain(doc: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", doc))).strip()


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence[:200].rstrip()


def humanize(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).split()
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else name


def entry(name: str, shape: dict[str, Any]) -> dict[str, Any]:
    error = shape.get("error", {})
    doc = plain(shape.get("documentation", ""))
    status = error.get("httpStatusCode") or (500 if shape.get("fault") else 400)
    out: dict[str, Any] = {"code": error.get("code", name), "status": status}
    throttling = bool(shape.get("retryable", {}).get("throttling"))
    if throttling and status < 500:
        out["category"] = "rate_limited"
    out["message"] = first_sentence(doc) if doc else humanize(name)
    if doc:
        out["description"] = doc
    if "retryable" in shape:
        out["retryable"] = True
    return out


def spec(service: str, path: Path) -> dict[str, Any]:
    model = load(path)
    meta = model["metadata"]
    proto = protocol(model)
    assert proto is not None, service
    code: list[str]
    if proto == "json":
        code = ["header:x-amzn-query-error", "__type"] if "awsQueryCompatible" in meta else ["__type"]
    else:
        code = ["header:x-amzn-errortype", "code", "Code", "__type"]
    return {
        "errorsdk": 1,
        "api": {
            "name": api_name(service),
            "version": "1.0.0",
            "title": meta.get("serviceFullName", service),
            "description": f"Errors of {meta.get('serviceFullName', service)} (API {meta['apiVersion']}, "
            f"protocol {proto}), from botocore's service model.",
            "license": "Apache-2.0",
        },
        "envelope": {
            "code": code,
            "message": ["message", "Message"],
            "request_id": "header:x-amzn-requestid",
        },
        "codes": {"normalize": NORMALIZE},
        "errors": with_examples(entries(exception_shapes(model)), model, proto),
    }


def with_examples(found: list[dict[str, Any]], model: dict[str, Any], proto: str) -> list[dict[str, Any]]:
    """Each entry's body in the wire form botocore's parser documents for the protocol.

    json: ``{"__type": "<namespace>#<Name>", "message": ...}``; rest-json:
    ``{"code": "<Name>", "Message": ...}`` (the header then absent). A query-compatible
    service's query code travels in a header only, so its entries get no example.
    """
    if "awsQueryCompatible" in model["metadata"]:
        return found
    namespace = f"com.amazonaws.{model['metadata']['endpointPrefix']}"
    for one in found:
        if proto == "json":
            one["example"] = {"__type": f"{namespace}#{one['code']}", "message": one["message"]}
        else:
            one["example"] = {"code": one["code"], "Message": one["message"]}
    return found


def entries(shapes: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One entry per (code, status): two shapes may share a query code (cloudwatch's
    ResourceNotFound and ResourceNotFoundException); botocore then maps the code to the
    last, here the first keeps it and the description names the other."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for name, shape in shapes:
        one = entry(name, shape)
        key = (one["code"], one["status"])
        if key in found:
            kept = found[key]
            kept["description"] = (kept.get("description", "") + f" Also sent for the shape {name}.").strip()
            continue
        found[key] = one
    return list(found.values())


def api_name(service: str) -> str:
    return "aws_" + re.sub(r"[^a-z0-9]+", "_", service.lower()).strip("_")
