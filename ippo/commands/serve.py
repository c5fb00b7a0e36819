"""`ippo serve`: the API on the published snapshot."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the API (OpenAPI page at /docs)."""
    import uvicorn

    from api.main import create_app
    from api.request_log import log_config
    from ippo.steps import cli_settings

    settings = cli_settings()
    typer.echo(f"serving on http://{host}:{port} (API docs at http://{host}:{port}/docs)")
    # JSON lines on stderr, one per request (api.request_log); uvicorn's access log stays off.
    uvicorn.run(create_app(settings), host=host, port=port, log_config=log_config(), log_level="info",
                access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
