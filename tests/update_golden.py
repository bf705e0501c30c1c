"""Regenerate the golden output of tests/cases into tests/golden/.

    python -m tests.update_golden

(The seed specs' golden output is generated/ itself: `errorsdk generate`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from errorsdk.rendering.docs import render_docs, write_docs
from errorsdk.model.build import build_model
from errorsdk.pipeline import find_specs, generate_package
from errorsdk.spec.validation import load_spec
from errorsdk.output.write import recover, remove_package, stale_packages, write_package

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def main() -> int:
    recover(GOLDEN)
    outputs = [generate_package(spec) for spec in find_specs(ROOT / "tests" / "cases")]
    for output in outputs:
        changed = write_package(GOLDEN, output)
        print(f"{'wrote' if changed else 'unchanged'} tests/golden/{output.package}")
    for folder in stale_packages(GOLDEN, {o.package for o in outputs}):
        remove_package(folder)
    docs: dict[str, str] = {}
    for spec in find_specs(ROOT / "specs") + find_specs(ROOT / "tests" / "cases"):
        docs.update(render_docs(build_model(load_spec(spec))))
    for name in write_docs(GOLDEN / "docs", docs):
        print(f"wrote tests/golden/docs/{name}")
    for extra in sorted(set(p.name for p in (GOLDEN / "docs").iterdir()) - set(docs)):
        (GOLDEN / "docs" / extra).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
