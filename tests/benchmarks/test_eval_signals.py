"""The generalization report of benchmarks/eval_signals.py never shows test-split items."""

from __future__ import annotations

import sys

import pytest

from benchmarks import eval_signals
from pipeline.signals.evaluate import load_generalization


def test_errors_of_the_test_split_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["eval_signals", "--set", "generalization", "--errors", "--split", "test"])
    with pytest.raises(SystemExit) as exc:
        eval_signals.main()
    assert exc.value.code == 2


def test_the_error_listing_names_tune_items_only(capsys: pytest.CaptureFixture[str]) -> None:
    path = eval_signals.SETS["generalization"]
    eval_signals.run_generalization(path, errors=True)
    out = capsys.readouterr().out
    items = load_generalization(path)
    listed = {line.split('"id": "')[1].split('"')[0] for line in out.splitlines() if line.startswith("  ERR")}
    assert listed, "the tagger makes some errors on the tune split, and they are listed"
    assert listed <= {item["id"] for item in items if item["split"] == "tune"}
    test_texts = [item["text"] for item in items if item["split"] == "test"]
    assert not [text for text in test_texts if text in out]
    assert "-- test split --" in out and "baseline (naive keywords)" in out
