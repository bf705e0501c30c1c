"""``errorsdk vendor``: copy an API's package source into another project's tree.

The generated package imports itself only relatively, so it works under any parent
package (``myapp/_vendor/flux_errors``) with nothing installed. The vendored folder
gets the same marker as ``generated/`` packages (spec, spec hash, generator
version), so a copy can be traced to its spec and is replaced atomically, and only
if errorsdk wrote it, on the next ``vendor``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from ..pipeline import default_jobs, generate_package
from .write import MARKER, PackageOutput, marker_text, output_lock, recover, write_package


def vendored_output(spec: Path, jobs: int = 1) -> PackageOutput:
    """The package folder of ``spec`` alone (no pyproject/README), with its marker."""
    output = generate_package(spec, jobs)
    prefix = f"{output.package}/"
    files = {rel[len(prefix) :]: text for rel, text in output.files.items() if rel.startswith(prefix)}
    marker = output.files[MARKER]
    files[MARKER] = _retarget(marker, list(files))
    return PackageOutput(output.package, output.spec_file, files, output.version, output.requires)


def _retarget(marker: str, files: list[str]) -> str:
    data = json.loads(marker)
    return marker_text(data["package"], data["spec"], data["spec_sha256"], data["generator_version"], files)


class Vendored(NamedTuple):
    folder: Path  # into/<package>
    changed: bool
    requires: tuple[tuple[str, bool], ...]  # what it imports beyond the standard library (requirement, optional)
    warnings: list[str]  # leftovers that could not be removed (write.leftover_warning)


def vendor(spec: Path, into: Path) -> Vendored:
    """Write the package of ``spec`` to ``into/<package>``."""
    output = vendored_output(spec, default_jobs())
    with output_lock(into):
        warnings = recover(into)
        changed = write_package(into, output, warnings)
    return Vendored(into / output.package, changed, output.requires, warnings)
