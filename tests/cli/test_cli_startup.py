"""The console entry point imports only the command asked for (start-up time of every command)."""

from __future__ import annotations

import subprocess
import sys

from ippo.cli import _requested, command_modules

PROBE = """
import sys
sys.argv = ["ippo", *sys.argv[1:]]
from ippo.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in ("scrapy", "sklearn", "torch", "sentence_transformers", "fastapi") if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
print("CODE=" + str(code))
"""


def _run(*args: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    lines = dict(line.split("=", 1) for line in done.stdout.splitlines() if line.startswith(("HEAVY=", "CODE=")))
    return lines["HEAVY"], lines["CODE"] + "\n" + done.stdout + done.stderr


def test_the_requested_command_module_is_recognised() -> None:
    assert "load" in command_modules() and "profiles" in command_modules()
    assert _requested(["load", "--help"]) == "load"
    assert _requested(["profiles", "list"]) == "profiles"
    assert _requested([]) is None and _requested(["--help"]) is None and _requested(["no-such-command"]) is None


def test_load_and_signals_start_without_scrapy_sklearn_or_torch() -> None:
    for command in ("load", "signals"):
        heavy, output = _run(command, "--help")
        assert heavy == "", f"ippo {command} imported {heavy}"
        assert output.startswith("0\n") and f"ippo {command}" in output


def test_root_help_and_unknown_commands_still_see_every_command() -> None:
    _, output = _run("--help")
    assert output.startswith("0\n")
    for command in ("load", "recommend", "profiles", "serve"):
        assert command in output
    _, output = _run("no-such-command")
    assert output.startswith("2\n") and "No such command" in output
