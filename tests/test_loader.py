"""The spec loader reads with libyaml when PyYAML has it: it must load what the pure-Python parser loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from errorsdk.spec import loader
from errorsdk.spec.diagnostics import SpecError

from .conftest import ALL_SPECS, ROOT, spec_id

BAD_SPECS = sorted((ROOT / "tests" / "bad_specs").glob("*.yaml"))


def _load(path: Path | None, raw: bytes, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """The Document (data and positions) or the problems' text, with one parser or the other."""
    monkeypatch.setattr(loader, "_FAST_LOADER", yaml.CSafeLoader if fast else yaml.SafeLoader)
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


# --- what a loaded spec holds can be written -----------------------------------------------

any_text = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cc",)), max_size=20
)


@settings(max_examples=300, deadline=None)
@given(any_text, st.booleans())
def test_every_loaded_string_can_be_written_as_utf8(text: str, as_key: bool) -> None:
    """A lone surrogate ("\\ud800") anywhere is refused at its position; anything loaded encodes."""
    quoted = json.dumps(text)  # JSON escapes are YAML double-quoted escapes: "\\ud800" stays a lone surrogate
    source = f"k: {quoted}\n" if not as_key else f"{quoted}: 1\n"
    lone = any(0xD800 <= ord(c) <= 0xDFFF for c in loader.join_surrogate_pairs(text))
    try:
        doc = loader.load_document("spec.yaml", source.encode())
    except SpecError as exc:
        assert lone, str(exc)
        assert "spec.yaml:1:" in str(exc) and "lone surrogate" in str(exc)
        return
    assert not lone
    loaded = doc.data["k"] if not as_key else next(iter(doc.data))
    assert loaded == loader.join_surrogate_pairs(text)  # an astral character's pair of escapes is that character
    loaded.encode("utf-8")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=60_000), st.integers(min_value=0, max_value=40))
def test_aliases_cannot_multiply_text(length: int, uses: int) -> None:
    """However long a string and however often it is aliased, the text built stays near the text read."""
    source = f'a: &s "{"x" * length}"\nb: [{", ".join(["*s"] * uses)}]\n'
    try:
        doc = loader.load_document("spec.yaml", source.encode())
    except SpecError as exc:
        assert "aliases (*name) repeat more than" in str(exc)
        assert length * uses > loader.MAX_ALIASED_CHARS
        return
    built = len(doc.data["a"]) + sum(map(len, doc.data["b"]))
    assert built <= len(source) + loader.MAX_ALIASED_CHARS
