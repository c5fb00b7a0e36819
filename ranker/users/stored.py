"""Recommendations and feedback for stored profiles, shared by the CLI and the API.

A stored profile's query embedding is computed once and kept (encrypted) in the user store,
so recommending for it costs no model call; it is computed again only when the embedding
model changes.

When a new snapshot is published, the profiles that asked most recently (at most the score
cache's capacity, 64) get their per-snapshot scores computed before the new snapshot is
served (``warm_stored_scores``): their first request on it is then as fast as a repeat one.
Warming 64 profiles on 100,000 listings takes about a second, in the loading thread.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

import numpy as np

from pipeline.embedding import Embedder, vector_key
from ranker.feedback import FeedbackSignals
from ranker.profile import AptitudeProfile
from ranker.recommend import (
    RecommendationPage,
    feedback_boost,
    query_vector_for,
    recommend,
    relevance_inputs,
)
from ranker.serving_index import ServingIndex
from ranker.users.store import ProfileNotFoundError, UserStore

log = logging.getLogger("ippo.ranker")


class ListingNotFoundError(LookupError):
    pass


class StoredScoreCache:
    """Per stored profile and snapshot version: the lexical and dense similarity of its query
    with every listing, and the feedback boost. They depend only on the profile, the snapshot
    and the feedback, so a repeat request skips the two scans over the snapshot. Bounded (LRU);
    entries of a deleted profile are dropped at once."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def recent_profiles(self, limit: int | None = None) -> list[str]:
        """Profile ids with cached scores, most recently used first."""
        with self._lock:
            keys = list(self._entries)
        ids = list(dict.fromkeys(key[0] for key in reversed(keys)))
        return ids if limit is None else ids[:limit]

    def forget(self, profile_id: str) -> None:
        with self._lock:
            for key in [k for k in self._entries if k[0] == profile_id]:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


def _liked_key(signals: FeedbackSignals) -> str:
    return ",".join(sorted(item.listing_id for item in signals.liked))


def store_profile(
    store: UserStore, profile: AptitudeProfile, embedder: Embedder | None, owner: str | None = None
) -> str:
    vector = query_vector_for(profile, embedder)
    return store.add_profile(profile, vector, vector_key(embedder) if embedder is not None else None, owner=owner)


def cached_query_vector(
    store: UserStore, profile_id: str, profile: AptitudeProfile, vector: np.ndarray | None, model: str | None,
    index: ServingIndex, embedder: Embedder | None,
) -> np.ndarray | None:
    if index.vectors is None:
        return None
    usable = (vector is not None and embedder is not None and model == vector_key(embedder)
              and vector.shape[0] == index.vectors.shape[1])
    if usable:
        return vector
    if embedder is None:
        return None
    fresh = query_vector_for(profile, embedder)
    if fresh is not None:
        store.set_embedding(profile_id, fresh, vector_key(embedder))
    return fresh


def _score_key(profile_id: str, index: ServingIndex, embedder: Embedder | None) -> tuple[str, ...]:
    return (profile_id, index.version, vector_key(embedder) if embedder is not None else "")


def _boost_key(profile_id: str, index: ServingIndex, signals: FeedbackSignals) -> tuple[str, ...]:
    return (profile_id, index.version, "boost", _liked_key(signals))


