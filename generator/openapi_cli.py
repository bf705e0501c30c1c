"""``errorsdk openapi SPEC``: the catalogue as OpenAPI 3.1 components (see openapi_output)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .diagnostics import SpecError


def add_openapi_parser(sub: Any, func: Callable[[argparse.Namespace], int]) -> None:
    cmd = sub.add_parser("openapi", help="write the catalogue as OpenAPI 3.1 components (error schemas and responses)")
    cmd.add_argument("spec", help="spec file")
    cmd.add_argument("--out", help="write to this file (YAML if it ends .yaml or .yml, else JSON; default: JSON to stdout)")
    cmd.set_defaults(func=func)


def render(doc: dict[str, Any], yaml_out: bool) -> str:
    """The document as text, the same bytes for the same spec."""
    if yaml_out:
        import yaml

        return str(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120))
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def run_openapi(args: argparse.Namespace) -> int:
    from .modeling import build_model
    from .openapi_output import document
    from .validation import load_spec

    try:
        api = build_model(load_spec(Path(args.spec)))
    except SpecError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.out is None:
        sys.stdout.write(render(document(api), False))
        return 0
    out = Path(args.out)
    out.write_text(render(document(api), out.suffix in (".yaml", ".yml")), "utf-8")
    print(f"wrote {out}")
    return 0
