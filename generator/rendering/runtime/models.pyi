# Stand-in for a generated package's models.py (made from the spec's JSON Schemas), so
# that mypy checks _detail alone. Never copied into a package.
from typing import Any

def __getattr__(name: str) -> Any: ...
