"""Render the error-reference pages of an API (templates/docs/) and write them to a folder."""

from __future__ import annotations

from pathlib import Path

from ..model.data import ApiModel
from ..output.write import make_dir, os_problem, write_file_atomically
from .templates import environment, render_context

FORMATS = ("md", "html")


def render_docs(api: ApiModel, formats: tuple[str, ...] = FORMATS) -> dict[str, str]:
    """``{file name: text}``: ``<api>.md`` (and ``<api>.html``) from ``templates/docs/reference.*``."""
    env = environment()
    ctx = render_context(api)
    return {f"{api.name}.{fmt}": env.get_template(f"docs/reference.{fmt}.jinja").render(ctx) for fmt in formats}


def write_docs(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Write each file atomically (``output.write.write_file_atomically``: mode 0666 less the
    umask, like any tool's output); returns the names that changed."""
    make_dir(out_dir)
    changed = []
    for name, text in sorted(files.items()):
        target = out_dir / name
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        try:
            write_file_atomically(target, data)
        except OSError as exc:
            raise os_problem(exc, f"write {target}") from exc
        changed.append(name)
    return changed
