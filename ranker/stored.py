"""Recommendations and feedback for stored profiles, shared by the CLI and the API.

A stored profile's query embedding is computed once and kept (encrypted) in the user store,
so recommending for it costs no model call; it is computed again only when the embedding
model changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from ranker.embedding import Embedder
from ranker.profile import AptitudeProfile
from ranker.recommend import RecommendationPage, query_vector_for, recommend
from ranker.serving_index import ServingIndex
from ranker.user_store import UserStore


class ListingNotFoundError(LookupError):
    pass


def store_profile(store: UserStore, profile: AptitudeProfile, embedder: Embedder | None) -> str:
    vector = query_vector_for(profile, embedder)
    return store.add_profile(profile, vector, embedder.name if embedder is not None else None)


def cached_query_vector(
    store: UserStore, profile_id: str, profile: AptitudeProfile, vector: np.ndarray | None, model: str | None,
    index: ServingIndex, embedder: Embedder | None,
) -> np.ndarray | None:
    if index.vectors is None:
        return None
    usable = (vector is not None and embedder is not None and model == embedder.name
              and vector.shape[0] == index.vectors.shape[1])
    if usable:
        return vector
    if embedder is None:
        return None
    fresh = query_vector_for(profile, embedder)
    if fresh is not None:
        store.set_embedding(profile_id, fresh, embedder.name)
    return fresh


def recommend_stored(
    index: ServingIndex, store: UserStore, profile_id: str, embedder: Embedder | None, k: int = 10,
    now: datetime | None = None,
) -> RecommendationPage:
    stored = store.get(profile_id)
    vector = cached_query_vector(store, profile_id, stored.profile, stored.embedding, stored.embedding_model, index,
                                 embedder)
    signals = store.feedback_signals(profile_id)
    return recommend(index, stored.profile, k=k, query_vector=vector, now=now, feedback=signals)


def record_feedback(
    index: ServingIndex, store: UserStore, profile_id: str, listing_id: str, action: str
) -> dict[str, Any]:
    """Store feedback on a listing of the current snapshot, with its title and embedding."""
    position = index.position(listing_id)
    if position is None:
        raise ListingNotFoundError(f"no listing with id {listing_id!r} in snapshot {index.version}")
    row = index.row(position)
    vector = index.vectors[position] if index.vectors is not None else None
    return store.add_feedback(profile_id, listing_id, action, title=row.get("title") or "", vector=vector)
