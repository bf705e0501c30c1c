"""Render an ApiModel into files through the Jinja2 templates in ``templates/``.

Templates are named after the file they produce: ``templates/project/X.jinja``
becomes ``generated/<package>/X``, ``templates/package/X.jinja`` becomes
``generated/<package>/<package>/X``.

Compiled templates are kept in a bytecode cache (see ``jinja_cache_dir``), so a
later run in a new process skips compiling them. Jinja2 rejects an entry whose
template source changed (it stores a checksum of the source); the file names
carry what else the bytecode depends on: the jinja2 and Python versions, and the
generator's own source (the environment's options and the filters' signatures
are compiled in).
"""

from __future__ import annotations

import os
import sys
import time
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from . import formatting, literals, openapi_output, taxonomy
from .docs import build_page
from .incremental import source_digest
from .model import ApiModel
from .redaction import DEFAULT_SECRET_HEADERS, SECRET_MARKERS
from .writing import MARKER, SPEC_COPY

SECRET_HEADERS = DEFAULT_SECRET_HEADERS  # kept for importers; the package's own set is api.secret_headers
# Package files made only for an API whose spec has JSON Schemas.
_MODELS_ONLY = frozenset({"_detail.py"})


def templates_dir() -> Path:
    """The templates: the repository's ``templates/`` or the installed copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "_templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("errorsdk templates not found")


def jinja_cache_dir() -> Path:
    """``$ERRORSDK_CACHE_DIR``, else ``errorsdk/jinja`` in ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    if explicit := os.environ.get("ERRORSDK_CACHE_DIR"):
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # XDG: a relative value is ignored
    return base / "errorsdk" / "jinja"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, where an entry that cannot be read or written is a miss, never an error.

    jinja2 3.1 itself only ignores a missing or unreadable entry: a cache folder that is a
    file (NotADirectoryError), a truncated entry (pickle errors) or any failure to write
    would fail the run.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever a damaged entry raises: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # read-only, full or missing folder: this run compiled, the next one will too
            pass


PRUNE_AFTER = 30 * 24 * 3600  # seconds: an entry of another key not written for this long is deleted


def prune(folder: Path, key: str, now: float, max_age: float = PRUNE_AFTER) -> list[Path]:
    """Delete the entries of other keys (older generators, jinja2 or Python versions) last written
    over ``max_age`` seconds before ``now``; return them. Entries of ``key``, and files that are
    not entries, are left alone. Never raises: pruning is housekeeping.

    A generator whose source changed writes a new key's entries; without this the
    folder would keep every version's. The age keeps entries that another
    installation still in use (a second virtual environment) wrote recently.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.glob("jinja2-*.cache"))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not entry.name.startswith(key + "-") and now - entry.stat().st_mtime > max_age:
                entry.unlink()
                removed.append(entry)
        except OSError:  # gone meanwhile, or not ours to delete
            continue
    return removed


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache in ``jinja_cache_dir()`` (pruned), or None when that folder cannot be made."""
    python = f"{sys.implementation.name}{sys.version_info.major}.{sys.version_info.minor}"
    try:
        key = f"jinja2-{version('jinja2')}-{python}-{source_digest()[:16]}"
        folder = jinja_cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError, PackageNotFoundError):  # RuntimeError: Path.home() without a home
        return None
    prune(folder, key, time.time())
    return _BytecodeCache(str(folder), key.replace("%", "%%") + "-%s.cache")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        py=literals.py,
        py_text=literals.py_text,
        doc=literals.doc,
        module_doc=literals.module_doc,
        literal_type=literals.literal_type,
        toml=literals.toml,
        md=literals.md,
        md_code=literals.md_code,
        md_block=literals.md_block,
        md_fence=literals.md_fence,
        html=literals.html,
        html_comment=literals.html_comment,
        md_url=literals.md_url,
    )
    return env


def _context(api: ApiModel) -> dict[str, Any]:
    header_text = (
        f"Generated by errorsdk {api.generator_version} from {literals.comment(api.spec_file)}. "
        "Do not edit: edit the spec and run `errorsdk generate`."
    )
    env = api.envelope
    return {
        "api": api,
        "header": "# " + header_text,
        "header_text": header_text,
        "package_doc": api.package_doc,
        "code_literal": api.code_literal,
        "error_exports": api.error_exports,
        "dispatch_imports": api.dispatch_imports,
        "secret_headers": api.secret_headers,
        "secret_markers": SECRET_MARKERS,
        "body_writers": env.body_writers,
        "item_writers": env.item_writers,
        "header_writers": env.header_writers,
        "category_status": {c.name: c.statuses[0] for c in taxonomy.CATEGORIES if c.statuses},
        "example_class": next((e for e in api.errors if e.code is not None), None),
        "marker_file": MARKER,
        "spec_copy": SPEC_COPY,
        "docs": build_page(api),
        "openapi_responses": openapi_output.responses(api),
    }


def render(api: ApiModel, jobs: int = 1) -> dict[str, str]:
    """Every file of the package, by path relative to ``generated/<package>/``.

    ``jobs``: processes black may use for the package's Python files (see ``format_all``).
    """
    env = environment()
    context = _context(api)
    files: dict[str, str] = {}
    for name in sorted(env.list_templates(extensions=["jinja"])):
        folder, _, leaf = name.partition("/")
        target = leaf.removesuffix(".jinja")
        if folder == "package":
            target = f"{api.package}/{target}"
        elif folder != "project":
            continue
        if leaf.removesuffix(".jinja") in _MODELS_ONLY and api.details is None:
            continue
        files[target] = env.get_template(name).render(context)
    python = {target: text for target, text in files.items() if target.endswith((".py", ".pyi"))}
    files.update(formatting.format_all(python, jobs))
    if api.details is not None:
        from . import models_codegen  # imports datamodel-code-generator: only for specs with schemas

        files[f"{api.package}/models.py"] = models_codegen.render_models(
            api.details, api.spec_file, context["header"]
        )
    return files
