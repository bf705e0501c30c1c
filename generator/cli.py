"""The ``errorsdk`` command line: parse the arguments, call the pipeline, print what it says.

What each command does lives below it: ``pipeline`` (generate, validate, docs, openapi),
``spec`` (schema), ``output`` (build, publish, vendor, diff), ``recording_check`` (check),
``importing`` (import)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__, pipeline
from .output import spec_diff
from .output.write import DEFAULT_WAIT, WriteError


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _seconds(text: str) -> float:
    """``--wait``: a finite number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (0 <= value < float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return value


def cmd_generate(args: argparse.Namespace) -> int:
    paths, whole = pipeline.spec_paths(args.specs, args.specs_dir)
    return pipeline.generate(
        paths,
        whole,
        Path(args.out),
        print,
        _err,
        check=args.check,
        jobs=args.jobs,
        strict=args.strict,
        cache=not args.no_cache,
        allow_breaking=args.allow_breaking,
        wait=args.wait,
    )


def cmd_validate(args: argparse.Namespace) -> int:
    paths, _ = pipeline.spec_paths(args.specs, args.specs_dir)
    return pipeline.validate(paths, print, _err, strict=args.strict)


def cmd_schema(args: argparse.Namespace) -> int:
    from .spec.format import json_schema

    if args.out:
        Path(args.out).write_text(json_schema(), "utf-8")
        print(f"wrote {args.out}")
        return 0
    sys.stdout.write(json_schema())
    return 0


# Commands other than generate import their modules when run: `errorsdk generate`
# should not pay for urllib.request, zipfile and the wheel builder on every start.


def cmd_build(args: argparse.Namespace) -> int:
    from .output import dist

    specs = pipeline.spec_paths(args.specs, args.specs_dir)[0]
    built, failures = dist.build_all(specs, Path(args.dist), progress=print)
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print(f"{len(failures)} spec(s) failed; {len(built)} built into {args.dist}", file=sys.stderr)
    return 1 if failures else 0


def cmd_publish(args: argparse.Namespace) -> int:
    from .output import dist, publish

    specs = pipeline.spec_paths(args.specs, args.specs_dir)[0]
    folder = Path(args.dist) if args.dist else None
    try:
        builds = publish.build_and_publish(specs, args.repository_url, args.index_url, folder, say=print)
    except (publish.PublishError, dist.BuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"published {len(builds)} package(s) to {args.repository_url}")
    return 0


def cmd_vendor(args: argparse.Namespace) -> int:
    from .output import vendor
    from .spec.diagnostics import SpecError

    try:
        folder, changed, requires, warnings = vendor.vendor(Path(args.spec), Path(args.into))
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 1
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        _err(warning)
    print(f"{'vendored' if changed else 'unchanged'} {folder}")
    for requirement, optional in requires:  # a copy has no pyproject to carry them: say so
        if optional:
            print(
                f"  uses {requirement} where installed (faster; it works without): add it to your project's dependencies"
            )
        else:
            print(f"  needs {requirement}: add it to your project's dependencies")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """``errorsdk diff``: 0 when the new version is enough for the changes, else 1."""
    from .spec.diagnostics import SpecError

    try:
        old, new = spec_diff.load_ref(args.old, examples=False), spec_diff.load_ref(args.new)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 1
    lines, ok = spec_diff.report(old, new)
    print("\n".join(lines))
    return 0 if ok else 1


def cmd_docs(args: argparse.Namespace) -> int:
    paths, _ = pipeline.spec_paths(args.specs, args.specs_dir)
    return pipeline.docs(paths, Path(args.out), print, _err, html=args.html, check=args.check)


def cmd_check(args: argparse.Namespace) -> int:
    from .recording_check import command

    return command(args.spec, args.recordings, args.format, args.update)


def cmd_openapi(args: argparse.Namespace) -> int:
    def write(text: str) -> None:
        sys.stdout.write(text)

    return pipeline.openapi(Path(args.spec), Path(args.out) if args.out else None, print, _err, write)


def cmd_import(args: argparse.Namespace) -> int:
    from .importing.cli import run_import

    return run_import(args)


def add_docs_parser(sub: Any, func: Callable[[argparse.Namespace], int]) -> None:
    docs = sub.add_parser("docs", help="write an error-reference page per API (Markdown, optionally HTML)")
    docs.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    docs.add_argument("--specs-dir", default="specs", help="folder of specs (default: specs)")
    docs.add_argument("--out", default="docs/errors", help="output folder (default: docs/errors)")
    docs.add_argument("--html", action="store_true", help="also write <api>.html, one self-contained file")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 and list pages that differ")
    docs.set_defaults(func=func)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="errorsdk", description="Typed Python error SDKs from API error catalogues.")
    top.add_argument("--version", action="version", version=f"errorsdk {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="generate a package per spec into the output folder")
    gen.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    gen.add_argument("--specs-dir", default="specs", help="folder of specs (default: specs)")
    gen.add_argument("--out", default="generated", help="output folder (default: generated)")
    gen.add_argument("--check", action="store_true", help="write nothing; exit 1 and list what differs")
    gen.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="processes to use: a pool for 8 specs or more, else formatting (default: every core)",
    )
    gen.add_argument(
        "--no-cache",
        action="store_true",
        help="render every spec, even those unchanged since the last run (the run is still recorded)",
    )
    gen.add_argument("--strict", action="store_true", help="a spec with warnings fails (they are printed either way)")
    gen.add_argument(
        "--allow-breaking", action="store_true", help="write a breaking change without a new major version"
    )
    gen.add_argument(
        "--wait",
        type=_seconds,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"while another run writes the output folder, wait this long for it, then give up (default: {DEFAULT_WAIT:g}; 0: refuse at once)",
    )
    gen.set_defaults(func=cmd_generate)

    val = sub.add_parser("validate", help="check specs and report every problem")
    val.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    val.add_argument("--specs-dir", default="specs", help="folder of specs (default: specs)")
    val.add_argument("--strict", action="store_true", help="fail on warnings too (they are reported either way)")
    val.set_defaults(func=cmd_validate)

    sch = sub.add_parser("schema", help="print the spec format's JSON Schema")
    sch.add_argument("--out", help="write it to this file (e.g. beside a spec, as its $schema line names)")
    sch.set_defaults(func=cmd_schema)

    bld = sub.add_parser("build", help="build a wheel and an sdist per spec, reproducibly (needs errorsdk[dist])")
    bld.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    bld.add_argument("--specs-dir", default="specs", help="folder of specs (default: specs)")
    bld.add_argument("--dist", default="dist", help="output folder (default: dist)")
    bld.set_defaults(func=cmd_build)

    pub = sub.add_parser(
        "publish",
        help="build, then upload every spec's wheel and sdist with twine, all or nothing (needs errorsdk[dist])",
    )
    pub.add_argument("specs", nargs="*", help="spec files (default: every spec in --specs-dir)")
    pub.add_argument("--specs-dir", default="specs", help="folder of specs (default: specs)")
    pub.add_argument(
        "--repository-url", required=True, help="upload URL; credentials: TWINE_USERNAME/TWINE_PASSWORD or keyring"
    )
    pub.add_argument("--index-url", help="simple index to check for existing versions (default: URL/simple/)")
    pub.add_argument("--dist", help="keep the built files in this folder (default: a temporary one)")
    pub.set_defaults(func=cmd_publish)

    ven = sub.add_parser("vendor", help="copy a spec's package source into another project")
    ven.add_argument("spec", help="spec file")
    ven.add_argument("--into", required=True, help="folder to put <package>/ in, e.g. myapp/_vendor")
    ven.set_defaults(func=cmd_vendor)

    dif = sub.add_parser(
        "diff",
        help="classify the changes between two specs, print the semver bump; exit 1 when the new api.version is not enough",
    )
    dif.add_argument("old", help="old spec: a file, or git:REV:path")
    dif.add_argument("new", help="new spec: a file, or git:REV:path")
    dif.set_defaults(func=cmd_diff)
    chk = sub.add_parser("check", help="replay recorded responses (HAR or JSON Lines) through a spec; exit 1 on drift")
    chk.add_argument("spec", help="spec file")
    chk.add_argument("recordings", nargs="+", help="HAR 1.2 or JSON Lines files of recorded responses")
    chk.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    chk.add_argument(
        "--update",
        action="store_true",
        help="append an entry marked # TODO per new code (or code under a new status) to the spec",
    )
    chk.set_defaults(func=cmd_check)
    api = sub.add_parser("openapi", help="write the catalogue as OpenAPI 3.1 components (error schemas and responses)")
    api.add_argument("spec", help="spec file")
    api.add_argument(
        "--out", help="write to this file (YAML if it ends .yaml or .yml, else JSON; default: JSON to stdout)"
    )
    api.set_defaults(func=cmd_openapi)
    from .importing.cli import add_import_parser

    add_docs_parser(sub, cmd_docs)
    add_import_parser(sub, cmd_import)
    return top


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a path that is not UTF-8 is printed escaped, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (FileNotFoundError, WriteError) as exc:
        _err(f"error: {exc}")
        return 1
    except OSError as exc:  # any other the commands did not expect: the path and the reason, no traceback
        _err(f"error: {exc.filename or ''}: {exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        return 130
