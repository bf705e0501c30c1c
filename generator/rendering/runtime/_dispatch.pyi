# Stand-in for what the runtime modules use of a generated package's _dispatch.py, so
# that mypy checks them alone. Never copied into a package.
from typing import Any

from ._spec import APIError

def from_response(
    status: int | None,
    body: bytes | str | None = None,
    headers: object = None,
    *,
    method: str | None = None,
    url: object = None,
) -> APIError | None: ...
def classify(
    status: int | None,
    code: Any,
    message: str | None = None,
    method: str | None = None,
    url: str | None = None,
) -> type[APIError]: ...
