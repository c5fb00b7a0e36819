"""`ippo keys create|list|revoke` through the CLI, and against a running API on the same home:
a key made while the app serves works at once, and a key revoked stops working within seconds."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ippo.cli import app
from tests.api.served import bearer, listing_row, serving

runner = CliRunner()
PROFILE = {"desired_titles": ["データ入力"]}


def _create(*options: str) -> tuple[str, str]:
    """(the command's whole output, the key on its last line)."""
    result = runner.invoke(app, ["keys", "create", *options])
    assert result.exit_code == 0, result.output
    return result.output, result.stdout.strip().splitlines()[-1]


def test_create_list_revoke(ippo_home: Path) -> None:
    output, secret = _create("--scopes", "recommend,profiles", "--name", "就労支援A", "--org", "clinic",
                             "--expires-days", "30")
    key_id = secret.split("_")[1]
    assert secret.startswith(f"ippo_{key_id}_") and len(secret) == len("ippo_") + 11 + 1 + 43
    assert f"created API key {key_id}" in output and "cannot be shown again" in output

    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0
    [line] = listed.stdout.strip().splitlines()
    assert line.startswith(f"{key_id}  就労支援A  scopes profiles,recommend  org clinic")
    assert "last used never" in line and line.endswith("active")
    as_json = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)
    assert as_json[0]["id"] == key_id and as_json[0]["scopes"] == ["profiles", "recommend"]
    assert as_json[0]["expires_at"] is not None and as_json[0]["revoked_at"] is None
    assert secret.split("_", 2)[2] not in listed.output + json.dumps(as_json)

    revoked = runner.invoke(app, ["keys", "revoke", key_id])
    assert revoked.exit_code == 0 and revoked.stdout.strip() == f"revoked API key {key_id}"
    again = runner.invoke(app, ["keys", "revoke", key_id])
    assert again.exit_code == 0 and "already revoked" in again.stdout
    assert "revoked 20" in runner.invoke(app, ["keys", "list"]).stdout


def test_refusals_name_the_problem(ippo_home: Path) -> None:
    bad_scope = runner.invoke(app, ["keys", "create", "--scopes", "recommend,root"])
    assert bad_scope.exit_code == 2 and "unknown scope(s) root" in bad_scope.output
    unknown = runner.invoke(app, ["keys", "revoke", "k0000000000"])
    assert unknown.exit_code == 2 and "no API key with id k0000000000" in unknown.output
    empty = runner.invoke(app, ["keys", "list"])
    assert empty.exit_code == 0 and "ippo keys create" in empty.stdout


def test_a_key_made_while_the_api_serves_works_at_once_and_revoked_stops(ippo_home: Path, embedder: Any) -> None:
    with serving([listing_row("a1", "データ入力")], ippo_home, embedder) as client:
        client.headers.pop("Authorization")
        _, secret = _create("--scopes", "recommend", "--name", "new client")
        assert client.post("/v1/recommendations", json=PROFILE, headers=bearer(secret)).status_code == 200
        listed = runner.invoke(app, ["keys", "list", "--json"]).stdout
        used = next(key for key in json.loads(listed) if key["name"] == "new client")
        assert used["last_used_at"] is not None
        assert runner.invoke(app, ["keys", "revoke", used["id"]]).exit_code == 0
        deadline = time.monotonic() + client.app.state.api_keys.ttl + 2.0
        while client.post("/v1/recommendations", json=PROFILE, headers=bearer(secret)).status_code != 401:
            assert time.monotonic() < deadline, "the revoked key still works"
            time.sleep(0.1)
