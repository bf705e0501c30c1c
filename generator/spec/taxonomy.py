"""The fixed error taxonomy every generated package shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryInfo:
    name: str
    class_name: str
    statuses: tuple[int, ...]
    retryable: bool
    summary: str


CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo("bad_request", "BadRequestError", (400,), False, "The request was malformed or invalid."),
    CategoryInfo("validation", "ValidationError", (422,), False, "The request failed validation."),
    CategoryInfo("authentication", "AuthenticationError", (401,), False, "Credentials are missing or invalid."),
    CategoryInfo("permission", "PermissionDeniedError", (403,), False, "The caller may not perform this action."),
    CategoryInfo("not_found", "NotFoundError", (404, 410), False, "The resource or route does not exist."),
    CategoryInfo("method_not_allowed", "MethodNotAllowedError", (405,), False, "The method is not allowed here."),
    CategoryInfo("conflict", "ConflictError", (409,), False, "The request conflicts with the resource's state."),
    CategoryInfo("precondition_failed", "PreconditionFailedError", (412, 428), False, "A precondition did not hold."),
    CategoryInfo("payload_too_large", "PayloadTooLargeError", (413,), False, "The request or response is too large."),
    CategoryInfo(
        "unsupported_media_type", "UnsupportedMediaTypeError", (415,), False, "The content type is not supported."
    ),
    CategoryInfo("rate_limited", "RateLimitError", (429,), True, "Too many requests: slow down and retry."),
    CategoryInfo("timeout", "RequestTimeoutError", (408, 504), True, "The request took too long."),
    CategoryInfo("server", "InternalServerError", (500,), True, "The server failed."),
    CategoryInfo("unavailable", "ServiceUnavailableError", (502, 503), True, "The service is unavailable."),
    CategoryInfo("not_implemented", "UnimplementedError", (501,), False, "The server does not support this."),
    CategoryInfo("unknown", "UnknownError", (), False, "An error the taxonomy does not classify."),
)

BY_NAME: dict[str, CategoryInfo] = {c.name: c for c in CATEGORIES}
CATEGORY_NAMES: tuple[str, ...] = tuple(c.name for c in CATEGORIES)
_BY_STATUS: dict[int, str] = {s: c.name for c in CATEGORIES for s in c.statuses}


def category_for_status(status: int | None) -> str:
    """The category an HTTP status falls in when nothing more is known."""
    if status is None:
        return "unknown"
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 400 <= status < 500:
        return "bad_request"
    if 500 <= status < 600:
        return "server"
    return "unknown"
