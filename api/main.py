"""The ippo API: recommendations from the published snapshot.

The lifespan loads the embedding model and the current snapshot once. Validation errors
name the field and the problem but never echo the submitted values: a profile may hold
health or disability information.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.routers import health, recommendations
from api.settings import Settings
from api.snapshots import NoSnapshotError, SnapshotManager
from ranker.embedding import Embedder

log = logging.getLogger("ippo.api")


def create_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.embedder = embedder or Embedder(settings.embedding_model)
        app.state.snapshots = SnapshotManager(settings.serving_dir)
        try:
            app.state.snapshots.get()
        except NoSnapshotError:
            log.warning("no published snapshot under %s yet; serving 503 until one is published",
                        settings.serving_dir)
        app.state.embedder.encode(["warm-up"])
        yield

    app = FastAPI(
        title="ippo",
        summary="Supportive job listings matched to an aptitude profile, with the reasons shown.",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
            problems.append({"field": where, "problem": str(error.get("msg", "invalid")).removeprefix("Value error, ")})
        return JSONResponse(status_code=422, content={"detail": problems})

    app.include_router(health.router)
    app.include_router(recommendations.router)
    return app
