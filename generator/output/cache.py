"""Skip specs whose package is already up to date, without rendering them.

A spec's *inputs digest* covers its bytes, every template, the generator's own
source and version; a package's *tree digest* covers every file of it. After a
run, ``(inputs digest, package, tree digest)`` is recorded per spec in a cache
file beside the output folder (``.errorsdk-cache-<out>.json``, never committed).
A later run skips a spec only when its inputs digest is unchanged *and* the
package on disk still has the recorded tree digest, so a hand-edited or deleted
package is regenerated. ``--check`` never uses the cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from functools import cache
from pathlib import Path

from .. import __version__
from ..spec.files import read_regular
from .write import PackageOutput, write_file_atomically

_VERSION = 1  # of the cache file's layout


def _hash_files(digest: hashlib._Hash, root: Path, paths: list[Path]) -> None:
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")


# The libraries whose output lands in the files: a new version may write other bytes.
WRITERS = ("black", "datamodel-code-generator", "jinja2")


@cache
def source_digest() -> str:
    """The generator's version and Python source, without the templates, and the
    versions of the libraries that write the output (``WRITERS``)."""
    versions = "".join(f"{name} {importlib.metadata.version(name)}\0" for name in WRITERS)
    digest = hashlib.sha256(f"errorsdk {__version__}\0{versions}".encode())
    source = Path(__file__).resolve().parent.parent  # the whole errorsdk package
    _hash_files(digest, source, [p for p in source.rglob("*.py") if "__pycache__" not in p.parts])
    return digest.hexdigest()


@cache
def generator_digest() -> str:
    """The generator's version, source and templates: what turns a spec into a package."""
    from ..rendering.templates import templates_dir  # jinja2: only when some spec is checked

    digest = hashlib.sha256(source_digest().encode() + b"\0")
    templates = templates_dir()
    _hash_files(digest, templates, [p for p in templates.rglob("*") if p.is_file()])
    return digest.hexdigest()


def inputs_digest(spec_path: Path) -> str:
    """What the package of ``spec_path`` depends on."""
    digest = hashlib.sha256(generator_digest().encode() + b"\0")
    digest.update(read_regular(spec_path)[0])  # never blocks: a FIFO raises OSError
    return digest.hexdigest()


def _tree(files: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for rel, data in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def output_digest(output: PackageOutput) -> str:
    """The tree digest ``output`` has once written."""
    return _tree([(rel, text.encode("utf-8")) for rel, text in output.files.items()])


def disk_digest(folder: Path) -> str | None:
    """The tree digest of a package folder on disk, None when it is missing."""
    if not folder.is_dir():
        return None
    files = [
        (p.relative_to(folder).as_posix(), p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return _tree(files)


def cache_path(out_dir: Path) -> Path:
    return out_dir.parent / f".errorsdk-cache-{out_dir.name}.json"


class BuildCache:
    """What the last run produced, per spec; see the module docstring."""

    def __init__(self, out_dir: Path, enabled: bool = True) -> None:
        """``enabled=False`` (``--no-cache``) skips nothing, but still records this run."""
        self.out_dir = out_dir
        self.enabled = enabled
        self.entries: dict[str, dict[str, str]] = {}
        if enabled:
            try:
                data = json.loads(cache_path(out_dir).read_text("utf-8"))
                if data.get("version") == _VERSION and isinstance(data.get("specs"), dict):
                    self.entries = data["specs"]
            except (OSError, ValueError, AttributeError):
                pass
        self._saved = json.dumps(self.entries, sort_keys=True) if enabled else None

    @staticmethod
    def _key(spec_path: Path) -> str:
        try:
            return str(spec_path.resolve())
        except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
            return os.path.abspath(spec_path)

    def fresh(self, spec_path: Path) -> str | None:
        """The package name when ``spec_path``'s package is up to date on disk, else None."""
        if not self.enabled:
            return None
        entry = self.entries.get(self._key(spec_path))
        if not isinstance(entry, dict):
            return None
        try:
            if entry.get("inputs") != inputs_digest(spec_path):
                return None
        except OSError:
            return None
        package = entry.get("package")
        if not isinstance(package, str) or disk_digest(self.out_dir / package) != entry.get("tree"):
            return None
        return package

    def record(self, spec_path: Path, output: PackageOutput) -> None:
        self.entries[self._key(spec_path)] = {
            "inputs": inputs_digest(spec_path),
            "package": output.package,
            "tree": output_digest(output),
            "warnings": output.warnings,
        }

    def warnings(self, spec_path: Path) -> str:
        """The warnings recorded when ``spec_path`` was last generated ("" if none)."""
        entry = self.entries.get(self._key(spec_path))
        found = entry.get("warnings", "") if isinstance(entry, dict) else ""
        return found if isinstance(found, str) else ""

    def forget(self, spec_path: Path) -> None:
        self.entries.pop(self._key(spec_path), None)

    def save(self) -> None:
        if not self.out_dir.is_dir() or json.dumps(self.entries, sort_keys=True) == self._saved:
            return  # nothing new to record: a run that changes nothing writes nothing
        data = json.dumps({"version": _VERSION, "specs": self.entries}, indent=1, sort_keys=True).encode()
        try:
            write_file_atomically(cache_path(self.out_dir), data, durable=False)
        except OSError:
            pass  # a cache that cannot be written (a read-only or full disk) costs speed, never output
