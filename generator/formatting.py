"""Format generated Python with black, in-process."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion

_MODE = Mode(target_versions={TargetVersion.PY311})


def format_code(source: str) -> str:
    """``source`` formatted by black; raises black.InvalidInput if it does not parse."""
    return black.format_str(source, mode=_MODE)
