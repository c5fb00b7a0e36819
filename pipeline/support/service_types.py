"""The kinds of support office ippo knows, by WAM's サービス種別 and by WAM's open-data file code."""

from __future__ import annotations

import re
import unicodedata

# service type -> サービス種別 as WAM writes it (full-width Ａ/Ｂ and brackets).
SERVICE_LABELS: dict[str, str] = {
    "shuro_ikou": "就労移行支援",
    "shuro_keizoku_a": "就労継続支援Ａ型",
    "shuro_keizoku_b": "就労継続支援Ｂ型",
    "shuro_teichaku": "就労定着支援",
    "jiritsu_kunren_seikatsu": "自立訓練（生活訓練）",
    "jiritsu_kunren_kinou": "自立訓練（機能訓練）",
}

# The NN of WAM's sfkopendata_YYYYMM_NN.zip files of the employment services.
WAM_FILE_CODES: dict[str, str] = {
    "60": "shuro_ikou",
    "45": "shuro_keizoku_a",
    "46": "shuro_keizoku_b",
    "62": "shuro_teichaku",
}

_FILE_CODE = re.compile(r"sfkopendata_\d{6}_(\d{2})\.(?:zip|csv)$", re.IGNORECASE)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")


_BY_LABEL = {_fold(label): kind for kind, label in SERVICE_LABELS.items()}


def service_type_of(label: str | None) -> str | None:
    """'就労継続支援Ａ型' (or 'A型', half-width) -> 'shuro_keizoku_a'; None for anything else."""
    return _BY_LABEL.get(_fold(label)) if label else None


def service_type_of_file(name: str) -> str | None:
    """The service type a WAM file name stands for ('sfkopendata_202503_60.zip' -> 'shuro_ikou'), else None."""
    match = _FILE_CODE.search(name.rsplit("/", 1)[-1])
    return WAM_FILE_CODES.get(match.group(1)) if match else None
