"""The ippo API: recommendations from the published snapshot.

The app is built from the settings (ippo.config), read once at start-up by `ippo serve` (or
here, when none are given). The lifespan loads the embedding model and the current snapshot once.
Every route but /health, /ready and the OpenAPI pages needs an API key (api.auth, api.access).
Every 4xx and 5xx has one error body that never echoes a submitted value (api.errors): a profile
may hold health or disability information; an unexpected exception is logged by its type and
route only (api.internal_errors). Body size, results per request, requests per key, ranking time
and stored profiles per owner are limited (api.limits, api.rate_limits, api.quotas); each request
is logged as one JSON line (api.request_log); the OpenAPI document lists every route's errors
(api.openapi_docs).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.errors import install_error_handlers
from api.internal_errors import UnexpectedErrorMiddleware
from api.limits import TIME_LIMITED_ROUTES, BodySizeLimit, RequestTimeout, RouteTemplates, page_size_cap
from api.openapi_docs import document_errors
from api.page import router as page_router
from api.query_params import reject_unknown_query
from api.rate_limits import TokenBuckets
from api.request_log import RequestLog
from api.routers import (
    admin,
    feedback,
    health,
    listings,
    profile_recommendations,
    profile_updates,
    profiles,
    recommendations,
    support,
)
from api.snapshots import NoSnapshotError, SnapshotManager
from api.workers import stored_profiles_problem
from ippo.config import Settings
from pipeline.embedding import Embedder
from ranker.query_vectors import QueryVectorCache
from ranker.serving_index import ServingIndex
from ranker.users.api_keys import ApiKeyAuthenticator, ApiKeyStore, ApiKeyStoreError, utc_now
from ranker.users.key import UserKeyError
from ranker.users.store import UserStore, UserStoreBusyError
from ranker.users.stored import StoredScoreCache, warm_stored_scores

log = logging.getLogger("ippo.api")


def _warm(app: FastAPI, index: ServingIndex) -> None:
    """Before a new snapshot is served: the listing facts search reads (api.routers.listings), and
    the scores of the recently active stored profiles (at most the score cache's 64 entries), so
    their first request on it is a repeat request."""
    listings.warm_facts(app, index, app.state.settings.serving_dir)
    store = getattr(app.state, "users", None)
    if store is None:
        return
    started = time.perf_counter()
    warmed = warm_stored_scores(index, store, app.state.embedder, app.state.score_cache)
    if warmed:
        log.info("warmed %d stored profile(s) for snapshot %s in %.1f s", warmed, index.version,
                 time.perf_counter() - started)


def _open_api_keys(app: FastAPI, settings: Settings) -> None:
    """The key database, shared with `ippo keys` (re-read every few seconds); without it every
    route that needs a key answers 503 with the reason."""
    app.state.api_keys = None
    app.state.api_keys_problem = None
    try:
        store = ApiKeyStore.open(settings.home)
    except ApiKeyStoreError as exc:
        app.state.api_keys_problem = str(exc)
        log.warning("API keys unavailable: %s", exc)
        return
    app.state.api_keys = ApiKeyAuthenticator(store)
    if not any(key.active(utc_now()) for key in store.list_keys()):
        log.warning("no active API key yet: every route but /health and /ready answers 401; make one with "
                    "`ippo keys create --scopes recommend,profiles`")


def install_limits(app: FastAPI, settings: Settings) -> None:
    """The middlewares, outermost first: the request log line (api.request_log); 500 for an
    unexpected exception (api.internal_errors); the body-size cap and the ranking timeout
    (api.limits). The rate per key is charged by api.auth, from app.state.rate_limits."""
    app.state.rate_limits = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout_seconds,
                       template_of=RouteTemplates(lambda: TIME_LIMITED_ROUTES))
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(RequestLog, template_of=RouteTemplates(lambda: app.openapi().get("paths", {})))


def create_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    """The API on the settings' data (None: read the settings now); embedder replaces the configured model."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.embedder = embedder or Embedder(settings.embedding_model, threads=settings.torch_threads,
                                                  backend=settings.embedding_backend, cache_dir=settings.cache_dir)
        app.state.query_vectors = QueryVectorCache(app.state.embedder)  # ad hoc profiles (ranker.query_vectors)
        app.state.score_cache = StoredScoreCache()
        _open_api_keys(app, settings)
        app.state.snapshots = SnapshotManager(settings.serving_dir, prepare=lambda index: _warm(app, index))
        try:
            listings.warm_facts(app, app.state.snapshots.get(), settings.serving_dir)
        except NoSnapshotError:
            log.warning("no published snapshot under %s yet; serving 503 until one is published",
                        settings.serving_dir)
        app.state.users = None
        # Several workers cannot share the user store: none opens it (api.workers).
        app.state.users_problem = stored_profiles_problem(settings)
        try:
            # The API is the only writer of the user store while it serves.
            if app.state.users_problem is None:
                app.state.users = UserStore.from_settings(settings)
        except (UserStoreBusyError, UserKeyError) as exc:
            app.state.users_problem = str(exc)
            log.warning("stored profiles unavailable: %s", exc)
        app.state.embedder.encode(["warm-up"])
        try:
            yield
        finally:
            if app.state.users is not None:
                app.state.users.close()

    app = FastAPI(
        title="ippo",
        summary="Supportive job listings matched to an aptitude profile, with the reasons shown.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(page_size_cap(settings.max_k)), Depends(reject_unknown_query)],
    )
    # Every 4xx and 5xx answers with the one error body (api.errors).
    install_error_handlers(app)
    install_limits(app, settings)
    app.openapi = document_errors(app, settings.max_k, settings.max_body_bytes,  # type: ignore[method-assign]
                                  settings.request_timeout_seconds)

    app.include_router(health.router)
    app.include_router(recommendations.router)
    app.include_router(profiles.router)
    app.include_router(feedback.router)
    app.include_router(admin.router)
    app.include_router(listings.router)
    app.include_router(profile_recommendations.router)
    app.include_router(profile_updates.router)
    app.include_router(support.router)
    app.include_router(page_router)  # the web page for people (api/page, docs/page.md)
    return app
