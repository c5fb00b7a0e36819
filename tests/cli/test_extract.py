"""`ippo extract FILE --json` on the real saved pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ippo.cli import app
from tests.conftest import PAGES

runner = CliRunner()


def _extract(path: Path) -> tuple[int, list, str]:
    result = runner.invoke(app, ["extract", str(path), "--json"])
    stdout = result.stdout
    return result.exit_code, json.loads(stdout) if stdout.strip() else [], result.stderr


def test_shift_jis_page() -> None:
    code, listings, _ = _extract(PAGES / "mc-nurse.html")
    assert code == 0
    [listing] = listings
    assert listing["title"] == "正看護師"
    assert listing["employer"]["name"] == "住宅型有料老人ホームGARO　HOME　鶴舞"
    assert listing["salary"]["min"] == 300000.0 and listing["salary"]["unit"] == "MONTH"
    assert listing["locations"][0]["locality"] == "名古屋市"
    assert listing["status"] == "closed"  # validThrough 2026-06-30 has passed


def test_english_page() -> None:
    code, [listing], _ = _extract(PAGES / "indeed_job.html")
    assert code == 0
    assert listing["title"] == "Senior DevOps Engineer"
    assert listing["salary"]["currency"] == "AUD"
    assert listing["employment_types"] == ["FULL_TIME"]


@pytest.mark.parametrize("name", ["kyujiner.html", "yakumatch.html", "seek_job.html"])
def test_page_without_jobposting_is_an_empty_list(name: str) -> None:
    code, listings, _ = _extract(PAGES / name)
    assert (code, listings) == (0, [])


def test_broken_jsonld_is_reported_with_the_file_name(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text('<script type="application/ld+json">{"@type": "JobPosting", "title": </script>', encoding="utf-8")
    code, listings, err = _extract(page)
    assert (code, listings) == (0, [])
    assert f"{page}: JSON-LD block 1 is not valid JSON" in err


def test_missing_title_is_reported_not_fatal(tmp_path: Path) -> None:
    page = tmp_path / "no-title.html"
    page.write_text('<script type="application/ld+json">{"@type": "JobPosting", "url": "https://x.example/1"}</script>',
                    encoding="utf-8")
    code, listings, err = _extract(page)
    assert (code, listings) == (0, [])
    assert "JobPosting 1 skipped: the JobPosting has no title" in err


def test_unknown_encoding_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "odd.html"
    page.write_bytes(b'<meta charset="x-klingon"><script type="application/ld+json">'
                     b'{"@type": "JobPosting", "title": "Clerk", "url": "https://x.example/2"}</script>')
    code, [listing], err = _extract(page)
    assert code == 0 and listing["title"] == "Clerk"
    assert "unknown charset 'x-klingon'" in err


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.html"), "--json"])
    assert result.exit_code == 2
    assert "nope.html is not a file" in result.stderr
