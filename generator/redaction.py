"""Which response headers a generated package redacts: the defaults and the spec's own."""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_SECRET_HEADERS: tuple[str, ...] = (
    "api-key",
    "authorization",
    "cookie",
    "proxy-authorization",
    "set-cookie",
    "x-api-key",
    "x-auth-token",
)
"""Header names (lower case) redacted in every generated package."""

SECRET_MARKERS: tuple[str, ...] = (
    "access-token",
    "api-key",
    "api_key",
    "apikey",
    "auth-token",
    "credential",
    "password",
    "secret",
    "session",
)
"""A header whose lower-cased name contains one of these is redacted too (API-key-like names)."""


def secret_headers(extra: Iterable[str]) -> tuple[str, ...]:
    """The exact header names to redact: the defaults plus ``extra`` (``api.redact_headers``)."""
    return tuple(sorted(set(DEFAULT_SECRET_HEADERS) | {name.strip().lower() for name in extra}))
