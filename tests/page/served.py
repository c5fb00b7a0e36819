"""A small real snapshot for the page tests and the screenshots: listings in Japanese and English
with supportive signs quoted from their text, an employer's certification, pay and hours in
several units, served by the app under uvicorn (tests/api/served.py) without a model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.no_model import NoModelEmbedder
from tests.api.served import listing_row, uvicorn_serving

GAP_OK = {"tag": "career_gap_ok", "evidence": "ブランクのある方も歓迎します", "source": "text"}
SHORT = {"tag": "short_hours", "evidence": "週2日・1日4時間から", "source": "text"}
SUPPORT = {"tag": "on_the_job_support", "evidence": "ジョブコーチが定期的に訪問します", "source": "text"}
MONISU = {"tag": "cert_monisu", "evidence": "もにす認定事業主（2024年）", "source": "registry"}


def _hourly(low: float, high: float) -> dict[str, Any]:
    return {"min": low, "max": high, "currency": "JPY", "unit": "HOUR"}


def page_rows() -> list[dict[str, Any]]:
    titles = ["データ入力スタッフ", "図書館の資料整理", "清掃スタッフ（午前のみ）", "倉庫の軽作業",
              "事務補助（在宅あり）",
              "カフェのキッチン補助", "商品の検品", "書類のスキャン作業", "植物の水やりと手入れ", "受付・電話なし",
              "ノベルティの梱包", "データ入力（短時間）", "Data entry assistant", "Library helper"]
    rows = []
    for number, title in enumerate(titles):
        signals = [GAP_OK] if number % 2 == 0 else [SHORT]
        if number % 3 == 0:
            signals = [*signals, SUPPORT]
        employer = {"name": f"ひだまり{number}株式会社", "normalized_name": f"ひだまり{number}",
                    "registry_tags": [MONISU] if number % 4 == 0 else []}
        extra: dict[str, Any] = {"signals": signals, "employer": employer, "salary": _hourly(1100 + 10 * number, 1300),
                                 "description": f"{title}。{signals[0]['evidence']}"}
        if title.isascii():
            extra |= {"language": "en", "salary": {"min": 15.0, "max": 18.0, "currency": "USD", "unit": "HOUR"},
                      "locations": [{"country": "US", "region": "Oregon", "locality": "Portland", "postal_code": None}]}
        if number == 4:
            extra["remote"] = "hybrid"
        if number == 9:
            extra["hours_per_week"] = None
        rows.append(listing_row(f"p{number:02d}", title, **extra))
    return rows


@contextmanager
def page_server(home: Path, support: bool = False) -> Iterator[str]:
    """The app on a snapshot of page_rows() under ``home``, served on loopback; yields its base URL.
    With ``support``, the snapshot also holds real WAM NET offices and Hello Work areas
    (tests/ranker/support/fixture.py)."""
    if home.exists():
        shutil.rmtree(home)
    if support:
        from tests.ranker.support.fixture import write_support_snapshot

        write_support_snapshot(page_rows(), home / "serving")
    else:
        write_snapshot(page_rows(), None, home / "serving", version="20261126T000000Z")
    app = create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())
    with uvicorn_serving(app) as base:
        yield base
