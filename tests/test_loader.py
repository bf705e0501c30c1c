"""The spec loader reads with libyaml when PyYAML has it: it must load what the pure-Python parser loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import loader
from generator.diagnostics import SpecError

from .conftest import ALL_SPECS, ROOT, spec_id

BAD_SPECS = sorted((ROOT / "tests" / "bad_specs").glob("*.yaml"))


def _load(path: Path | None, raw: bytes, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """The Document (data and positions) or the problems' text, with one parser or the other."""
    monkeypatch.setattr(loader, "_FAST_LOADER", getattr(yaml, "CSafeLoader") if fast else yaml.SafeLoader)
    try:
        doc = loader.load_document(path or "spec.yaml", raw)
    except SpecError as exc:
        return str(exc)
    return doc.data, doc.positions, doc.key_positions


def test_libyaml_is_used_when_present() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    assert loader._FAST_LOADER is yaml.CSafeLoader


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("spec", ALL_SPECS + BAD_SPECS, ids=spec_id)
def test_libyaml_loads_what_the_python_parser_loads(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = spec.read_bytes()
    assert _load(spec, raw, True, monkeypatch) == _load(spec, raw, False, monkeypatch)


yaml_texts = st.text(alphabet=st.sampled_from(list("ab: -[]{}'\"#&*!|>\n\t0.,?")), max_size=60)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@settings(max_examples=500, deadline=None)
@given(yaml_texts)
def test_libyaml_agrees_on_any_text(text: str) -> None:
    # Where both parsers read a text, the same data; where libyaml fails, the
    # Python parser's message. Known, accepted differences on odd texts only:
    # libyaml is laxer (it reads ">#", which the Python parser rejects), and it
    # places an empty implicit node (the key of "[?:]") one column further on.
    # The spec corpus above is compared exactly, positions included.
    with pytest.MonkeyPatch.context() as monkeypatch:
        raw = text.encode()
        fast, slow = _load(None, raw, True, monkeypatch), _load(None, raw, False, monkeypatch)
        if isinstance(slow, str) and "YAML syntax error" in slow:
            if not isinstance(fast, str):
                return  # laxer
        if isinstance(fast, tuple) and isinstance(slow, tuple):
            assert fast[0] == slow[0]
            assert fast[1].keys() == slow[1].keys() and fast[2].keys() == slow[2].keys()
        else:
            assert _without_columns(fast) == _without_columns(slow)


def _without_columns(result: object) -> object:
    """A problem text with its positions' columns dropped (lines must agree)."""
    return re.sub(r"(:\d+):\d+:", r"\1:", result) if isinstance(result, str) else result
