"""What the AWS importers share: a service's error shapes (from Smithy or botocore) -> a proposal.

Both model formats say the same things about an error shape; ``smithy.py`` and
``botocore.py`` read them into ``AwsService`` and this module writes the spec:

- ``code``: what the protocol sends (the shape name; the query code for awsQuery,
  ec2Query and query-compatible services), its ``namespace#`` prefix and ``:`` suffix
  stripped by ``codes.normalize`` as botocore's parser strips them;
- ``status``: the model's, else the fault side's default (400 client, 500 server);
- ``category``: ``rate_limited`` for a client error retryable as throttling (else from
  the status); ``retryable: true`` for a shape with the retryable trait;
- ``message``/``description``: the documentation (HTML reduced to text);
- ``class_name``: the shape name where the code differs (IAM's ``NoSuchEntityException``
  sends ``NoSuchEntity``), so the class is the one the model and boto3 name.

The envelope is the one botocore's parser reads (botocore/parsers.py): awsJson ``__type``;
restJson1 the ``x-amzn-errortype`` header, then ``code``/``Code``/``__type`` in the body;
query-compatible JSON services the ``x-amzn-query-error`` header (``Code;Sender``) first.
XML (awsQuery, ec2Query, restXml) bodies are read with ``envelope.format: xml`` (paths
over the elements botocore's parser reads, namespaces ignored). CBOR (rpcv2Cbor) bodies
cannot be read by a generated package today: those specs say so in a comment, so the
catalogue, its classes and status dispatch work now.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..spec import naming
from . import proposal
from .proposal import Proposal, ProposedError, class_of, first_sentence

# botocore: ``code.split(':', 1)[0]`` then ``rsplit('#', 1)[-1]``; the query header is ``Code;Sender``.
NORMALIZE = r"^(?:[^#:;]*#)?([^:;]*)"

JSON_PROTOCOLS = ("awsJson1_0", "awsJson1_1", "restJson1")
XML_PROTOCOLS = ("awsQuery", "ec2Query", "restXml")
CBOR_PROTOCOLS = ("rpcv2Cbor",)
# The order a service offering several protocols is read in: what errorsdk reads first.
PREFERENCE = JSON_PROTOCOLS + XML_PROTOCOLS + CBOR_PROTOCOLS

# Where each XML protocol puts the code and message (the element path from the root).
_XML_PATHS = {
    "awsQuery": ("ErrorResponse.Error", "ErrorResponse.RequestId"),
    "ec2Query": ("Response.Errors.Error", "Response.RequestID"),
    "restXml": ("Error", "Error.RequestId"),
}


@dataclass
class AwsError:
    shape: str  # the shape's name, without its namespace
    code: str  # what the wire carries
    status: int | None
    server: bool  # fault (server) rather than client
    throttling: bool = False
    retryable: bool = False
    documentation: str = ""  # as the model writes it (HTML or CommonMark)
    where: str = ""  # a JSON pointer to the shape, for comments
    category: str | None = None  # where the model's traits do not say it (botocore's waiters: not_found)


@dataclass
class AwsService:
    title: str
    protocol: str  # one of PREFERENCE
    namespace: str  # for example bodies: ``<namespace>#<code>`` in ``__type``
    source: str  # what the spec says it was made from
    query_compatible: bool = False
    api_version: str = ""
    offered: list[str] = field(default_factory=list)  # every protocol the model lists
    errors: list[AwsError] = field(default_factory=list)


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_BEFORE_PUNCT = re.compile(r"\s+(?=[.,;:!?)])")


def plain(doc: str) -> str:
    """HTML (or CommonMark) documentation as one line of text."""
    text = html.unescape(_TAG.sub(" ", doc)).replace("`", "")
    return _BEFORE_PUNCT.sub("", _SPACE.sub(" ", text)).strip()


def humanize(name: str) -> str:
    """``NoSuchEntityException`` -> ``No such entity exception``."""
    return proposal.humanize(re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name))


def choose_protocol(offered: Iterable[str]) -> str | None:
    listed = list(offered)
    for name in PREFERENCE:
        if name in listed:
            return name
    return None


def envelope(service: AwsService) -> tuple[dict[str, Any], list[str]]:
    """The envelope botocore's parser reads for the protocol, and comments about it."""
    proto = service.protocol
    notes: list[str] = []
    if proto in XML_PROTOCOLS:
        error, request_id = _XML_PATHS[proto]
        notes.append(
            f"{proto}: error bodies are XML ({_xml_shape(proto)}), read with format: xml (namespaces "
            f"ignored); a body that is not XML (an HTML page from a proxy) is classified by its status."
        )
        env: dict[str, Any] = {
            "format": "xml",
            "code": f"{error}.Code",
            "message": f"{error}.Message",
            "request_id": ["header:x-amzn-requestid", "header:x-amz-request-id", request_id],
        }
        return env, notes
    if proto in CBOR_PROTOCOLS:
        notes.append(
            "rpcv2Cbor: error bodies are CBOR maps holding __type and message. errorsdk reads JSON and XML "
            "bodies only: today a response is classified by its status."
        )
        code: list[str] = ["__type"]
    elif proto in ("awsJson1_0", "awsJson1_1"):
        code = ["__type"]
    else:
        code = ["header:x-amzn-errortype", "code", "Code", "__type"]
    if service.query_compatible:
        code.insert(0, "header:x-amzn-query-error")
        notes.append(
            "awsQueryCompatible: the query code travels in the x-amzn-query-error header (Code;Sender), "
            "preferred over the body as botocore does; the catalogue holds the query codes. TODO: a response "
            "without that header names the shape in __type, which is no code here where the two differ (the "
            "entry's class_name is the shape): the format has no second code per entry yet."
        )
    return {"code": code, "message": ["message", "Message"], "request_id": "header:x-amzn-requestid"}, notes


