"""``python -m tests.corpus.digest SPEC...``: a JSON map of each spec to its package's digest.

Run by tests/test_corpus.py under several PYTHONHASHSEED values: the same spec must give
the same bytes in every process.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from errorsdk.output.write import PackageOutput
from errorsdk.pipeline import generate_package


def package_digest(output: PackageOutput) -> str:
    """sha256 over every file's name and text, in name order."""
    h = hashlib.sha256()
    for name in sorted(output.files):
        h.update(name.encode() + b"\0" + output.files[name].encode() + b"\0")
    return h.hexdigest()


def main(paths: list[str]) -> None:
    json.dump({path: package_digest(generate_package(Path(path))) for path in paths}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
