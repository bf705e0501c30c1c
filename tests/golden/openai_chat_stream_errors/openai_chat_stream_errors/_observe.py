# errorsdk 0.1.0 runtime, copied verbatim into every generated package. Do not edit.
"""Where a developer sees an error: tracebacks, logs, traces and error trackers.

``Observed`` is a base of the API's base class, so every error of the package has:

- exception notes (PEP 678): a traceback prints the entry's hint (its fixes), its docs
  link and the retry advice below the error line (the request id is on that line
  already). They are made when something reads ``__notes__`` (the traceback module,
  at print time), never while a response is dispatched, and once: re-raising prints
  them once, and ``add_note()`` appends after them;
- ``log_fields()``: the fields a structured logger wants, never a secret;
- ``span_attributes()`` and ``record_on_span()``: OpenTelemetry's ``error.type`` and
  ``http.response.status_code`` (and the rest of ``log_fields``) on a span, recorded
  on the current span when ``opentelemetry-api`` is installed, a no-op otherwise;
- ``grouping_key``: one key per catalogue entry (its class, never the message text),
  and ``sentry_fingerprint``, a Sentry ``before_send`` hook / event processor that
  groups by it;
- ``__match_args__``: ``case AccessDeniedError(code, status, message)``.

It imports nothing from the package (the base class imports it) and nothing outside
the standard library (OpenTelemetry is looked up on first use).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

FieldValue: TypeAlias = "str | int | float | bool | None"
"""A value of ``log_fields()``: what a structured logger or a span attribute holds."""

_FIELD_LIMIT = 200  # characters of a code or request id the fields and notes show


def _clipped(value: object) -> object:
    """A long text cut for display, saying how much is left out (the error keeps all)."""
    if isinstance(value, str) and len(value) > _FIELD_LIMIT:
        return f"{value[:_FIELD_LIMIT]}... ({len(value) - _FIELD_LIMIT:,} more)"
    return value


def _scalar(value: object) -> FieldValue:
    """``value`` as a field value: itself when a str, int, float or bool, else its text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = _clipped(value if isinstance(value, str) else repr(value))
    assert isinstance(text, str)
    return text


class _Notes:
    """``__notes__``: the error's notes, made on first read and kept in the instance's
    ``__dict__`` (which shadows this descriptor from then on), so ``add_note()``
    appends to them, a re-raise shows them once, and pickle and copy carry them."""

    def __get__(self, instance: Observed | None, owner: object = None) -> Any:
        if instance is None:
            return self
        notes = [] if isinstance(instance, BaseExceptionGroup) else instance.notes()
        instance.__dict__["__notes__"] = notes
        return notes


@cache
def _trace() -> Any:
    """``opentelemetry.trace``, or None when opentelemetry-api is not installed."""
    try:
        return import_module("opentelemetry.trace")
    except ImportError:
        return None


class Observed:
    """What tracebacks, loggers, tracers and error trackers read of an error."""

    __slots__ = ()

    __match_args__: ClassVar[tuple[str, ...]] = ("code", "status", "message")
    """Positional ``match`` patterns: ``case AccessDeniedError(code, status, message)``."""

    if TYPE_CHECKING:
        __notes__: list[str]
        __dict__: dict[str, Any]
        CATEGORY: ClassVar[str]
        code: object
        status: int | None
        message: str
        request_id: str | None
        retryable: bool
        retry_after: float | None
        request_method: str | None
        request_url: str | None

        @property
        def hint(self) -> str | None: ...
        @property
        def docs_url(self) -> str | None: ...
        @property
        def detail_error(self) -> str | None: ...

    else:
        __notes__ = _Notes()

    def notes(self) -> list[str]:
        """The notes a traceback prints below this error: its hint, its docs link, the
        retry advice and why its detail does not match the spec's schema (each when
        there is one). ``__notes__`` starts with them."""
        notes = []
        hint = self.hint
        if hint:  # one note, a line per fix
            notes.append("hint: " + "\n      ".join(hint.splitlines()))
        docs = self.docs_url
        if docs:
            notes.append(f"docs: {docs}")
        if self.retryable:
            after = self.retry_after
            notes.append(
                "retryable" if after is None else f"retryable, after {after:g} s"
            )
        problem = self.detail_error
        if problem:
            notes.append(f"detail does not match its schema: {_clipped(problem)}")
        return notes

    @property
    def error_type(self) -> str:
        """This error's class, fully qualified (OpenTelemetry's ``error.type``)."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    @property
    def grouping_key(self) -> str:
        """The key an error tracker groups this error by: one per catalogue entry (its
        class), the same whatever the message says."""
        return self.error_type

    def log_fields(self) -> dict[str, FieldValue]:
        """The fields a structured logger wants, always the same keys (None when not
        known). Never a secret: no headers, no body, no message (the logger has its
        own), the request URL without credentials or query values.
        ``logger.warning("...", extra=error.log_fields())`` works as is."""
        return {
            "error.type": self.error_type,
            "error.code": _scalar(self.code),
            "error.category": type(self).CATEGORY,
            "error.retryable": self.retryable,
            "error.retry_after": self.retry_after,
            "http.response.status_code": self.status,
            "http.request.id": _scalar(self.request_id),
            "http.request.method": _scalar(self.request_method),
            "url.full": _scalar(self.request_url),
        }

    def span_attributes(self) -> dict[str, str | int | float | bool]:
        """The attributes a span that failed with this error carries: ``log_fields``
        without the unknown ones (OpenTelemetry's ``error.type``,
        ``http.response.status_code``, ``http.request.method`` and ``url.full``
        among them)."""
        return {
            key: value for key, value in self.log_fields().items() if value is not None
        }

    def record_on_span(self, span: Any = None) -> bool:
        """Record this error on ``span`` (the current span when None): its attributes,
        an exception event and an error status. A no-op (False) when opentelemetry-api
        is not installed or the span does not record."""
        trace = _trace()
        if trace is None:
            return False
        if span is None:
            span = trace.get_current_span()
        if not span.is_recording():
            return False
        attributes = self.span_attributes()
        span.set_attributes(attributes)
        span.record_exception(self, attributes=attributes)
        span.set_status(trace.Status(trace.StatusCode.ERROR, self.error_type))
        return True

    @classmethod
    def sentry_fingerprint(cls, event: Any, hint: Any) -> Any:
        """A Sentry ``before_send`` hook (or event processor): an event of this API's
        errors is grouped by its ``grouping_key`` and tagged with its code and status;
        other events pass unchanged. ``sentry_sdk.init(before_send=...)``."""
        info = hint.get("exc_info") if isinstance(hint, dict) else None
        error = info[1] if isinstance(info, tuple) and len(info) == 3 else None
        if isinstance(error, cls) and isinstance(event, dict):
            event["fingerprint"] = [error.grouping_key]
            tags = event.setdefault("tags", {})
            if isinstance(tags, dict):
                fields = error.log_fields()
                for key in ("error.code", "http.response.status_code"):
                    if fields[key] is not None:
                        tags[key] = str(fields[key])
        return event
