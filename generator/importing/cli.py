"""``errorsdk import openapi FILE`` and ``errorsdk import examples FILE``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..spec.diagnostics import SpecError

KINDS = (
    ("openapi", "an OpenAPI 3.0/3.1 document (YAML or JSON)"),
    ("examples", "JSON Lines: one recorded response per line (status, headers, body)"),
)


def add_import_parser(sub: Any, func: Callable[[argparse.Namespace], int]) -> None:
    imp = sub.add_parser("import", help="propose a spec from an OpenAPI document or recorded responses")
    kinds = imp.add_subparsers(dest="kind", required=True)
    for kind, what in KINDS:
        p = kinds.add_parser(kind, help=f"propose a spec from {what}")
        p.add_argument("file", help=what)
        p.add_argument("--api", required=True, help="the API's name: [a-z][a-z0-9_]*")
        p.add_argument("--out", help="where to write the spec, e.g. specs/NAME.yaml (default: stdout)")
        p.set_defaults(func=func)


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
    return 0
