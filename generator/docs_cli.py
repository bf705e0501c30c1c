"""``errorsdk docs``: one error-reference page per API (Markdown, optionally HTML)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .spec.diagnostics import SpecError
from .rendering.docs import render_docs, write_docs
from .model.build import build_model
from .spec.validation import load_spec
from .output.write import WriteError


def add_docs_parser(sub: Any, func: Callable[[argparse.Namespace], int]) -> None:
    docs = sub.add_parser("docs", help="write an error-reference page per API (Markdown, optionally HTML)")
    docs.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    docs.add_argument("--specs-dir", default="specs", help="folder of specs (default: specs)")
    docs.add_argument("--out", default="docs/errors", help="output folder (default: docs/errors)")
    docs.add_argument("--html", action="store_true", help="also write <api>.html, one self-contained file")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 and list pages that differ")
    docs.set_defaults(func=func)


def run_docs(args: argparse.Namespace) -> int:
    from .cli import _spec_paths

    paths, _ = _spec_paths(args)
    out_dir = Path(args.out)
    formats = ("md", "html") if args.html else ("md",)
    failed = stale = 0
    for path in paths:
        try:
            files = render_docs(build_model(load_spec(path)), formats)
        except SpecError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
            continue
        if args.check:
            for name, text in sorted(files.items()):
                target = out_dir / name
                if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
                    stale += 1
                    print(f"differs: {target}", file=sys.stderr)
            continue
        try:
            changed = write_docs(out_dir, files)
        except WriteError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        for name in sorted(files):
            print(f"{'wrote' if name in changed else 'unchanged'} {out_dir / name}")
    if failed:
        print(f"{failed} spec(s) failed", file=sys.stderr)
    return 1 if failed or stale else 0