def _xml_shape(proto: str) -> str:
    return {
        "awsQuery": "<ErrorResponse><Error><Code>...</Code><Message>...</Message></Error></ErrorResponse>",
        "ec2Query": "<Response><Errors><Error><Code>...</Code><Message>...</Message></Error></Errors></Response>",
        "restXml": "<Error><Code>...</Code><Message>...</Message></Error>",
    }[proto]


def _example(service: AwsService, code: str, message: str) -> Any:
    """The body botocore's parser documents for the protocol; None where it is no JSON."""
    if service.query_compatible or service.protocol not in JSON_PROTOCOLS:
        return None  # a header carries the code, or the body is XML/CBOR
    if service.protocol == "restJson1":
        return {"code": code, "Message": message}
    return {"__type": f"{service.namespace}#{code}", "message": message}


def propose(service: AwsService, name: str) -> Proposal:
    """The service's errors as a proposal, one entry per (code, status)."""
    env, notes = envelope(service)
    offered = "/".join(service.offered) or service.protocol
    version = f" (API {service.api_version})" if service.api_version else ""
    p = Proposal(
        name=name,
        title=service.title,
        description=f"Errors of {service.title}{version}, protocol {service.protocol}, from {service.source}.",
        envelope=env,
        header=[f"Imported from {service.source} (protocols: {offered}) by errorsdk import."],
    )
    p.codes_normalize = NORMALIZE
    p.envelope_todos += notes
    prefix = naming.pascal(name)
    kept: dict[tuple[str, int | None], list[Any]] = {}  # [entry, the shape it stands for]
    for err in service.errors:
        status = err.status or (500 if err.server else 400)
        key = (err.code, status)
        if key in kept:
            _share_code(kept[key], err)
            continue
        kept[key] = [_entry(service, err, status), err]
    p.errors = [entry for entry, _ in kept.values()]
    _class_names(p.errors, [shape for _, shape in kept.values()], prefix)
    if not p.errors:
        p.errors_todos.append(f"{service.source} declares no error shape.")
    return p


def _entry(service: AwsService, err: AwsError, status: int) -> ProposedError:
    doc = plain(err.documentation)
    message = first_sentence(doc) if doc else humanize(err.shape)
    entry = ProposedError(status=status, message=message, code=err.code, description=doc if doc != message else "")
    if err.throttling and status < 500:
        entry.category = "rate_limited"
    elif err.category is not None:
        entry.category = err.category
    if err.retryable:
        entry.retryable = True
    entry.example = _example(service, err.code, message)
    return entry


def _share_code(kept: list[Any], other: AwsError) -> None:
    """Two shapes, one wire code: one entry. It keeps the shape named after the code, else
    the first the model lists (botocore maps the code to the last one it reads)."""
    entry, shape = kept
    if other.shape == other.code and shape.shape != shape.code:
        keep, drop, why = other, shape, "the shape named after the code"
        entry.description = plain(other.documentation) or entry.description
        entry.message = first_sentence(entry.description) if entry.description else humanize(other.shape)
        if entry.description == entry.message:
            entry.description = ""
        entry.retryable = True if (entry.retryable or other.retryable) else None
        kept[1] = other  # the class follows the kept shape
    else:
        keep, drop = shape, other
        why = "the shape named after the code" if shape.shape == shape.code else "the first the model lists"
    entry.notes.append(
        f"TODO: shapes {keep.shape} and {drop.shape} both send the code {other.code!r} (status {entry.status}): "
        f"a response cannot tell them apart, so one entry stands for both, with the class and text of "
        f"{keep.shape} ({why}); code that catches {drop.shape} catches this class."
    )


def _class_names(errors: list[ProposedError], shapes: list[AwsError], prefix: str) -> None:
    """``class_name`` = the shape name where the code differs, or where the class the code
    derives is taken (``Error`` would derive the base class); a free name either way."""
    used = {f"{prefix}Error", f"{prefix}ErrorGroup"}
    wanted: list[str | None] = []
    for entry, shape in zip(errors, shapes, strict=True):
        derived = class_of(entry.name or str(entry.code), prefix)
        if shape.shape == shape.code and not (naming.taken_reason(derived, prefix) or derived in used):
            used.add(derived)
            wanted.append(None)
        else:
            wanted.append(shape.shape if naming.is_identifier(shape.shape) else naming.error_class_name(shape.shape))
    for entry, candidate in zip(errors, wanted, strict=True):
        if candidate is None:
            continue
        for name in (candidate, prefix + candidate, f"{prefix}{candidate}Exception"):
            if name and not naming.taken_reason(name, prefix) and name not in used:
                entry.class_name = name
                used.add(name)
                break


T = TypeVar("T")


def progress(items: list[T], what: str) -> Iterator[T]:
    """``items``, counting them on a terminal (stderr) when there are many; silent otherwise."""
    tty = sys.stderr.isatty() and len(items) >= 2000
    step = max(1, len(items) // 50)
    for i, item in enumerate(items):
        if tty and i % step == 0:
            sys.stderr.write(f"\r{what}: {i}/{len(items)}")
            sys.stderr.flush()
        yield item
    if tty:
        sys.stderr.write(f"\r{what}: {len(items)}/{len(items)}\n")
