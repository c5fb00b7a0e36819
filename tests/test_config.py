"""ippo.config: one settings class, env > ippo.toml > default, clear errors, `ippo config`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ippo.cli import app
from ippo.config import (
    DEFAULT_CLOSE_UNSEEN_AFTER_DAYS,
    Settings,
    SettingsError,
    env_name,
    origins,
)
from tests.conftest import ROOT


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No ippo setting inherited from the environment the tests run in."""
    for name in list(os.environ):
        if name.upper().startswith("IPPO_") or name.upper().startswith("USAJOBS_"):
            monkeypatch.delenv(name)
    return monkeypatch


def _write_toml(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "ippo.toml").write_text(text, encoding="utf-8")


def test_precedence_env_over_ippo_toml_over_default(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    clean_env.setenv("IPPO_HOME", str(home))
    assert Settings().close_unseen_after_days == DEFAULT_CLOSE_UNSEEN_AFTER_DAYS
    _write_toml(home, "[load]\nclose_unseen_after_days = 3\n[api]\nmax_k = 20\n")
    from_file = Settings()
    assert (from_file.close_unseen_after_days, from_file.max_k) == (3.0, 20)
    assert origins(from_file)["close_unseen_after_days"] == "ippo.toml"
    clean_env.setenv("IPPO_CLOSE_UNSEEN_AFTER_DAYS", "7.5")
    from_env = Settings()
    assert (from_env.close_unseen_after_days, from_env.max_k) == (7.5, 20)
    assert origins(from_env)["close_unseen_after_days"] == "env"
    assert origins(from_env)["torch_threads"] == "default"


def test_ippo_toml_is_read_from_the_home_given_as_argument(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    _write_toml(tmp_path / "a", "[occupations]\ndense = false\n")
    assert Settings(home=tmp_path / "a").occupations_dense is False
    assert Settings(home=tmp_path / "b").occupations_dense is True


def test_layout_follows_home(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings(home=tmp_path)
    assert settings.warehouse_path == tmp_path / "warehouse.duckdb"
    assert settings.raw_dir == tmp_path / "raw"
    assert settings.serving_dir == tmp_path / "serving"
    assert settings.dense_view.cache_dir == tmp_path / "cache" / "occupations"


def test_a_bad_environment_value_names_the_variable_and_what_to_do(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("IPPO_CLOSE_UNSEEN_AFTER_DAYS", "0")
    with pytest.raises(SettingsError, match=r"IPPO_CLOSE_UNSEEN_AFTER_DAYS='0'.*greater than 0"):
        Settings()
    clean_env.setenv("IPPO_CLOSE_UNSEEN_AFTER_DAYS", "soon")
    clean_env.setenv("IPPO_LOAD_OCCUPATIONS", "maybe")
    with pytest.raises(SettingsError) as caught:
        Settings()
    message = str(caught.value)
    assert "IPPO_CLOSE_UNSEEN_AFTER_DAYS='soon'" in message and "a number of days" in message
    assert "IPPO_LOAD_OCCUPATIONS='maybe'" in message and "0/false/off" in message


def test_a_bad_ippo_toml_value_names_the_file_and_key(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    _write_toml(tmp_path, '[api]\nmax_k = "many"\n')
    with pytest.raises(SettingsError, match=r"\[api\] max_k in .*ippo\.toml.*whole number"):
        Settings(home=tmp_path)


def test_unknown_or_broken_ippo_toml_is_refused(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    _write_toml(tmp_path, "[load]\nclose_unseen_days = 3\n")
    with pytest.raises(SettingsError, match=r"unknown setting\(s\) \[load\] close_unseen_days"):
        Settings(home=tmp_path)
    _write_toml(tmp_path, "[load\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings(home=tmp_path)


def test_secrets_are_not_shown_in_a_validation_error(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("IPPO_MAX_K", "0")
    clean_env.setenv("IPPO_USER_KEY", "a-secret-key-value")
    with pytest.raises(SettingsError) as caught:
        Settings()
    assert "a-secret-key-value" not in str(caught.value)


def test_usajobs_names_are_not_prefixed(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("USAJOBS_API_KEY", "k-123")
    clean_env.setenv("USAJOBS_EMAIL", "ops@example.org")
    settings = Settings()
    assert settings.usajobs_api_key_value() == "k-123" and settings.usajobs_email == "ops@example.org"
    assert env_name("usajobs_api_key") == "USAJOBS_API_KEY" and env_name("max_k") == "IPPO_MAX_K"


def test_ippo_config_shows_sources_and_masks_secrets(ippo_home: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("IPPO_HOME", str(ippo_home))
    clean_env.setenv("IPPO_USER_KEY", "user-key-never-shown")
    clean_env.setenv("USAJOBS_API_KEY", "usajobs-key-never-shown")
    clean_env.setenv("IPPO_MAX_K", "12")
    _write_toml(ippo_home, "[embedding]\nmodel = 'some-model'\n")
    result = CliRunner().invoke(app, ["config", "--json"])
    assert result.exit_code == 0, result.output
    assert "never-shown" not in result.output
    rows = {row["field"]: row for row in json.loads(result.stdout)["settings"]}
    assert rows["user_key"]["value"] == rows["usajobs_api_key"]["value"] == "********"
    assert (rows["max_k"]["value"], rows["max_k"]["source"]) == (12, "env")
    assert (rows["embedding_model"]["value"], rows["embedding_model"]["source"]) == ("some-model", "ippo.toml")
    assert (rows["torch_threads"]["value"], rows["torch_threads"]["source"]) == (1, "default")
    assert rows["home"]["value"] == str(ippo_home.resolve())
    text = CliRunner().invoke(app, ["config"])
    assert text.exit_code == 0 and "never-shown" not in text.output
    assert "IPPO_MAX_K" in text.output and "(env)" in text.output


def test_ippo_config_reports_a_bad_value_and_exits_2(ippo_home: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("IPPO_HOME", str(ippo_home))
    clean_env.setenv("IPPO_TORCH_THREADS", "none")
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 2
    assert "IPPO_TORCH_THREADS='none'" in result.output


def test_ippo_config_imports_nothing_else_of_ippo() -> None:
    code = (
        "import sys, ippo.config\n"
        "mine = ('ippo', 'pipeline', 'ranker', 'api', 'crawlers', 'benchmarks')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in mine and m not in ('ippo', 'ippo.config')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
