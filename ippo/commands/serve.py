"""`ippo serve`: the API on the published snapshot, in one process or several (``--workers``)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ippo.config import env_name


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Worker processes (default: the setting api_workers, IPPO_API_WORKERS, 1). Above 1, "
                    "stored-profile, feedback and admin refresh routes answer 503: one process owns the user store.",
    )] = None,
) -> None:
    """Serve the API (OpenAPI page at /docs)."""
    import uvicorn

    from api.main import create_app
    from api.request_log import log_config
    from api.workers import startup_notes
    from ippo.steps import cli_settings

    settings = cli_settings()
    count = settings.api_workers if workers is None else workers
    typer.echo(f"serving on http://{host}:{port} (API docs at http://{host}:{port}/docs)"
               + (f" with {count} workers" if count > 1 else ""))
    for note in startup_notes(count):
        typer.echo(f"note: {note}")
    # JSON lines on stderr, one per request (api.request_log); uvicorn's access log stays off.
    if count <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_config=log_config(), log_level="info",
                    access_log=False)
        return
    # Each worker process builds its own app from the settings; the count reaches them (and
    # api.workers' rules) through the environment they inherit.
    os.environ[env_name("api_workers")] = str(count)
    uvicorn.run("api.main:create_app", factory=True, workers=count, host=host, port=port, log_config=log_config(),
                log_level="info", access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
