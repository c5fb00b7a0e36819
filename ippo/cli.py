"""The `ippo` command line. Each command lives in its own module under ippo/commands/
and registers itself through a `register(app)` function, so commands can be added
without touching this file.

A module is named for the command it registers (ippo/commands/load.py registers `ippo load`).
The console entry point uses that to import only the command asked for: importing every
command pulls in Scrapy, scikit-learn and torch, ~4 s of start-up on the 2-core machine,
which would be most of the time of `ippo load` on a run of unchanged items. Help, unknown
names and `from ippo.cli import app` get every command.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import typer

import ippo.commands


def _new_app() -> typer.Typer:
    app = typer.Typer(
        help="ippo (一歩): supportive job listings, matched to your profile, with the reasons shown.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root() -> None:
        # A callback keeps `ippo <command>` a command group even when one command is registered
        # (typer would otherwise run a lone command as the program itself).
        pass

    return app


def command_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(ippo.commands.__path__))


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI with every command, or with the one command ``only`` names."""
    app = _new_app()
    for name in [only] if only else command_modules():
        module = importlib.import_module(f"ippo.commands.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    return app


def _requested(argv: list[str]) -> str | None:
    """The command module argv asks for, or None when all are needed (help, no or unknown command)."""
    if not argv or argv[0].startswith("-"):
        return None
    return argv[0] if argv[0] in command_modules() else None


_full_app: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    # `from ippo.cli import app` (tests, embedding) gets the full CLI, built on first use.
    global _full_app
    if name == "app":
        if _full_app is None:
            _full_app = build_app()
        return _full_app
    raise AttributeError(name)


def main() -> None:
    build_app(_requested(sys.argv[1:]))()
