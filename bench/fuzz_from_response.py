"""Fuzz from_response of every generated package with atheris; report the worst call.

    pip install atheris          # or: pip install -e '.[fuzz]'
    python bench/fuzz_from_response.py                 # 200000 runs, then the named hostile bodies
    python bench/fuzz_from_response.py -runs=1000000   # any libFuzzer option

Not part of the test suite (tests/test_fuzz.py is its hypothesis counterpart).
Contract checked on every input: from_response never raises, returns None or an
instance of the API's base error, and an instance for every status >= 400. Prints
the number of calls, the slowest call (seconds) and the peak RSS.
"""

from __future__ import annotations

import importlib
import resource
import sys
import time
from pathlib import Path
from typing import Any

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDERS = sorted(
    p
    for base in (ROOT / "generated", ROOT / "tests" / "golden")
    for p in base.iterdir()
    if (p / p.name / "_base.py").is_file()
)
APIS: list[tuple[Any, type]] = []
with atheris.instrument_imports():
    for folder in FOLDERS:
        sys.path.insert(0, str(folder))
        module = importlib.import_module(folder.name)
        (base,) = [
            value
            for value in (getattr(module, name) for name in module.__all__)
            if isinstance(value, type) and value.__bases__ == (Exception,)
        ]  # the API's base error
        APIS.append((module, base))

STATUSES = [None, 0, 200, 204, 400, 401, 403, 404, 409, 418, 422, 429, 500, 503, 599, 600, -1, 2**64, True]
HEADER_NAMES = ["Authorization", "x-request-id", "X-Error-Code", "x-amzn-RequestId", "Set-Cookie", "content-type"]
stats = {"calls": 0, "slowest": 0.0, "slowest_input": b""}


def report() -> None:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"calls: {stats['calls']}  slowest call: {stats['slowest']:.4f} s  peak RSS: {rss_mb:.0f} MB", flush=True)


def call(api: Any, base: type, status: Any, body: Any, headers: Any, method: Any = None, url: Any = None) -> None:
    start = time.perf_counter()
    err = api.from_response(status, body, headers, method=method, url=url)
    elapsed = time.perf_counter() - start
    stats["calls"] += 1
    if stats["calls"] % 100_000 == 0:
        report()  # libFuzzer exits without running atexit handlers
    if elapsed > stats["slowest"]:
        stats["slowest"], stats["slowest_input"] = elapsed, body if isinstance(body, bytes) else b""
    if not (err is None or isinstance(err, base)):
        raise AssertionError(f"{api.__name__}: {err!r} is not a {base.__name__}")
    if isinstance(status, int) and not isinstance(status, bool) and status >= 400 and err is None:
        raise AssertionError(f"{api.__name__}: no error for status {status}")
    if err is not None:
        str(err), repr(err)


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    api, base = APIS[fdp.ConsumeIntInRange(0, len(APIS) - 1)]
    status = fdp.PickValueInList(STATUSES) if fdp.ConsumeBool() else fdp.ConsumeIntInRange(-1000, 100_000)
    headers = [
        (fdp.PickValueInList(HEADER_NAMES) if fdp.ConsumeBool() else fdp.ConsumeBytes(8), fdp.ConsumeBytes(16))
        for _ in range(fdp.ConsumeIntInRange(0, 3))
    ]
    method = fdp.PickValueInList([None, "GET", "POST", "put"])
    url = fdp.ConsumeUnicodeNoSurrogates(24) if fdp.ConsumeBool() else None
    body = fdp.ConsumeBytes(fdp.remaining_bytes())
    call(api, base, status, body, headers, method, url)
    if body[:1] in (b"{", b"["):
        call(api, base, status, body.decode("utf-8", "replace"), dict(headers), method, url)


def named_bodies() -> None:
    """The hostile bodies of tests/test_fuzz.py (10 MB ones included), on every API."""
    from tests.test_fuzz import BIG_BODIES

    for api, base in APIS:
        for body in BIG_BODIES.values():
            for status in (200, 404, 500, None):
                call(api, base, status, body, {"Authorization": "x"})
    print(f"named hostile bodies: slowest call {stats['slowest']:.4f} s (body of {len(stats['slowest_input'])} bytes)")


if __name__ == "__main__":
    named_bodies()
    stats["slowest"] = 0.0
    argv = sys.argv if any(a.startswith("-runs=") for a in sys.argv) else [*sys.argv, "-runs=200000"]
    atheris.Setup([*argv, "-max_len=4096"], one_input)
    atheris.Fuzz()
