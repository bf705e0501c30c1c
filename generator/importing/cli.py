"""``errorsdk import KIND FILE``: openapi, examples (recorded responses), smithy, botocore, proto."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..spec.diagnostics import SpecError

KINDS = (
    ("openapi", "an OpenAPI 3.0/3.1 document (YAML or JSON)"),
    ("examples", "recorded responses: a HAR 1.2 file, or JSON Lines (one {status, headers, body} per line)"),
    ("smithy", "a Smithy model's JSON AST (model.json)"),
    ("botocore", "a botocore service model (service-2.json or .json.gz), or the name of a service botocore ships"),
    ("proto", "a .proto file (or descriptor set) with an enum of error codes or reasons"),
)


def add_import_parser(sub: Any, func: Callable[[argparse.Namespace], int]) -> None:
    imp = sub.add_parser(
        "import",
        help="propose a spec from an OpenAPI document, recorded responses, a Smithy or botocore model, or protobuf enums",
    )
    kinds = imp.add_subparsers(dest="kind", required=True)
    for kind, what in KINDS:
        p = kinds.add_parser(kind, help=f"propose a spec from {what}")
        p.add_argument("file", help=what)
        p.add_argument("--api", required=True, help="the API's name: [a-z][a-z0-9_]*")
        p.add_argument(
            "--out",
            help="where to write the spec, e.g. specs/NAME.yaml, never over an existing file, with "
            "spec.schema.json beside it unless one is there (default: stdout)",
        )
        if kind == "proto":
            p.add_argument("--enum", help="the enum to read, e.g. google.api.ErrorReason (default: the only one)")
        p.set_defaults(func=func)


def _smithy(source: Path, args: argparse.Namespace) -> str:
    from .smithy import import_smithy

    return import_smithy(source, args.api)


def _botocore(source: Path, args: argparse.Namespace) -> str:
    from .botocore import import_botocore

    return import_botocore(source, args.api)


def _proto(source: Path, args: argparse.Namespace) -> str:
    from .proto import import_proto

    return import_proto(source, args.api, args.enum)


MODEL_IMPORTERS: dict[str, Callable[[Path, argparse.Namespace], str]] = {
    "smithy": _smithy,
    "botocore": _botocore,
    "proto": _proto,
}


def run_import(args: argparse.Namespace) -> int:
    from .proposal import API_NAME  # not at the top: every command builds this parser, few import

    if not API_NAME.match(args.api):
        print(
            f"error: --api {args.api!r}: use lowercase letters, digits and underscores, starting with a letter",
            file=sys.stderr,
        )
        return 2
    source = Path(args.file)
    try:
        if args.kind == "openapi":
            from .openapi import import_openapi

            text = import_openapi(source, args.api)
        elif args.kind in MODEL_IMPORTERS:
            text = MODEL_IMPORTERS[args.kind](source, args)
        else:
            from .examples import import_examples

            text = import_examples(source, args.api)
    except SpecError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.exists():
        print(f"error: {out} exists; the import never overwrites a spec (choose another --out)", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")
    print(f"wrote {out}: review its TODO comments, then `errorsdk validate {out}`")
    _schema_beside(out)
    return 0


def _schema_beside(spec: Path) -> None:
    """The spec format's JSON Schema beside ``spec``, which its ``$schema`` line names (an
    existing file is left alone: it may be a newer errorsdk's)."""
    from ..spec.format import json_schema
    from .proposal import SCHEMA_FILE

    target = spec.parent / SCHEMA_FILE
    if target.exists():
        return
    target.write_text(json_schema(), "utf-8")
    print(f"wrote {target}: the spec format's JSON Schema, for editors (`errorsdk schema --out` renews it)")
