"""Japanese labels are drawn with a font that has their glyphs (no "Glyph ... missing" fallback)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from ippo.analysis.figures import JAPANESE_FAMILIES, use_japanese_font


def _draw(label: str) -> list[str]:
    fig, ax = plt.subplots()
    try:
        ax.barh([label, "unknown"], [3, 1])
        ax.set_title(f"{label} ≥ 2 (時給)")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        return [str(w.message) for w in caught if "Glyph" in str(w.message)]
    finally:
        plt.close(fig)


def test_japanese_labels_render_with_their_glyphs() -> None:
    previous = matplotlib.rcParams["font.family"]
    try:
        family = use_japanese_font()
        assert family in JAPANESE_FAMILIES
        assert _draw("東京都 一般事務") == []
    finally:
        matplotlib.rcParams["font.family"] = previous


def test_the_check_would_see_a_glyph_less_font() -> None:
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        missing = _draw("東京都")
    if not missing:
        pytest.fail("DejaVu Sans drew 東京都 without a missing-glyph warning: the check above proves nothing")
