"""Editable installs of errorsdk: the repository folder ``generator/`` imported as ``errorsdk``.

The wheel maps the folder to the package name with ``sources`` (pyproject.toml), but
hatchling's editable builds refuse a ``sources`` rename (pfmoore/editables#20). So
``dev-mode-dirs`` selects hatchling's explicit editable mode (a ``.pth`` of folders,
here one that never exists, so nothing lands on ``sys.path``) and this hook adds a
finder: a ``.pth`` line imports ``_errorsdk_editable``, which resolves the top-level
name ``errorsdk`` (only that name) to ``generator/`` in the checkout, so edits there
take effect without reinstalling. No top-level ``generator`` module is exposed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FINDER = '''"""errorsdk editable install: ``import errorsdk`` reads {root!r} (written by hatch_build.py)."""

import importlib.abc
import importlib.util
import sys

_ROOT = {root!r}


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name != "errorsdk":
            return None  # submodules: the package's __path__ (the folder) finds them
        return importlib.util.spec_from_file_location(
            name, _ROOT + "/__init__.py", submodule_search_locations=[_ROOT]
        )


if not any(getattr(f, "errorsdk_editable", False) for f in sys.meta_path):  # once, if imported twice
    _finder = _Finder()
    _finder.errorsdk_editable = True  # type: ignore[attr-defined]
    sys.meta_path.append(_finder)
'''


class EditableFinderHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        folder = self._folder = tempfile.mkdtemp(prefix="errorsdk-editable-")
        finder = os.path.join(folder, "_errorsdk_editable.py")
        pth = os.path.join(folder, "_errorsdk_editable.pth")
        with open(finder, "w", encoding="utf-8") as f:
            f.write(FINDER.format(root=os.path.join(self.root, "generator")))
        with open(pth, "w", encoding="utf-8") as f:
            f.write("import _errorsdk_editable\n")
        build_data["force_include_editable"][finder] = "_errorsdk_editable.py"
        build_data["force_include_editable"][pth] = "_errorsdk_editable.pth"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if version == "editable":
            shutil.rmtree(self._folder, ignore_errors=True)  # the wheel holds the files now
