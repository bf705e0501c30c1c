# Stand-in for what the runtime modules use of a generated package's _base.py, so that
# mypy checks them alone. Never copied into a package.
from typing import NamedTuple

class RateLimit(NamedTuple):
    limit: int | None
    remaining: int | None
    reset: float | None

class _StandInError(Exception):
    """The API's base class (``APIError``): the attributes the runtime reads and sets."""

    headers: dict[str, str]
    retryable: bool
    retry_after: float | None
    rate_limit: RateLimit | None
    request_method: str | None
    request_url: str | None

def redact_url(url: object) -> str | None: ...
