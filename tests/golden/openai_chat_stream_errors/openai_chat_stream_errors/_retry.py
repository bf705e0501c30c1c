# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""When to retry a failed request to the API, and how long to wait first.

``from_response`` reads the advice from the response headers: ``SHOULD_RETRY_HEADER:
true|false`` (``x-should-retry`` unless the spec names another) overrides ``retryable``; ``retry_after`` comes from the first of
``AFTER_HEADERS`` present (seconds, a ``-ms`` header's milliseconds, or an
HTTP-date), else from the body (the spec's ``retry.after_paths``, read by ``body_delay``:
Google's ``RetryInfo.retryDelay``), else from the rate-limit headers when the window
is exhausted. Headers come first: the HTTP standard's ``Retry-After`` (RFC 9110), and a
spec that adds body paths never changes the delay of a response that has the header.

``should_retry`` and ``wait_for`` take an exception or a tenacity retry state::

    tenacity.Retrying(retry=should_retry, wait=wait_for, stop=stop_after_attempt(4))
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Iterable, Mapping, Sequence

from . import _spec
from ._core import RateLimit, redact_url
from ._spec import APIError

AFTER_HEADERS: tuple[str, ...] = _spec.AFTER_HEADERS
"""Headers holding the delay before a retry, tried in order."""
LIMIT_HEADER: str | None = _spec.LIMIT_HEADER
"""The header with the number of requests allowed in the rate-limit window."""
REMAINING_HEADER: str | None = _spec.REMAINING_HEADER
"""The header with the number of requests left in the window."""
RESET_HEADER: str | None = _spec.RESET_HEADER
"""The header with when the window resets (delay, epoch seconds or HTTP-date)."""
SHOULD_RETRY_HEADER: str = _spec.SHOULD_RETRY_HEADER
"""A server's explicit retry decision: ``true`` or ``false``."""
MAX_RETRY_AFTER: float = _spec.MAX_RETRY_AFTER
"""A longer requested delay (seconds) means: do not retry."""
INITIAL_DELAY = 0.5
"""Backoff before the second attempt, in seconds, when the server gives no delay."""
MAX_DELAY = 8.0
"""The longest backoff, in seconds."""

_WATCHED: frozenset[str] = frozenset(_spec.WATCHED_HEADERS)
_EPOCH = 1_000_000_000.0  # a reset value above this is a Unix timestamp
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?(?:ms|h|m|s))+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_SECONDS = re.compile(r"\d+(?:\.\d+)?s")  # a protobuf JSON Duration such as 30s or 1.5s
# A longer text is no delay (the longest float has 309 digits before the point).
_LONGEST = 400


def parse_delay(
    value: str | None, *, unit: float = 1.0, epoch: bool = False
) -> float | None:
    """Seconds to wait, from a header value; None when it says nothing usable.

    Reads a number (times ``unit``), a duration such as ``1m30s`` or ``250ms``,
    an HTTP-date, and with ``epoch`` a Unix timestamp. Never negative, never raises.
    """
    if value is None:
        return None
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(number) or number < 0:
            return None
        if epoch and number > _EPOCH:
            return max(number - time.time(), 0.0)
        return number * unit
    if _DURATION.fullmatch(text):
        return sum(float(n) * _UNITS[u] for n, u in _DURATION_PART.findall(text))
    # Imported here: email.utils and datetime cost more to import than the rest
    # of the package, and most responses never carry an HTTP-date.
    from datetime import UTC
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when.timestamp() - time.time(), 0.0)


def body_delay(value: object) -> float | None:
    """Seconds to wait, from a value in the body; None when it says nothing usable.

    Reads a JSON number of seconds, a protobuf JSON Duration (``"1.5s"``,
    ``"0.000001s"``: Google's ``RetryInfo.retryDelay``), the text of a number or
    a duration such as ``1m30s``, and a Duration as an object (``{"seconds": 1,
    "nanos": 500000000}``). Negative, infinite, NaN or garbage: None. Never raises.
    """
    if type(value) is str:
        if len(value) > _LONGEST:
            return None
        text = value.strip()
        if _SECONDS.fullmatch(text):  # "30s", "1.5s": a Duration, the usual case
            number = float(text[:-1])
        else:
            try:
                number = float(text)
            except ValueError:
                if not _DURATION.fullmatch(text):
                    return None
                number = sum(
                    float(n) * _UNITS[u] for n, u in _DURATION_PART.findall(text)
                )
    elif type(value) is int or type(value) is float:
        try:
            number = float(value)
        except OverflowError:  # an integer beyond the float range
            return None
    elif type(value) is dict:
        seconds, nanos = value.get("seconds", 0), value.get("nanos", 0)
        if (
            isinstance(seconds, str)
            and seconds.isascii()
            and seconds.isdigit()
            and len(seconds) <= _LONGEST
        ):
            seconds = int(seconds)  # proto3 JSON writes int64 as text
        if type(seconds) is not int or type(nanos) is not int or not value:
            return None
        if seconds < 0 or nanos < 0 or nanos >= 1_000_000_000 or seconds > 10**15:
            return None
        number = seconds + nanos / 1e9
    else:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return number


