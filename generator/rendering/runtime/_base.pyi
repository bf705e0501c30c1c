# Stand-in for what the runtime modules use of a generated package's _base.py, so that
# mypy checks them alone. Never copied into a package.
from typing import Any, ClassVar, NamedTuple

class RateLimit(NamedTuple):
    limit: int | None
    remaining: int | None
    reset: float | None

class _StandInError(Exception):
    """The API's base class (``APIError``): the attributes the runtime reads and sets."""

    CODE: ClassVar[Any]
    STATUS: ClassVar[int | None]
    CATEGORY: ClassVar[str]
    DEFAULT_MESSAGE: ClassVar[str]
    DOCS_URL: ClassVar[str | None]
    RETRYABLE: ClassVar[bool]
    status: int | None
    code: Any
    message: str
    raw_detail: Any
    request_id: str | None
    body: bytes | str | None
    headers: dict[str, str]
    retryable: bool
    retry_after: float | None
    rate_limit: RateLimit | None
    request_method: str | None
    request_url: str | None

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: Any = None,
        detail: Any = None,
        headers: Any = None,
        body: bytes | str | None = None,
        request_id: str | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None: ...
    @property
    def detail_error(self) -> str | None: ...
    def to_response(self) -> tuple[int, dict[str, str], bytes]: ...

def redact_url(url: object) -> str | None: ...
def is_secret(name: str) -> bool: ...
