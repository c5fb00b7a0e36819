"""`ippo notebooks`: JupyterLab on the analyst notebooks (notebooks/), reading the current snapshot.

The snapshot current when the command starts is handed to the notebooks as $IPPO_SNAPSHOT (their
parameter cell reads it), so a refresh during the session does not change what they show; restart
the kernel after restarting the command to read a newer one. Needs the ``analysis`` extra.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from ippo.steps import cli_settings
from pipeline.warehouse.pointer import current_snapshot

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent.parent / "notebooks"
SNAPSHOT_ENV = "IPPO_SNAPSHOT"  # read by ippo.analysis.snapshot_path
NEEDED = ("jupyterlab", "jupytext", "matplotlib", "pandas")


def missing_modules() -> list[str]:
    """The modules of the analysis extra that are not installed."""
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def launch(command: list[str], env: dict[str, str]) -> int:
    """Run JupyterLab until it is stopped (Ctrl-C) and return its exit code."""
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def notebooks(
    port: Annotated[int, typer.Option(help="JupyterLab's port.")] = 8888,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open a browser tab.")] = True,
    folder: Annotated[Path, typer.Option(help="The folder of notebooks to open.")] = NOTEBOOKS_DIR,
    allow_root: Annotated[bool, typer.Option("--allow-root", help="Let JupyterLab run as root (containers).")] = False,
) -> None:
    """Start JupyterLab on the analyst notebooks, reading the current published snapshot (read-only)."""
    missing = missing_modules()
    if missing:
        typer.echo(f"error: ippo notebooks needs the analysis extra ({', '.join(missing)} not installed): "
                   "run `pip install -e '.[analysis]'` in the project folder, or scripts/setup.sh", err=True)
        raise typer.Exit(2)
    if not folder.is_dir():
        typer.echo(f"error: no notebooks folder at {folder}: the notebooks come with ippo's source tree; "
                   "give --folder PATH", err=True)
        raise typer.Exit(2)
    settings = cli_settings()
    snapshot = current_snapshot(settings.serving_dir)
    if snapshot is None:
        typer.echo(f"error: no published snapshot in {settings.serving_dir}: run `ippo demo` or `ippo refresh` first",
                   err=True)
        raise typer.Exit(2)
    env = {**os.environ, SNAPSHOT_ENV: str(snapshot.resolve()), "IPPO_HOME": str(settings.home.resolve())}
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder.resolve()}", f"--port={port}"]
    if not browser:
        command.append("--no-browser")
    if allow_root:
        command.append("--allow-root")
    typer.echo(f"JupyterLab on {folder.resolve()}, reading snapshot {snapshot.name} (${SNAPSHOT_ENV}); "
               "open a notebook .py with Open With > Notebook; Ctrl-C stops it")
    raise typer.Exit(launch(command, env))


def register(app: typer.Typer) -> None:
    app.command("notebooks")(notebooks)
