"""Progress bars show on a terminal only; --json output and piped output stay as they were."""

from __future__ import annotations

import io
import json
from pathlib import Path

from typer.testing import CliRunner

from ippo.cli import app
from ippo.progress import Display
from tests.pipeline.warehouse.test_load_publish import JOB_PAGES, _dump, _items, _write_run


def test_bars_show_each_stage_with_its_rate_on_a_terminal() -> None:
    screen = io.StringIO()
    lines: list[str] = []
    with Display(enabled=True, echo=lines.append, file=screen, width=200) as display:
        display.stage("normalize", 0, 400)
        display.stage("normalize", 400, 400)
        display.stage("embeddings", 0, 100)
        display.stage("embeddings", 50, 100)
        display.crawl("greenhouse", items=12, requests=30, errors=1, elapsed_s=4.2)
        display.crawl_done("greenhouse")
        display.echo("loaded 1 raw run(s)")
    shown = screen.getvalue()
    assert "normalize + tag" in shown and "400/400" in shown and "embeddings" in shown and "50/100" in shown
    assert "crawl greenhouse" in shown and "12 items, 30 requests, 1 errors, 4s" in shown
    assert "loaded 1 raw run(s)" in shown and lines == []  # printed above the bars, not beside them


def test_a_display_off_the_terminal_draws_nothing_and_echoes_as_before() -> None:
    lines: list[str] = []
    with Display(enabled=False, echo=lines.append) as display:
        display.stage("normalize", 0, 10)
        display.crawl("lever", items=1, requests=1, errors=0, elapsed_s=0.5)
        display.echo("published snapshot")
    assert lines == ["published snapshot"]
    assert not Display.for_command(as_json=True).enabled


def test_ippo_load_json_and_piped_output_carry_no_progress(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IPPO_HOME", str(tmp_path))
    monkeypatch.setenv("IPPO_LOAD_WORKERS", "1")
    monkeypatch.setenv("IPPO_LOAD_OCCUPATIONS", "false")
    _write_run(tmp_path / "raw", "20261126T000000Z", _dump(_items(JOB_PAGES)))
    result = CliRunner().invoke(app, ["load", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # the whole of stdout is the JSON document
    assert report["totals"]["runs"] == 1 and "━" not in result.output
    again = CliRunner().invoke(app, ["load"])
    assert again.exit_code == 0 and again.output.startswith("loaded 0 raw run(s)") and "━" not in again.output
