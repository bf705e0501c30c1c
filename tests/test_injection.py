"""No injection from spec text: arbitrary text in every text field comes back exactly.

A hypothesis test writes specs whose messages, descriptions, causes, fixes, URLs,
codes, titles, deprecations, envelope defaults and rule conditions hold arbitrary
unicode plus the fragments that break naive generators (quotes, backslashes,
Jinja delimiters, line breaks, NUL, U+2028, Python code). Each generated package
must compile, import, and return the original text from every attribute and
docstring.

Docstring contract (generator/rendering/literals.py, ``ErrorClass.doc``): a class's ``__doc__``
is ``(description or message).strip()`` exactly; ``DESCRIPTION`` and
``DEFAULT_MESSAGE`` keep the text unstripped. (Python 3.13+ also dedents docstring
values at compile time, so there ``__doc__`` of a multi-line description loses its
common indentation; the constants stay exact.)

ERRORSDK_HEAVY=1 runs many more examples.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from errorsdk.model.build import build_model
from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package
from errorsdk.spec.loader import load_document
from errorsdk.spec.validation import load_spec

HEAVY = bool(os.environ.get("ERRORSDK_HEAVY"))

FRAGMENTS = [
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    "\\n",
    "\\x00",
    "{{ api }}",
    "{{",
    "}}",
    "{% if x %}",
    "{%",
    "%}",
    "{#",
    "#}",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\x7f",
    "\U0001f600",
    "é",
    " ",
    "  ",
    "#",
    "# comment",
    "$",
    "`",
    "|",
    "<script>",
    "]]",
    "[[",
    '"""; import os; os.system("echo pwned"); """',
    "'''; __import__('os').system('x'); '''",
    '\\"""',
    "\\'",
    "\\u2028",
    "\\N{BULLET}",
    "{0}",
    "%s",
    "f'{x}'",
    "\nclass X:\n    pass\n",
    "def f():\n\treturn 1",
    "null",
    "~",
    "yes",
    "1.0",
    "- item",
    "key: value",
    "&a",
    "*a",
    "!!python/object:os.system",
]

text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=6).map("".join)
nonblank = text.filter(lambda t: bool(t.strip()))
STATUSES = [400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503]


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    statuses = draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3, unique=True))
    errors = []
    for i, status in enumerate(statuses):
        entry: dict[str, Any] = {
            "code": f"c{i}_" + draw(text),  # a prefix keeps derived class names distinct
            "status": status,
            "message": draw(text),
            "description": draw(text),
            "causes": draw(st.lists(text, max_size=3)),
            "fixes": draw(st.lists(text, max_size=3)),
            "docs_url": "https://" + draw(text),
        }
        if draw(st.booleans()):
            entry["deprecated"] = draw(nonblank)
        errors.append(entry)
    return {
        "errorsdk": 1,
        "api": {
            "name": "x",  # replaced by a unique name per example
            "version": "1.0.0",
            "title": draw(nonblank),
            "description": draw(text),
            "docs_url": "https://" + draw(text),
        },
        "envelope": {"code": {"path": ["code"], "default": draw(text)}, "message": "message"},
        "errors": errors,
        "rules": [
            {"error": errors[0]["code"], "status": 418, "code": draw(text), "message": re.escape(draw(text))},
            {"error": errors[0]["code"], "path": re.escape(draw(nonblank))},
        ],
    }


_names = itertools.count()


def _doc_of_module(module: Any) -> str:
    return str(module.__doc__)


def _every_fragment() -> dict[str, Any]:
    """One spec whose every text field holds every fragment: always checked."""
    everything = "".join(FRAGMENTS)
    entry = {
        "code": "c0_" + everything,
        "status": 404,
        "message": everything,
        "description": everything,
        "causes": [everything, everything],
        "fixes": [everything],
        "docs_url": "https://" + everything,
        "deprecated": everything,
    }
    return {
        "errorsdk": 1,
        "api": {
            "name": "x",
            "version": "1.0.0",
            "title": everything,
            "description": everything,
            "docs_url": "https://" + everything,
        },
        "envelope": {"code": {"path": ["code"], "default": everything}, "message": "message"},
        "errors": [entry, {**entry, "code": "c1_" + everything, "status": 500, "description": ""}],
        "rules": [
            {"error": entry["code"], "status": 418, "code": everything, "message": re.escape(everything)},
            {"error": entry["code"], "path": re.escape(everything)},
        ],
    }


