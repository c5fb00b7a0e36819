"""`ippo signals` through the real CLI app."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from ippo.commands.signals import register

runner = CliRunner()


def _app() -> typer.Typer:
    from ippo.cli import app

    return app


def test_json_output_from_stdin() -> None:
    result = runner.invoke(_app(), ["signals", "--json"], input="未経験ＯＫ！在宅勤務不可。週２・３日～ＯＫ")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"tag": "no_experience_ok", "evidence": "未経験ＯＫ", "source": "text"},
        {"tag": "flexible_schedule", "evidence": "週２・３日～", "source": "text"},
    ]


def test_lang_option_and_table() -> None:
    result = runner.invoke(
        _app(), ["signals", "--lang", "en"], input="Flexible part-time hours. Fully remote."
    )
    assert result.exit_code == 0, result.output
    assert "short_hours" in result.stdout and "remote_ok" in result.stdout and "evidence" in result.stdout


def test_empty_stdin_is_an_empty_list() -> None:
    result = runner.invoke(_app(), ["signals", "--json"], input="")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_unknown_lang_is_a_clear_error() -> None:
    result = runner.invoke(_app(), ["signals", "--lang", "fr"], input="x")
    assert result.exit_code == 2
    assert "--lang 'fr' is not supported" in result.output


def test_register_adds_the_command() -> None:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def _noop() -> None:  # a second command so typer keeps sub-command names
        pass

    result = runner.invoke(app, ["signals", "--json"], input="Entry level")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["tag"] == "no_experience_ok"
