"""botocore's ``service-2.json`` (or the ``.json.gz`` botocore ships) -> a proposed spec.

Every shape with ``"exception": true`` is an error: ``error.code`` (else the shape name) is
its code, ``error.httpStatusCode`` its status, ``error.senderFault``/``fault`` its side,
``retryable`` (``{"throttling": true}``) its retry advice, ``documentation`` (HTML) its
text. The protocol is ``metadata.protocols`` (else ``metadata.protocol``); see aws.py for
the envelope each gets.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
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
    if not service.errors:  # EC2's model declares none: the codes botocore itself names
        service.errors = undeclared_errors(path)
    return service


def _sibling_json(path: Path) -> Any:
    """A JSON file botocore ships beside a model (``waiters-2.json``, maybe gzipped), or None."""
    for candidate in (path, path.with_name(path.name + ".gz")):
        try:
            raw = candidate.read_bytes()
            return json.loads(gzip.decompress(raw) if candidate.suffix == ".gz" else raw)
        except (OSError, ValueError, EOFError):
            continue
    return None


def undeclared_errors(path: Path) -> list[AwsError]:
    """Error codes a service sends that its model declares no shape for (EC2's model
    declares none), as botocore's own data names them: the codes its waiters wait on
    (``waiters-2.json`` error matchers: ``InvalidInstanceID.NotFound``), each a client
    error (400) that says a resource is not there, and the service's throttling codes
    with their status (``_retry.json``: ``RequestLimitExceeded``, 503)."""
    found: dict[str, AwsError] = {}
    waiters = _sibling_json(path.with_name("waiters-2.json"))
    for name, waiter in sorted((waiters or {}).get("waiters", {}).items()):
        for acceptor in waiter.get("acceptors", []) if isinstance(waiter, dict) else []:
            code = acceptor.get("expected") if isinstance(acceptor, dict) else None
            if acceptor.get("matcher") != "error" or not isinstance(code, str) or code in found:
                continue
            missing = code.endswith(("NotFound", ".Missing")) or "NotFound" in code
            found[code] = AwsError(
                shape=code.replace(".", ""),
                code=code,
                status=400,
                server=False,
                documentation=(
                    ("The resource the request names does not exist. " if missing else "")
                    + f"botocore's {name} waiter watches for this code."
                ),
                where=f"waiters-2.json /waiters/{name}",
                category="not_found" if missing else None,
            )
    service = path.parent.parent.name
    retry = _sibling_json(path.parent.parent.parent / "_retry.json") or {}
    policies = retry.get("retry", {}).get(service, {}).get("__default__", {}).get("policies", {})
    for name, policy in sorted(policies.items()) if isinstance(policies, dict) else ():
        response = policy.get("applies_when", {}).get("response", {}) if isinstance(policy, dict) else {}
        code, status = response.get("service_error_code"), response.get("http_status_code")
        if isinstance(code, str) and isinstance(status, int) and code not in found:
            found[code] = AwsError(
                shape=code,
                code=code,
                status=status,
                server=status >= 500,
                throttling=True,
                retryable=True,
                documentation=(
                    "The request rate is exceeded: retry with backoff. "
                    f"botocore retries this code ({name} in _retry.json)."
                ),
                where=f"_retry.json /retry/{service}",
                category="rate_limited",  # throttling, whatever its status (EC2 sends 503)
            )
    return list(found.values())


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
