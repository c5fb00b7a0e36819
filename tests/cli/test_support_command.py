"""`ippo support --near ...`: offices near a place from the published snapshot, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ippo.cli import build_app
from tests.api.served import listing_row
from tests.ranker.support.fixture import write_support_snapshot

ROWS = [listing_row("a1", "データ入力")]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app("support"), ["support", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_in_japanese_names_offices_distances_and_hello_work(ippo_home: Path) -> None:
    write_support_snapshot(ROWS, ippo_home / "serving")
    code, out, _ = _run("--near", "164-0014", "--types", "shuro_ikou,shuro_teichaku", "--radius-km", "3", "-k", "3")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "東京都中野区の近くの支援"
    assert "おおよその位置" in lines[1]
    assert lines[2] == "1. 就労定着支援：就労支援センター　ステッツ中野（0.4キロ）"
    assert lines[4] == "2. 就労移行支援：ディーキャリアＩＴエキスパート　中野オフィス（0.4キロ）"
    assert "03-6454-0427" in lines[5] and "平日 10:00-16:00" in lines[5]
    assert lines[-1] == "担当のハローワーク：新宿"


def test_json_and_english(ippo_home: Path) -> None:
    write_support_snapshot(ROWS, ippo_home / "serving")
    code, out, _ = _run("--near", "35.70567,139.66571", "--radius-km", "1", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "found" and answer["place"]["located_by"] == "coordinates"
    code, out, _ = _run("--near", "35.70567,139.66571", "--radius-km", "1", "--lang", "en")
    assert "Hello Work in charge: not known from coordinates alone; give a postcode" in out
    assert "transition to employment (就労移行支援): ディーキャリアＩＴエキスパート　中野オフィス — 0.5 km" in out


def test_an_unknown_postcode_is_a_clear_error(ippo_home: Path) -> None:
    write_support_snapshot(ROWS, ippo_home / "serving")
    code, _, err = _run("--near", "999-9999")
    assert code == 2 and err.strip() == "error: --near: postcode '999-9999' is not in Japan Post's postcode data"
    code, _, err = _run("--near", "164-0014", "--types", "shuro")
    assert code == 2 and "unknown service type(s) shuro" in err


def test_empty_support_tables_say_nothing_is_loaded(ippo_home: Path) -> None:
    write_support_snapshot(ROWS, ippo_home / "serving", offices=[], hellowork=[])
    code, out, _ = _run("--near", "164-0014", "--lang", "en")
    assert code == 0
    assert "no support offices are loaded in the published data yet" in out
    assert "Hello Work areas are not loaded in the published data" in out
