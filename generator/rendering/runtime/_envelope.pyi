# Stand-in for what the runtime modules use of a generated package's _envelope.py
# (templates/package/_envelope.py.jinja: the spec's settings for _core and _json), so
# that mypy checks them alone. Never copied into a package.
from typing import Any

CONTENT_TYPE: str
ORJSON: tuple[int, ...] | None
SECRET_HEADERS: frozenset[str]
SECRET_SQUASHED: frozenset[str]
SECRET_MARKERS: tuple[str, ...]
READ_HEADERS: frozenset[str]
CODE_PREFIX: str | None
BODY_WRITERS: tuple[tuple[str, tuple[Any, ...]], ...]
ITEMS_AT: tuple[Any, ...] | None
ITEM_WRITERS: tuple[tuple[str, tuple[Any, ...]], ...]
HEADER_WRITERS: tuple[tuple[str, str], ...]
MARKS: tuple[tuple[tuple[Any, ...], Any], ...]
CATEGORY_STATUS: dict[str, int]
DEFAULT_STATUS: int

def render_body(doc: Any) -> bytes: ...
