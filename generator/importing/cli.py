"""``errorsdk import openapi FILE`` and ``errorsdk import examples FILE``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_import_parser(sub: Any, func: Callable[[argparse.Namespace], int]) -> None:
    imp = sub.add_parser("import", help="propose a spec from an OpenAPI document or recorded responses")
    kinds = imp.add_subparsers(dest="kind", required=True)
    for kind, what in (("openapi", "an OpenAPI 3.0/3.1 document (YAML or JSON)"), ("examples", "JSON Lines: one recorded response per line")):
        p = kinds.add_parser(kind, help=f"propose a spec from {what}")
        p.add_argument("file", help=what)
        p.add_argument("--api", required=True, help="the API's name: [a-z][a-z0-9_]*")
        p.add_argument("--out", help="where to write the spec (default: stdout)")
        p.set_defaults(func=func)


def run_import(args: argparse.Namespace) -> int:
    raise NotImplementedError