# No shrinking: each example generates a package (~1 s), and shrinking one can take
# minutes; the failing example is printed as found, and the database replays it.
@example(spec=_every_fragment())
@settings(
    max_examples=400 if HEAVY else 12,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=specs())
def test_spec_text_comes_back_exactly(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    name = f"inj{os.getpid()}x{next(_names)}"
    spec["api"]["name"] = name
    work = tmp_path_factory.mktemp(name)
    path = work / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=False, sort_keys=False, width=10**9), "utf-8")
    assert load_document(path).data == spec  # the loader reads back exactly what was written

    checked = load_spec(path)
    model = build_model(checked)
    write_package(work / "out", generate_package(path))
    root = work / "out" / f"{name}_errors"
    sys.path.insert(0, str(root))
    try:
        pkg = importlib.import_module(f"{name}_errors")
        _check(pkg, spec, model.package_doc, root)
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0] == f"{name}_errors"]:
            del sys.modules[module]


def _check(pkg: Any, spec: dict[str, Any], package_doc: str, root: Path) -> None:
    api = spec["api"]
    title = api["title"]
    base = getattr(pkg, f"{name_prefix(api['name'])}Error")
    assert base.DOCS_URL == api["docs_url"]
    assert base.DEFAULT_MESSAGE == f"{title} error"
    assert base.__doc__.startswith(f"Base class of every {title} error.\n")
    assert pkg.__doc__.rstrip("\n") == package_doc
    assert _doc_of_module(pkg._base).startswith(f"The base exception of every {title} error.\n")
    assert _doc_of_module(pkg._dispatch).startswith(f"Turn a {title} response into the most specific error.\n")
    assert _doc_of_module(pkg._envelope).startswith(f"Where the parts of an error sit in a {title} response.\n")
    assert _doc_of_module(pkg.errors).startswith(
        f"Every {title} error class: one per taxonomy category, one per code.\n"
    )
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["description"] == f"Typed errors of the {title}"

    codes = [e["code"] for e in spec["errors"]]
    assert set(pkg.CODES) == set(codes) == set(pkg.ErrorCode.__args__)
    assert len(pkg.ERROR_CLASSES) == len(spec["errors"])
    for cls, entry in zip(pkg.ERROR_CLASSES, spec["errors"]):
        assert cls.CODE == entry["code"]
        assert cls.STATUS == entry["status"]
        assert cls.DEFAULT_MESSAGE == entry["message"]
        assert cls.DESCRIPTION == entry["description"]
        assert cls.CAUSES == tuple(entry["causes"])
        assert cls.FIXES == tuple(entry["fixes"])
        assert cls.HINT == ("\n".join(entry["fixes"]) or None)
        assert cls.DOCS_URL == entry["docs_url"]
        assert cls.DEPRECATED == entry.get("deprecated")
        assert cls.__doc__ == (entry["description"] or entry["message"]).strip()
        body = json.dumps({"code": entry["code"], "message": entry["message"]}).encode()
        err = pkg.from_response(entry["status"], body)
        assert type(err) is cls and err.code == entry["code"] and err.message == entry["message"]
        assert err.hint == cls.HINT and err.causes == cls.CAUSES and err.docs_url == cls.DOCS_URL

    default = spec["envelope"]["code"]["default"]
    assert pkg.from_response(599, b"{}").code == default
    rule, by_path = spec["rules"]
    compiled, compiled_path = pkg._dispatch.RULES
    assert compiled.code == rule["code"] and compiled.message.pattern == rule["message"]
    assert compiled_path.path.pattern == by_path["path"]
    said = re.sub(r"\\(.)", r"\1", rule["message"], flags=re.S)  # what the escaped pattern matches
    ruled = pkg.from_response(418, json.dumps({"code": rule["code"], "message": said}))
    assert type(ruled) is pkg.ERROR_CLASSES[0]


def name_prefix(name: str) -> str:
    from errorsdk.spec.naming import pascal

    return pascal(name)
