"""botocore's ``service-2.json`` (or the ``.json.gz`` botocore ships) -> a proposed spec.

Every shape with ``"exception": true`` is an error: ``error.code`` (else the shape name) is
its code, ``error.httpStatusCode`` its status, ``error.senderFault``/``fault`` its side,
``retryable`` (``{"throttling": true}``) its retry advice, ``documentation`` (HTML) its
text. The protocol is ``metadata.protocols`` (else ``metadata.protocol``); see aws.py for
the envelope each gets.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from .aws import AwsError, AwsService, choose_protocol, progress, propose
from .modelfile import Reader, load_json, pointer
from .proposal import Proposal

# botocore's protocol names -> Smithy's.
PROTOCOLS = {
    "rest-json": "restJson1",
    "query": "awsQuery",
    "ec2": "ec2Query",
    "rest-xml": "restXml",
    "smithy-rpc-v2-cbor": "rpcv2Cbor",
}


def resolve(path: Path) -> Path:
    """``path``, or where the installed botocore keeps the newest model of the service so named."""
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    found = importlib.util.find_spec("botocore")  # optional: only for a service name
    if found is None or found.origin is None:
        return path
    folder = Path(found.origin).parent / "data" / str(path)
    models = sorted(folder.glob("*/service-2.json*"))
    return models[-1] if models else path


def read(path: Path, source: str | None = None) -> AwsService:
    path = resolve(path)
    doc = load_json(path, "botocore service model", "check the path, or name a service botocore ships (iam, s3, ...)")
    r = Reader(path, "botocore service model (botocore/data/<service>/<version>/service-2.json)")
    model = r.obj(doc, "")
    meta = r.obj(model.get("metadata"), "/metadata")
    shapes = r.obj(model.get("shapes"), "/shapes")
    listed = meta.get("protocols") or [meta.get("protocol")]
    if not isinstance(listed, list):
        r.wrong("/metadata/protocols", "expected an array of protocol names")
    json_version = meta.get("jsonVersion", "1.0")
    offered = []
    for i, name in enumerate(listed):
        r.text(name, pointer("metadata", "protocols", i) if "protocols" in meta else "/metadata/protocol")
        offered.append(f"awsJson{str(json_version).replace('.', '_')}" if name == "json" else PROTOCOLS.get(name, name))
    protocol = choose_protocol(offered)
    if protocol is None:
        r.wrong(
            "/metadata/protocol",
            f"unknown protocol {'/'.join(listed)}",
            "expected json, rest-json, query, ec2, rest-xml or smithy-rpc-v2-cbor",
        )
    title = meta.get("serviceFullName") or meta.get("serviceId") or path.stem
    prefix = meta.get("endpointPrefix") or meta.get("signingName") or "aws"
    service = AwsService(
        title=str(title),
        protocol=protocol,
        namespace=f"com.amazonaws.{prefix}",
        source=source or f"botocore {'/'.join(path.parts[-3:])}",
        query_compatible="awsQueryCompatible" in meta,
        api_version=str(meta.get("apiVersion", "")),
        offered=list(listed),
    )
    for name in progress(list(shapes), "shapes"):
        where = pointer("shapes", name)
        shape = r.obj(shapes[name], where)
        if not shape.get("exception"):
            continue
        service.errors.append(_error(r, name, shape, where))
    return service


def _error(r: Reader, name: str, shape: dict[str, Any], where: str) -> AwsError:
    error = r.obj(shape.get("error", {}), where + "/error")
    code = r.text(error.get("code", name), where + "/error/code")
    status = r.status(error["httpStatusCode"], where + "/error/httpStatusCode") if "httpStatusCode" in error else None
    retry = r.obj(shape.get("retryable", {}), where + "/retryable")
    doc = shape.get("documentation", "")
    return AwsError(
        shape=name,
        code=code,
        status=status,
        server=bool(shape.get("fault")) or error.get("senderFault") is False,
        throttling=bool(retry.get("throttling")),
        retryable="retryable" in shape,
        documentation=r.text(doc, where + "/documentation"),
        where=where,
    )


def propose_botocore(path: Path, name: str, source: str | None = None) -> Proposal:
    return propose(read(path, source), name)


def import_botocore(path: Path, name: str, source: str | None = None) -> str:
    from .proposal import render

    return render(propose_botocore(path, name, source))
