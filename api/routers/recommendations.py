from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import RecommendKey
from api.deps import IndexDep, QueryVectorsDep, SettingsDep
from api.schemas import ErrorOut, ProfileIn, RecommendationsOut
from ranker.present import page_to_dict
from ranker.recommend import recommend

router = APIRouter(prefix="/v1", tags=["recommendations"])


@router.post(
    "/recommendations",
    response_model=RecommendationsOut,
    responses={code: {"model": ErrorOut} for code in (401, 403, 422, 503)},
)
def recommendations(
    profile: ProfileIn,
    key: RecommendKey,
    index: IndexDep,
    query_vectors: QueryVectorsDep,
    settings: SettingsDep,
    k: Annotated[int, Query(ge=1, le=200, description="How many results")] = 10,
) -> dict:
    """Ranked open listings for the aptitude profile in the body, each with its reasons.

    The profile is used for this request only and is not stored or logged (its query vector is
    kept in memory by a digest of its text, ranker.query_vectors). Scope: recommend."""
    page = recommend(index, profile, k=min(k, settings.max_k), embedder=query_vectors)
    return page_to_dict(page)
