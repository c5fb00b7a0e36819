"""Operator routes (scope admin): give an owner to a profile that has none; start a refresh and
follow it; the health of the sources.

Profiles stored before the API had keys (or with `ippo profiles add`) have no owner: only an
admin key reaches them (list, read, export, delete; api.access). This route hands one to an
organisation or to a key, after which the admin key no longer reaches it. A profile owned by a
key without organisation that has since been revoked or has expired can be handed on too, so it
is never stranded; a profile with a live owner cannot be taken from it (404, as for any profile the key does not reach).

A refresh is `ippo refresh` run by the API in its own process, and the source table is `ippo
sources` (api.refresh_runs): the same code as on the command line, while the API keeps serving.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Request

from api.access import Action, authorize, not_found
from api.auth import AdminKey, get_authenticator
from api.deps import SettingsDep, UserStoreDep
from api.listing_schemas import RefreshIn, RunOut, SourceHealthOut
from api.refresh_runs import RefreshRunningError, RefreshRuns, SourcesCommandError, source_rows
from api.routers.profiles import ProfileId
from api.schemas import ErrorOut, OwnerIn, OwnerOut
from api.workers import refresh_problem
from ranker.users.api_keys import ApiKeyAuthenticator, utc_now
from ranker.users.store import ProfileNotFoundError, UserStore

router = APIRouter(prefix="/v1/admin", tags=["admin"])
_runs_lock = threading.Lock()
RunId = Annotated[str, Path(pattern=r"^r[0-9]{8}T[0-9]{6}Z[0-9a-f]{6}$", description="a refresh run's id")]


def _stranded(owner: str | None, keys: ApiKeyAuthenticator) -> bool:
    """No owner, or a key owner that can no longer call the API."""
    if owner is None:
        return True
    if not owner.startswith("key:"):
        return False
    found = keys.store.find(owner.removeprefix("key:"))
    return found is None or not found[0].active(utc_now())


def _new_owner(body: OwnerIn, keys: ApiKeyAuthenticator) -> str:
    if (body.org is None) == (body.key_id is None):
        raise HTTPException(status_code=422, detail=[{"field": "body", "problem": "give exactly one of org, key_id"}])
    if body.org is not None:
        return f"org:{body.org}"
    found = keys.store.find(body.key_id or "")
    if found is None or not found[0].active(utc_now()) or found[0].org is not None:
        raise HTTPException(status_code=422, detail=[{"field": "key_id", "problem": "names no active API key "
                                                      "without organisation (give org for a key that has one)"}])
    return f"key:{found[0].id}"


def _owner(store: UserStore, profile_id: str) -> str | None:
    try:
        return store.owner_of(profile_id)
    except ProfileNotFoundError:
        raise not_found(profile_id) from None


@router.put("/profiles/{profile_id}/owner", response_model=OwnerOut,
            responses={code: {"model": ErrorOut} for code in (401, 403, 404, 422)})
def set_owner(profile_id: ProfileId, body: OwnerIn, key: AdminKey, request: Request,
              store: UserStoreDep) -> dict[str, Any]:
    """Give an owner (an organisation, or a key without one) to a profile without a live owner."""
    keys = get_authenticator(request)
    owner = _owner(store, profile_id)
    if not _stranded(owner, keys):
        # A live owner's profile: 404 like any profile this key does not reach (403 if it reaches it
        # some other way, e.g. as its owner: reassigning is never allowed then).
        authorize(key, store, profile_id, Action.REASSIGN)
        raise not_found(profile_id)
    new_owner = _new_owner(body, keys)
    store.set_owner(profile_id, new_owner)
    return {"id": profile_id, "owner": new_owner}


def refresh_runs(request: Request, settings: SettingsDep) -> RefreshRuns:
    """The app's refresh runs, made on first use; 503 when the API runs several workers (api.workers)."""
    problem = refresh_problem(settings)
    if problem is not None:
        raise HTTPException(status_code=503, detail=problem)
    with _runs_lock:
        runs = getattr(request.app.state, "refresh_runs", None)
        if runs is None:
            runs = request.app.state.refresh_runs = RefreshRuns(settings)
    return runs


def _sources(settings: SettingsDep) -> list[dict[str, Any]]:
    try:
        return source_rows(settings)
    except SourcesCommandError as exc:
        raise HTTPException(status_code=503, detail=f"the sources cannot be listed: {exc}") from None


@router.get("/sources", response_model=list[SourceHealthOut],
            responses={code: {"model": ErrorOut} for code in (401, 403, 503)})
def sources_health(key: AdminKey, settings: SettingsDep) -> list[dict[str, Any]]:
    """Every configured source with its health and schedule, as `ippo sources --json` shows it:
    last success, items and error rate of its last run, failures in a row, next due time. Scope: admin."""
    return _sources(settings)


@router.post("/refresh", response_model=RunOut, status_code=202,
             responses={code: {"model": ErrorOut} for code in (401, 403, 409, 422, 503)})
def start_refresh(key: AdminKey, request: Request, settings: SettingsDep,
                  body: Annotated[RefreshIn | None, Body()] = None) -> dict[str, Any]:
    """Start `ippo refresh` (crawl, load, publish) in the background; answers at once with the run
    to follow at /v1/admin/runs/{id}. The API serves the new snapshot once it is published. 409
    while a refresh started here still runs. Scope: admin."""
    wanted = list(dict.fromkeys((body or RefreshIn()).sources))
    if wanted:
        known = [row["source"] for row in _sources(settings)]
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise HTTPException(status_code=422, detail=[{"field": "sources", "problem": f"no source named "
                                f"{', '.join(unknown)} in sources.toml (known: {', '.join(known) or 'none'})"}])
    try:
        run = refresh_runs(request, settings).start(wanted)
    except RefreshRunningError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None
    return run.to_dict()


@router.get("/runs/{run_id}", response_model=RunOut,
            responses={code: {"model": ErrorOut} for code in (401, 403, 404, 503)})
def refresh_run(run_id: RunId, key: AdminKey, request: Request, settings: SettingsDep) -> dict[str, Any]:
    """A refresh started here: its status, and per step (crawl, load, publish) and per source the
    items, errors and time taken so far. Scope: admin."""
    run = refresh_runs(request, settings).get(run_id)
    if run is None:
        raise HTTPException(status_code=404, detail=f"no refresh run with id {run_id} (this API remembers the "
                                                    "last 20 runs it started, until it restarts)")
    return run.to_dict()
