"""Matplotlib set-up for the notebooks: a font with Japanese glyphs, so prefecture names and
Japanese titles are drawn instead of empty boxes."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

# Families with Japanese glyphs, preferred first; scripts/system-packages.txt installs the first.
JAPANESE_FAMILIES = ("IPAexGothic", "IPAGothic", "Noto Sans CJK JP", "Noto Sans JP", "TakaoGothic", "VL Gothic")
_FILE_HINTS = ("ipaexg", "ipag", "notosanscjk", "notosansjp", "takaogothic", "vl-gothic")


class JapaneseFontMissingError(RuntimeError):
    """No font with Japanese glyphs is installed."""


def _known_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _register_system_fonts() -> None:
    """Add installed Japanese font files matplotlib's font cache does not know yet (a font
    installed after the cache was built)."""
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower().replace("-", "").replace("_", "") for hint in _FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue


def japanese_font() -> str:
    """The family of the first installed font with Japanese glyphs."""
    for attempt in range(2):
        known = _known_families()
        for family in JAPANESE_FAMILIES:
            if family in known:
                return family
        if attempt == 0:
            _register_system_fonts()
    raise JapaneseFontMissingError(
        "no font with Japanese glyphs is installed (looked for " + ", ".join(JAPANESE_FAMILIES) + "): "
        "install the Debian package fonts-ipaexfont-gothic (scripts/setup.sh installs what "
        "scripts/system-packages.txt lists) or fonts-noto-cjk")


def use_japanese_font() -> str:
    """Draw text with a Japanese font first (Latin characters it lacks fall back to DejaVu Sans);
    returns the family chosen."""
    family = japanese_font()
    # Named families, not the "sans-serif" alias: matplotlib falls back glyph by glyph only along
    # an explicit list (an alias resolves to its one first font).
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return family
