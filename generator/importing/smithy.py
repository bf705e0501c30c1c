"""A Smithy model in its JSON AST (``smithy build`` output, ``model.json``) -> a proposed spec.

Read: the service shape's protocol trait (``aws.protocols#awsJson1_0``/``awsJson1_1``/
``restJson1``/``awsQuery``/``ec2Query``/``restXml``, ``smithy.protocols#rpcv2Cbor``) and
``aws.protocols#awsQueryCompatible``; every structure with the ``smithy.api#error`` trait
(``client``/``server``), its ``smithy.api#httpError`` status, ``smithy.api#retryable``
(``{"throttling": true}``), ``aws.protocols#awsQueryError`` (the query code and status,
used where the protocol sends it) and ``smithy.api#documentation``. See aws.py for what
each becomes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .aws import PREFERENCE, AwsError, AwsService, progress, propose
from .modelfile import Reader, load_json, pointer
from .proposal import Proposal

WHAT = "Smithy JSON AST model"
PROTOCOL_TRAITS = {f"aws.protocols#{p}": p for p in PREFERENCE if p != "rpcv2Cbor"} | {
    "smithy.protocols#rpcv2Cbor": "rpcv2Cbor"
}
QUERY_CODES = ("awsQuery", "ec2Query")


def read(path: Path) -> AwsService:
    r = Reader(path, WHAT)
    model = r.obj(load_json(path, WHAT), "")
    version = model.get("smithy")
    if not isinstance(version, str) or not version.startswith(("1.", "2.")):
        r.wrong(
            "/smithy",
            f'not a Smithy JSON AST (its "smithy" version is {version!r})',
            "give the JSON AST of a model (`smithy build` writes it as model.json), not IDL",
        )
    shapes = r.obj(model.get("shapes", {}), "/shapes")
    services = sorted(sid for sid, s in shapes.items() if r.obj(s, pointer("shapes", sid)).get("type") == "service")
    if not services:
        r.wrong(
            "/shapes",
            "no service shape: the protocol (and so the envelope) is unknown",
            "give a model that holds the service shape with its protocol trait",
        )
    sid = services[0]
    where = pointer("shapes", sid)
    traits = r.obj(r.obj(shapes[sid], where).get("traits", {}), where + "/traits")
    offered = [proto for trait, proto in PROTOCOL_TRAITS.items() if trait in traits]
    if not offered:
        r.wrong(where + "/traits", f"service {sid} has no protocol trait", f"add one of {', '.join(PROTOCOL_TRAITS)}")
    protocol = next(p for p in PREFERENCE if p in offered)
    namespace, _, local = sid.partition("#")
    aws = traits.get("aws.api#service")
    title = traits.get("smithy.api#title") or (aws.get("sdkId") if isinstance(aws, dict) else None) or local
    service = AwsService(
        title=str(title),
        protocol=protocol,
        namespace=namespace,
        source=f"the Smithy model {path.name}, service {sid}",
        query_compatible="aws.protocols#awsQueryCompatible" in traits,
        api_version=str(r.obj(shapes[sid], where).get("version", "")),
        offered=offered,
    )
    if len(services) > 1:
        service.source += f"; the model also holds {', '.join(services[1:])}"
    query = protocol in QUERY_CODES or service.query_compatible
    for shape_id in progress(list(shapes), "shapes"):
        here = pointer("shapes", shape_id)
        shape_traits = r.obj(r.obj(shapes[shape_id], here).get("traits", {}), here + "/traits")
        if "smithy.api#error" in shape_traits:
            service.errors.append(_error(r, shape_id, shape_traits, here, query))
    return service


def _error(r: Reader, shape_id: str, traits: dict[str, Any], where: str, query: bool) -> AwsError:
    here = where + "/traits"
    side = traits["smithy.api#error"]
    if side not in ("client", "server"):
        r.wrong(pointer_in(here, "smithy.api#error"), f'expected "client" or "server", got {side!r}')
    name = shape_id.rpartition("#")[2]
    status = (
        r.status(traits["smithy.api#httpError"], pointer_in(here, "smithy.api#httpError"))
        if "smithy.api#httpError" in traits
        else None
    )
    code = name
    if query and "aws.protocols#awsQueryError" in traits:
        q_where = pointer_in(here, "aws.protocols#awsQueryError")
        q = r.obj(traits["aws.protocols#awsQueryError"], q_where)
        code = r.text(q.get("code"), q_where + "/code")
        if "httpResponseCode" in q:
            status = r.status(q["httpResponseCode"], q_where + "/httpResponseCode")
    retry = traits.get("smithy.api#retryable")
    if retry is not None:
        retry = r.obj(retry, pointer_in(here, "smithy.api#retryable"))
    doc = traits.get("smithy.api#documentation", "")
    return AwsError(
        shape=name,
        code=code,
        status=status,
        server=side == "server",
        throttling=bool(retry and retry.get("throttling")),
        retryable=retry is not None,
        documentation=r.text(doc, pointer_in(here, "smithy.api#documentation")),
        where=where,
    )


def pointer_in(base: str, key: str) -> str:
    return base + pointer(key)


def propose_smithy(path: Path, name: str) -> Proposal:
    return propose(read(path), name)


def import_smithy(path: Path, name: str) -> str:
    from .proposal import render

    return render(propose_smithy(path, name))
