"""Refresh the messages the bad-spec corpus must produce (tests/bad_specs/NAME.expected).

    python -m tests.update_bad_specs

Each ``tests/bad_specs/NAME.yaml`` is run through ``errorsdk generate NAME.yaml``;
``NAME.expected`` holds exactly what it prints on stderr (file:line:column: what is
wrong, then ``fix:`` how to fix it), with the spec's path written as
``tests/bad_specs/NAME.yaml``. Specs too big to commit are built here (BUILT).
Review the diff of the .expected files before committing them.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from errorsdk.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
BAD_SPECS = ROOT / "tests" / "bad_specs"

_HEAD = (
    "errorsdk: 1\napi: {name: demo, version: 1.0.0, title: Demo API}\nerrors:\n  - {code: a, status: 404, message: A}\n"
)

BUILT: dict[str, Callable[[], bytes]] = {
    # a 50 MB spec: refused after reading at most the size limit, whatever its content
    "huge_50mb": lambda: (_HEAD + ("# " + "x" * 125 + "\n") * (50 * 1024 * 1024 // 128)).encode(),
    # nesting far past the limit, in flow and block style: a message, never a RecursionError
    "deep_nesting_1000": lambda: (_HEAD + "x: " + "[" * 1000 + "]" * 1000 + "\n").encode(),
    "deep_nesting_100000": lambda: (_HEAD + "x: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n").encode(),
    "deep_nesting_block_1000": lambda: (
        _HEAD + "".join(" " * (2 * i) + "a:\n" for i in range(1000)) + " " * 2000 + "b: 1\n"
    ).encode(),
    # one 200 KB string aliased 20 times: few nodes, but 4 MB of text to write
    "alias_text_bomb": lambda: (
        _HEAD.replace("message: A", 'message: &m "' + "x" * 200_000 + '"')
        + "".join(f"  - {{code: c{i}, status: 404, message: *m}}\n" for i in range(20))
    ).encode(),
    # a path of 3,000 steps: refused by its length, before anything recurses over it
    "path_3000_steps": lambda: (_HEAD + "envelope:\n  code: " + ".".join(["a"] * 3000) + "\n").encode(),
}
"""Specs written at test time instead of committed: name -> their bytes."""


def corpus() -> list[str]:
    """Every case name: the committed specs and the built ones."""
    return sorted({p.stem for p in BAD_SPECS.glob("*.yaml")} | set(BUILT))


def spec_path(name: str, scratch: Path) -> Path:
    """Where the spec of ``name`` is: in the corpus, or built into ``scratch``."""
    if name in BUILT:
        path = scratch / f"{name}.yaml"
        if not path.exists():
            path.write_bytes(BUILT[name]())
        return path
    return BAD_SPECS / f"{name}.yaml"


def run(name: str, out: Path, scratch: Path) -> tuple[int, str, str]:
    """Run ``errorsdk generate`` on one bad spec into ``out``: (exit status, stdout, stderr)."""
    path = spec_path(name, scratch)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = cli(["generate", str(path), "--out", str(out)])
    shown = f"tests/bad_specs/{name}.yaml"
    return status, stdout.getvalue(), stderr.getvalue().replace(str(path), shown)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for name in corpus():
            status, _, err = run(name, scratch / "out", scratch)
            if status != 1:
                print(f"{name}: exit status {status}, not 1: this spec is not bad", file=sys.stderr)
                return 1
            target = BAD_SPECS / f"{name}.expected"
            old = target.read_text("utf-8") if target.exists() else None
            if old != err:
                target.write_text(err, "utf-8", newline="\n")
                print(f"{'updated' if old is not None else 'created'} {target.relative_to(ROOT)}")
        for stale in BAD_SPECS.glob("*.expected"):
            if stale.stem not in corpus():
                stale.unlink()
                print(f"removed {stale.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
