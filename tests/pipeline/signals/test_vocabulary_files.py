"""The vocabulary is one file of tags and kinds plus one pattern file per tag; a pattern file
for an unknown tag or with an unknown key is refused with the file named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import VOCAB_DIR
from pipeline.signals import vocabulary as vocab_module
from pipeline.signals.vocabulary import PATTERNS_DIR, VocabularyError, signal_tags, vocabulary


def test_every_tag_with_patterns_has_its_own_file() -> None:
    files = {p.stem for p in (VOCAB_DIR / PATTERNS_DIR).glob("*.toml")}
    assert files == set(signal_tags("supportive")) | set(signal_tags("constraint"))
    assert vocabulary()["tags"]["remote_ok"]["ja_triggers"]


def _vocab_dir(tmp_path: Path, pattern_file: str, text: str) -> Path:
    (tmp_path / PATTERNS_DIR).mkdir()
    (tmp_path / "signals.toml").write_text('[tags.remote_ok]\nkind = "supportive"\n', encoding="utf-8")
    (tmp_path / PATTERNS_DIR / pattern_file).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("name", "text", "message"), [
    ("telework.toml", 'en = ["x"]\n', "no tag 'telework'"),
    ("remote_ok.toml", 'fr = ["x"]\n', "unknown key(s) fr"),
    ("remote_ok.toml", 'en = [\n', "not valid TOML"),
])
def test_a_bad_pattern_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str,
                                     message: str) -> None:
    monkeypatch.setattr(vocab_module, "VOCAB_DIR", _vocab_dir(tmp_path, name, text))
    vocabulary.cache_clear()
    try:
        with pytest.raises(VocabularyError, match=re.escape(message)) as caught:
            vocabulary()
        assert f"pipeline/vocab/signals/{name}" in str(caught.value)
    finally:
        vocabulary.cache_clear()
