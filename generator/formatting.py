"""Format generated Python with black, in-process."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _black() -> tuple[Any, Any]:
    """black and its mode, imported on first use (it is the slowest import of all)."""
    import black
    from black.mode import Mode, TargetVersion

    return black.format_str, Mode(target_versions={TargetVersion.PY311})


def format_code(source: str) -> str:
    """``source`` formatted by black; raises black.InvalidInput if it does not parse."""
    format_str, mode = _black()
    return str(format_str(source, mode=mode))