def warm_stored_scores(
    index: ServingIndex, store: UserStore, embedder: Embedder | None, cache: StoredScoreCache,
    limit: int | None = None,
) -> int:
    """Compute the per-snapshot scores (and feedback boost) of the most recently active stored
    profiles for `index`, so that their first request on it is a repeat request. At most
    `limit` profiles (default: the cache's capacity); profiles erased meanwhile are skipped.
    Returns how many profiles were warmed."""
    limit = cache.capacity if limit is None else limit
    ready = []
    for profile_id in cache.recent_profiles(limit):
        if cache.get(_score_key(profile_id, index, embedder)) is not None:
            continue
        try:
            stored = store.get(profile_id)
            signals = store.feedback_signals(profile_id)
        except ProfileNotFoundError:
            cache.forget(profile_id)
            continue
        vector = cached_query_vector(store, profile_id, stored.profile, stored.embedding, stored.embedding_model,
                                     index, embedder)
        ready.append((profile_id, stored.profile, signals, vector))
    # Least recent first, so that if the cache overflows the most recent profiles stay.
    for profile_id, profile, signals, vector in reversed(ready):
        # The same per-profile product as a request makes: a batched product rounds
        # differently, and a warmed page must be the page the request would have computed.
        scores = relevance_inputs(index, profile, vector, embedder)
        cache.put(_score_key(profile_id, index, embedder), scores)
        if signals.liked:
            boost = feedback_boost(index, signals)
            if boost is not None:
                cache.put(_boost_key(profile_id, index, signals), boost)
    return len(ready)


def recommend_stored(
    index: ServingIndex, store: UserStore, profile_id: str, embedder: Embedder | None, k: int = 10,
    now: datetime | None = None, cache: StoredScoreCache | None = None,
) -> RecommendationPage:
    stored = store.get(profile_id)
    signals = store.feedback_signals(profile_id)
    key = _score_key(profile_id, index, embedder)
    scores = cache.get(key) if cache is not None else None
    if scores is None:
        vector = cached_query_vector(store, profile_id, stored.profile, stored.embedding, stored.embedding_model,
                                     index, embedder)
        scores = relevance_inputs(index, stored.profile, vector, embedder)
        if cache is not None:
            cache.put(key, scores)
    boost_key = _boost_key(profile_id, index, signals)
    boost = cache.get(boost_key) if cache is not None and signals.liked else None
    if boost is None and signals.liked:
        boost = feedback_boost(index, signals)
        if cache is not None and boost is not None:
            cache.put(boost_key, boost)
    return recommend(index, stored.profile, k=k, now=now, feedback=signals, scores=scores, boost_all=boost)


def record_feedback(
    index: ServingIndex, store: UserStore, profile_id: str, listing_id: str, action: str, reason: str | None = None,
) -> dict[str, Any]:
    """Store feedback on a listing of the current snapshot, with its title and embedding (and why
    the person dismissed it, when they said)."""
    position = index.position(listing_id)
    if position is None:
        raise ListingNotFoundError(f"no listing with id {listing_id} in snapshot {index.version}")
    row = index.row(position)
    vector = index.vectors[position] if index.vectors is not None else None
    return store.add_feedback(profile_id, listing_id, action, title=row.get("title") or "", vector=vector,
                              reason=reason)


def merge_patch(target: Any, patch: Any) -> Any:
    """``patch`` applied to ``target`` as a JSON merge patch (RFC 7396): objects merge key by
    key, null removes a key (its default applies again), anything else replaces the value."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def update_profile(
    store: UserStore, profile_id: str, patch: dict[str, Any], embedder: Embedder | None
) -> tuple[list[str], bool]:
    """Apply a merge patch to a stored profile, validated as a new profile is (pydantic's
    ValidationError when the result is not a valid profile; nothing is stored then). The query
    embedding is computed again only when the text relevance is measured against changed.
    Returns (the top-level fields that changed, whether the embedding was computed again)."""
    stored = store.get(profile_id)
    before = stored.profile.model_dump(mode="json")
    profile = AptitudeProfile.model_validate(merge_patch(before, patch))
    after = profile.model_dump(mode="json")
    changed = [name for name in after if after[name] != before.get(name)]
    refresh = profile.query_text() != stored.profile.query_text()
    if refresh:
        embedding = query_vector_for(profile, embedder)
        model = vector_key(embedder) if embedder is not None and embedding is not None else None
    else:
        embedding, model = stored.embedding, stored.embedding_model
    if changed:
        store.replace_profile(profile_id, profile, embedding, model)
    return changed, refresh and bool(changed)
