"""``python -m bench [--quick] [--only SECTION ...]``: run the benchmarks, print one table, write RESULTS.md."""

from __future__ import annotations

import argparse
import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from . import dispatch, generation, imports
from .report import machine, markdown, merge, table
from .timing import FULL, QUICK, Budget, Row

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

NOTES = [
    "dispatch: peers need a response object first (requests.Response, httpx Response, botocore's "
    "response dict); its construction is timed alone on its own row, and their dispatch on a response "
    "built beforehand (httpx's cached text dropped before each call). "
    "errorsdk and the floor take (status, body bytes, headers) directly.",
    "dispatch floor: json.loads, one dict lookup per error, a plain Exception subclass keeping what "
    "errorsdk's error holds (status, code, message, a copy of the headers, the body); a body with a "
    "list of errors (GraphQL) gives an ExceptionGroup of one per error, as errorsdk does. It still "
    "does less than the package must: no header names lower-cased nor secrets redacted, no code "
    "coercion, no request id, no retry advice. The previous floor (json.loads, one lookup, one "
    "exception holding the document; no headers kept, one error per body) has its own row, with "
    "errorsdk's ratio to it. The floor reads the code and message where each case's envelope keeps "
    "them, and what else dispatch reads there (bench/dispatch.py floor_reads: the nested error "
    "object's reason and code, GraphQL's extensions, Stripe's decline code and type, flux's "
    "error_code and detail); before, it read top-level code and message, which those bodies do not "
    "have. The XML floor (xml.etree's parse, one pass for the first Code and Message) keeps the same "
    "fields as the JSON floor (before: status and code only).",
    "dispatch, measured changes (bench.dispatch --against, same process, round by round, loaded "
    "machine): the runtime move (_core, _json copied instead of rendered) with header cleaning's "
    "repeats made on first use and a text body's first character checked before the start pattern "
    "(as bytes bodies already were) gave 0.87-1.03x per case (median of rounds; quartiles 0.73-1.24x), "
    "no case slower beyond noise. The group class made by position, without super() in its "
    "message or all() over its members (the members read from __init__'s argument, not the errors "
    "property) gave GraphQL 0.88-0.95x over five runs (quartiles of rounds 0.71-1.33x). A UTF-16 "
    "byte order mark read as naming its codec (json.detect_encoding not called) and the start "
    "pattern skipped for a wide encoding's first byte gave UTF-16 0.88-0.97x over three runs "
    "(quartiles 0.73-1.03x; the branch alone 0.74x), the UTF-8 BOM case 0.93-1.13x (noise: "
    "quartiles 0.87-1.13x), the others 0.99-1.01x.",
    "dispatch, ranges over runs (loaded machine: 3 other helpers on 2 cores, load 2-8; the table is the last run, the fair floors of this section): GraphQL 1.64-1.77x (orjson 1.51-1.57x), still MISSED (each member's readers, classify and __init__ are Python calls the floor does not make, and the group's __new__/__init__ chain); Stripe 1.14-1.23x; UTF-16 1.29-1.33x before the byte-order-mark change, 1.17x after it (one run); XML S3 1.28-1.55x, IAM 1.24-1.32x, on the edge (expat set up with its refusals of DTDs and entities, which the xml.etree floor does not have); 1 MB body ties botocore (rounds either side of 1.00x).",
    "json_parser: orjson: the rows so named time the same bundled spec generated with "
    "`api.json_parser: orjson` (orjson parses, json reads what orjson refuses); the other errorsdk "
    "rows parse with the standard library's json, as the floor and every peer do.",
    "GraphQL, 3 errors: the group is an ExceptionGroup, which needs its errors when it is made, so "
    "dispatch classifies all three (no deferred work); classify memoises the rules' answers by "
    "(status, code, message), and the row 'memo cleared before each call' times a response whose "
    "messages were never seen.",
    "import: every code's class is a class statement, made as errors.py runs; the child "
    "interpreters may write bytecode and import each module once unrecorded, so every run reads "
    ".pyc files; the peers take turns with the package and the floor, run by run.",
    "generation: single-API figures are CPU seconds of one process (stable on a loaded machine); "
    "many-API figures are the wall time of the whole `generate` command (interpreter start and "
    "imports included) against black's CPU time divided by the cores the pool can use. "
    "For fewer than 8 specs (formatted over the cores file by file) the floor is black's own command "
    "on the same unformatted files (`black --fast`, empty cache; it too starts an interpreter and "
    "uses every core), the two taking turns 5 times; the in-process single-core figure is shown beside it.",
    "generation, runtime copied: the runtime modules (_retry, _clients, _detail; generator/rendering/runtime/) "
    "are copied into each package, not rendered and formatted; 'before' is the same run plus black "
    "formatting those modules, as the templates' pipeline did, paired round by round in one process.",
    "incremental: compared with the cold run of the same folder; the re-run pays interpreter "
    "start-up and hashing of specs, templates and every package file.",
]


def _sections() -> dict[str, Callable[[Budget], list[Row]]]:
    found: dict[str, Callable[[Budget], list[Row]]] = {
        "dispatch": dispatch.run,
        "import": imports.run,
        "generation": generation.run,
    }
    try:  # detail models' benchmark (issue 3), when present
        detail = importlib.import_module(f"{__package__}.detail_models")
        if hasattr(detail, "run"):
            found["detail"] = detail.run
    except ImportError:
        pass
    return found


def main(argv: list[str] | None = None) -> int:
    sections = _sections()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes and few rounds (about a minute)")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(sections),
        help=f"run only these sections; the others stay in {RESULTS.name} as they were",
    )
    parser.add_argument("--no-write", action="store_true", help=f"print only; leave {RESULTS.name} alone")
    args = parser.parse_args(argv)
    budget = QUICK if args.quick else FULL
    rows: list[Row] = []
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    start = time.perf_counter()
    for name, run in sections.items():
        if args.only and name not in args.only:
            continue
        print(f"[bench] {name} ...", flush=True)
        rows += run(budget)
    info = machine()
    info["run"] = f"{'quick' if args.quick else 'full'}, {time.perf_counter() - start:.0f} s"
    if args.only:
        info["run"] += f" ({', '.join(args.only)} only)"
    if hasattr(os, "getloadavg"):
        info["load average (1 min) before / after"] = f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"
    print(table(rows))
    if args.only and RESULTS.exists():  # the other sections stay as the last run left them
        rows, info = merge(RESULTS.read_text("utf-8"), rows, info)
    if not args.no_write:
        RESULTS.write_text(markdown(rows, info, NOTES), "utf-8")
        print(f"[bench] wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
