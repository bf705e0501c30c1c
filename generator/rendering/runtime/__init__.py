"""errorsdk's runtime: the modules of a generated package that do not depend on the spec.

``_core.py`` (the base of the API's base class: display, pickling, ``to_response()``;
header cleaning, URL redaction, the runtime types), ``_json.py`` (JSON bodies: parsing
and writing), ``_retry.py``, ``_clients.py``, ``_observe.py``, ``_server.py`` (the
package's public ``server`` module: framework handlers), ``_detail.py``
(``_detail_pydantic.py`` for pydantic models), ``_xml.py`` (XML bodies instead of
``_json.py``: ``envelope.format: xml``) and ``_events.py`` (for a spec with
``events:``) are ordinary Python, linted,
type-checked (``mypy --strict``) and tested as source here, and copied into every
package byte for byte after one header line (``HEADER``): no template renders them
and black never formats them (a test holds them black-formatted). They import only
relatively, and from the generated modules only under fixed names: ``_spec`` (the
spec's settings, and ``APIError``, the API's base class), ``_envelope`` (what
``_core`` and ``_json`` read of the spec: it imports nothing of the package, so that
``_base`` can import ``_core``) and ``_dispatch`` (``from_response``), and each other;
``_observe`` imports nothing of the package (``_core`` imports it: its ``Observed``
is a base of ``ErrorCore``, the base of the API's base class). The ``.pyi`` files here stand in for those generated modules so that mypy
checks the runtime alone; they are never copied.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ... import __version__
from ...model.data import ApiModel

FOLDER = Path(__file__).resolve().parent

HEADER = f"# errorsdk {__version__} runtime, copied verbatim into every generated package. Do not edit.\n"
"""The first line of every runtime module in a package; the rest is the source file's bytes."""

SOURCES = (
    "_clients.py",
    "_core.py",
    "_detail.py",
    "_detail_pydantic.py",
    "_events.py",
    "_json.py",
    "_observe.py",
    "_retry.py",
    "_server.py",
    "_xml.py",
)
"""The runtime modules, by source file name (the stand-ins and this file are not copied)."""


def modules(api: ApiModel) -> dict[str, str]:
    """``{file name in api's package: runtime source file}`` (``_server.py`` as the public
    ``server.py``): ``_detail.py`` only for a
    spec with JSON Schemas, from the pydantic source for pydantic models; ``_xml.py``
    for a spec whose bodies are XML (``envelope.format: xml``), ``_json.py`` for the
    others."""
    chosen = {
        "_clients.py": "_clients.py",
        "_core.py": "_core.py",
        "_observe.py": "_observe.py",
        "_retry.py": "_retry.py",
        "server.py": "_server.py",
    }
    if api.details is not None:
        chosen["_detail.py"] = (
            "_detail_pydantic.py" if api.details.style == "pydantic" else "_detail.py"
        )
    if api.xml_body:
        chosen["_xml.py"] = "_xml.py"
    else:
        chosen["_json.py"] = "_json.py"
    if api.error_events:  # errors inside server-sent-event streams (spec ``events:``)
        chosen["_events.py"] = "_events.py"
    return chosen


@cache
def source(name: str) -> str:
    """The text of runtime module ``name``, exactly as on disk (no newline translation)."""
    if name not in SOURCES:
        raise ValueError(f"not a runtime module: {name}")
    return (FOLDER / name).read_bytes().decode("utf-8")


def files(api: ApiModel) -> dict[str, str]:
    """The runtime files of ``api``'s package, by path relative to ``generated/<package>/``."""
    return {
        f"{api.package}/{target}": HEADER + source(name)
        for target, name in modules(api).items()
    }
