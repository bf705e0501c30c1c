# Stand-in for what the runtime modules use of a generated package's _base.py, so that
# mypy checks them alone. Never copied into a package.
from typing import Any, ClassVar

from ._core import ErrorCore

class _StandInError(ErrorCore):
    """The API's base class (``APIError``): what it adds to ``ErrorCore``."""

    CODE: ClassVar[Any]
    code: Any

    def __init__(
        self,
        message: str | None = None,
        status: int | None = None,
        code: Any = None,
        detail: Any = None,
        headers: Any = None,
        body: bytes | str | None = None,
        request_id: str | None = None,
        *,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None: ...
