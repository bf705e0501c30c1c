"""Regenerate the golden output of tests/cases into tests/golden/.

    python -m tests.update_golden

(The seed specs' golden output is generated/ itself: `errorsdk generate`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from errorsdk.model.build import build_model
from errorsdk.output.write import recover, remove_package, stale_packages, write_package
from errorsdk.pipeline import find_specs, generate_package
from errorsdk.rendering.docs import render_docs, write_docs
from errorsdk.spec.checked import CheckedSpec
from errorsdk.spec.validation import load_spec

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def clashes(checked: dict[Path, CheckedSpec]) -> list[str]:
    """Why these specs cannot share tests/golden/: two with the same ``api.name`` write the
    same docs page (``docs/<name>.md``), two with the same package the same folder."""
    problems: list[str] = []
    for what, key in (("api.name", lambda c: c.spec.api.name), ("package", lambda c: c.package)):
        seen: dict[str, list[Path]] = {}
        for path, spec in checked.items():
            seen.setdefault(key(spec), []).append(path)
        for value, paths in sorted(seen.items()):
            if len(paths) > 1:
                files = ", ".join(_shown(p) for p in paths)
                problems.append(
                    f"{what} {value!r} is in {len(paths)} specs ({files}): they would write the same "
                    f"{'docs page' if what == 'api.name' else 'golden package'}; give each its own {what}"
                )
    return problems


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(cases: Path = ROOT / "tests" / "cases", specs: Path = ROOT / "specs", golden: Path = GOLDEN) -> int:
    """Refuses (1, nothing written) when two specs would write the same page or package."""
    case_specs = find_specs(cases)
    checked = {spec: load_spec(spec) for spec in find_specs(specs) + case_specs}
    problems = clashes(checked)
    if problems:
        print("\n".join(f"error: {p}" for p in problems) + "\nnothing written", file=sys.stderr)
        return 1
    warnings = recover(golden)
    outputs = [generate_package(spec) for spec in case_specs]
    for output in outputs:
        changed = write_package(golden, output, warnings)
        print(f"{'wrote' if changed else 'unchanged'} {_shown(golden / output.package)}")
    for folder in stale_packages(golden, {o.package for o in outputs}):
        warnings += remove_package(folder)
    for warning in warnings:
        print(warning, file=sys.stderr)
    docs: dict[str, str] = {}
    for spec in checked.values():
        docs.update(render_docs(build_model(spec)))
    for name in write_docs(golden / "docs", docs):
        print(f"wrote {_shown(golden / 'docs' / name)}")
    for extra in sorted(set(p.name for p in (golden / "docs").iterdir()) - set(docs)):
        (golden / "docs" / extra).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
