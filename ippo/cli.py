"""The `ippo` command line. Each command lives in its own module under ippo/commands/
and registers itself through a `register(app)` function, so commands can be added
without touching this file."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import ippo.commands

app = typer.Typer(
    help="ippo (一歩): supportive job listings, matched to your profile, with the reasons shown.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    for module_info in sorted(pkgutil.iter_modules(ippo.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"ippo.commands.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def main() -> None:
    app()
