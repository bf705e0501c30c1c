"""Render the error-reference pages of an API (templates/docs/) and write them to a folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .model import ApiModel
from .rendering import _context, environment

FORMATS = ("md", "html")


def render_docs(api: ApiModel, formats: tuple[str, ...] = FORMATS) -> dict[str, str]:
    """``{file name: text}``: ``<api>.md`` (and ``<api>.html``) from ``templates/docs/reference.*``."""
    env = environment()
    ctx = _context(api)
    return {f"{api.name}.{fmt}": env.get_template(f"docs/reference.{fmt}.jinja").render(ctx) for fmt in formats}


def write_docs(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Write each file atomically (temporary file, then rename); returns the names that changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in sorted(files.items()):
        target = out_dir / name
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
        changed.append(name)
    return changed
