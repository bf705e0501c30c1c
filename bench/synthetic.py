"""Synthetic error catalogues of any size, written as specs."""

from __future__ import annotations

from pathlib import Path

# (status, category) pairs the synthetic errors cycle through
_KINDS = (
    (400, "bad_request"),
    (404, "not_found"),
    (409, "conflict"),
    (422, "validation"),
    (429, "rate_limited"),
    (500, "server"),
    (503, "unavailable"),
)


def spec_text(name: str, errors: int) -> str:
    """A spec for API ``name`` with ``errors`` catalogue entries (flat {code, message} body)."""
    lines = [
        "errorsdk: 1",
        "api:",
        f"  name: {name}",
        "  version: 1.0.0",
        f"  title: Synthetic API {name}",
        "envelope:",
        "  code: error.code",
        "  message: error.message",
        "  detail: error.details",
        "codes:",
        "  type: string",
        "errors:",
    ]
    for i in range(errors):
        status, category = _KINDS[i % len(_KINDS)]
        lines += [
            f"  - code: {category}_case_{i:05d}",
            f"    status: {status}",
            f"    category: {category}",
            f"    message: Synthetic failure number {i} of the {category} kind",
            f"    description: Raised when synthetic condition {i} does not hold.",
            "    fixes:",
            f"      - Fix synthetic condition {i} and retry.",
        ]
    return "\n".join(lines) + "\n"


def write_specs(folder: Path, apis: int, errors: int) -> list[Path]:
    """``apis`` specs of ``errors`` errors each, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(apis):
        path = folder / f"syn{n:04d}.yaml"
        path.write_text(spec_text(f"syn{n:04d}", errors), "utf-8")
        paths.append(path)
    return paths
