"""Which response headers a generated package redacts: the defaults, the spec's own,
and any whose name says it carries a credential."""

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
    "auth",
    "bearer",
    "cookie",
    "credential",
    "csrf",
    "jwt",
    "key",
    "passw",
    "private",
    "pwd",
    "secret",
    "sessid",
    "session",
    "signature",
    "ticket",
    "token",
    "xsrf",
)
"""A header whose name, case-folded and with everything but letters and digits
removed, contains one of these is redacted (``X-Api-Token``, ``PRIVATE-TOKEN``,
``x_amz_security_token``). A name that only looks secret (``Sec-WebSocket-Key``,
``WWW-Authenticate``) costs a redacted value, never a leak. Headers the spec reads
(its envelope's ``header:`` paths and the retry headers) are exempt from the
markers, not from the exact lists."""


def squash(name: str) -> str:
    """``name`` as the markers are looked for in it: case-folded, letters and digits only."""
    return "".join(char for char in name.casefold() if char.isalnum())


def secret_headers(extra: Iterable[str]) -> tuple[str, ...]:
    """The exact header names to redact: the defaults plus ``extra`` (``api.redact_headers``)."""
    return tuple(sorted(set(DEFAULT_SECRET_HEADERS) | {name.strip().lower() for name in extra}))


def squashed_secret_headers(names: Iterable[str]) -> tuple[str, ...]:
    """The exact names as the runtime compares them (see ``squash``), sorted."""
    return tuple(sorted({squash(name) for name in names}))
