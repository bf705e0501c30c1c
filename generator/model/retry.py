"""The spec's ``retry`` section -> RetryModel (header names lower-cased)."""

from __future__ import annotations

from ..spec.format import RetrySpec
from .data import RetryModel


def build_retry(spec: RetrySpec, after_paths: tuple[str, ...] = ()) -> RetryModel:
    """Where the generated package looks for retry advice (``after_paths``: the spec's
    retry.after_paths, parsed and written as layout.path_text writes them)."""
    limits = spec.rate_limit

    def lower(name: str | None) -> str | None:
        return name.lower() if name else None

    return RetryModel(
        after_headers=tuple(dict.fromkeys(h.lower() for h in spec.after_headers)),
        limit_header=lower(limits.limit) if limits else None,
        remaining_header=lower(limits.remaining) if limits else None,
        reset_header=lower(limits.reset) if limits else None,
        max_retry_after=float(spec.max_retry_after),
        should_retry_header=spec.should_retry_header.lower(),
        after_paths=after_paths,
    )
