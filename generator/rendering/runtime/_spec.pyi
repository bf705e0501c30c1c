# Stand-in for a generated package's _spec.py (templates/package/_spec.py.jinja), so that
# mypy checks the runtime modules alone. Never copied into a package.
from ._base import _StandInError

APIError = _StandInError
ERRORS_IN_SUCCESS: bool
AFTER_HEADERS: tuple[str, ...]
LIMIT_HEADER: str | None
REMAINING_HEADER: str | None
RESET_HEADER: str | None
MAX_RETRY_AFTER: float
SHOULD_RETRY_HEADER: str
ERROR_EVENTS: tuple[str, ...]
EVENT_DATA_AT: tuple[str, ...]
EVENT_WHEN: tuple[str, ...]
WATCHED_HEADERS: tuple[str, ...]
REQUEST_ID_HEADER: str | None