def _count(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def _header(headers: Mapping[str, str], name: str | None) -> str | None:
    return headers.get(name) if name is not None else None


def mark_request(
    errors: Iterable[APIError], method: str | None, url: str | None
) -> None:
    """Record the failed request (method, and URL without secrets) on each error."""
    verb = method.upper() if method else None
    where = redact_url(url)
    for error in errors:
        error.request_method, error.request_url = verb, where


def annotate(
    errors: Sequence[APIError],
    method: str | None,
    url: str | None,
    body_after: float | None = None,
) -> None:
    """Attach the failed request and the response's retry advice to each of ``errors``.

    ``errors`` are those of one response, which share its headers: the error, and
    a group's errors too. ``body_after`` is the delay the body gave (``body_delay``
    of the spec's ``retry.after_paths``), used when no header gives one.
    """
    if method or url is not None:
        mark_request(errors, method, url)
    headers = errors[0].headers
    if not headers or _WATCHED.isdisjoint(headers):
        if body_after is not None:
            for error in errors:
                error.retry_after = body_after
        return  # the common case: no advice, no cost
    flag = headers.get(SHOULD_RETRY_HEADER, "").strip().lower()
    delay = None
    for name in AFTER_HEADERS:
        delay = parse_delay(
            headers.get(name), unit=0.001 if name.endswith("-ms") else 1.0
        )
        if delay is not None:
            break
    if delay is None:
        delay = body_after
    limits = RateLimit(
        _count(_header(headers, LIMIT_HEADER)),
        _count(_header(headers, REMAINING_HEADER)),
        parse_delay(_header(headers, RESET_HEADER), epoch=True),
    )
    if limits == (None, None, None):
        limited = None
    else:
        limited = limits
        exhausted = limits.remaining is not None and limits.remaining <= 0
        if delay is None and exhausted and limits.reset is not None:
            delay = limits.reset
    for error in errors:
        if flag in ("true", "false"):
            error.retryable = flag == "true"
        if delay is not None:
            error.retry_after = delay
        if limited is not None:
            error.rate_limit = limited


def _exception_of(state: object) -> BaseException | None:
    """The exception itself, or the one in a tenacity ``RetryCallState``'s outcome."""
    if state is None or isinstance(state, BaseException):
        return state
    outcome = getattr(state, "outcome", None)
    try:
        found = outcome.exception() if outcome is not None else None
    except Exception:  # noqa: BLE001 - a cancelled outcome
        return None
    return found if isinstance(found, BaseException) else None


def should_retry(state: object, *, max_retry_after: float | None = None) -> bool:
    """Whether to retry after this exception (or tenacity retry state).

    True for an error of this API that is retryable (the spec, else its category,
    unless the server's ``x-should-retry`` said otherwise) and whose
    ``retry_after``, if any, is at most ``max_retry_after`` (default
    ``MAX_RETRY_AFTER``). Any other exception: False.
    """
    error = _exception_of(state)
    if not isinstance(error, APIError) or not error.retryable:
        return False
    cap = MAX_RETRY_AFTER if max_retry_after is None else max_retry_after
    return error.retry_after is None or error.retry_after <= cap


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: 0.5 s doubling per attempt up to 8 s, less 0-25 %."""
    delay = min(INITIAL_DELAY * 2.0 ** min(max(attempt - 1, 0), 32), MAX_DELAY)
    return delay * (1.0 - 0.25 * random.random())


def wait_for(
    state: object, *, attempt: int | None = None, max_retry_after: float | None = None
) -> float:
    """Seconds to wait before the next attempt, after this exception (or tenacity state).

    The server's ``retry_after`` when it gave one within the cap, else
    ``backoff(attempt)``; ``attempt`` (1 for the first) defaults to a tenacity
    state's ``attempt_number``.
    """
    if attempt is None:
        number = getattr(state, "attempt_number", None)
        attempt = number if isinstance(number, int) else 1
    error = _exception_of(state)
    after = error.retry_after if isinstance(error, APIError) else None
    cap = MAX_RETRY_AFTER if max_retry_after is None else max_retry_after
    if after is not None and after <= cap:
        return after
    return backoff(attempt)
