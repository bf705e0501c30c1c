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


def detail_spec_text(name: str, schemas: int) -> str:
    """A spec of ``schemas`` errors, each with its own detail schema (an object with
    typed, constrained fields and a list of a shared schema): detail models to generate."""
    lines = [
        "errorsdk: 1",
        "api:",
        f"  name: {name}",
        "  version: 1.0.0",
        f"  title: Synthetic API {name}",
        "  models: dataclasses",
        "envelope:",
        "  code: error.code",
        "  message: error.message",
        "  detail: error.details",
        "codes:",
        "  type: string",
        "schemas:",
        "  Problem:",
        "    type: object",
        "    properties:",
        "      field: {type: string, maxLength: 200}",
        "      reason: {type: string, enum: [missing, invalid, too_long]}",
        "    required: [field, reason]",
        "errors:",
    ]
    for i in range(schemas):
        lines += [
            f"  - code: validation_case_{i:05d}",
            "    status: 422",
            "    category: validation",
            f"    message: Synthetic validation failure number {i}",
            "    detail_schema:",
            "      type: object",
            "      properties:",
            "        request_id: {type: string}",
            f"        limit_{i}: {{type: integer, minimum: 0}}",
            "        window: {type: string, enum: [second, minute, hour]}",
            "        problems: {type: array, items: {$ref: '#/schemas/Problem'}}",
            "      required: [problems]",
        ]
    return "\n".join(lines) + "\n"
