"""What a person's feedback does to their later rankings.

- dismissed: the listing never comes back for that profile (it is removed before ranking,
  even from the nearest matches).
- saved / applied: listings that resemble them rise. The resemblance is the cosine of a
  listing's embedding with the centroid of the saved/applied ones (one matrix-vector product
  for the whole snapshot); each result that resembles one of them says which one.

The embedding of a saved listing is stored with the feedback, so it keeps working after the
listing itself has closed and left the snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ranker.wording import Language, Names, say

ACTIONS = ("saved", "dismissed", "applied")
# Weight of the feedback part in the score, and the cosine below which no boost is given
# (MiniLM vectors of unrelated job ads sit around 0.2-0.4).
FEEDBACK_WEIGHT = 0.15
BOOST_FLOOR = 0.5
# A result is said to resemble a saved job when its cosine with that job is at least this.
REASON_SIMILARITY = 0.6


@dataclass
class LikedListing:
    listing_id: str
    title: str
    action: str  # saved | applied
    vector: np.ndarray | None


@dataclass
class FeedbackSignals:
    dismissed: frozenset[str] = frozenset()
    liked: list[LikedListing] = field(default_factory=list)

    @property
    def liked_matrix(self) -> np.ndarray | None:
        vectors = [item.vector for item in self.liked if item.vector is not None]
        return np.stack(vectors).astype(np.float32) if vectors else None

    def centroid(self) -> np.ndarray | None:
        matrix = self.liked_matrix
        if matrix is None:
            return None
        mean = matrix.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return (mean / norm).astype(np.float32) if norm > 1e-9 else None


def boost_from_similarity(similarity: np.ndarray) -> np.ndarray:
    """Map cosine with the liked centroid to [0, 1]: 0 up to BOOST_FLOOR, then linear to 1."""
    return np.clip((similarity - BOOST_FLOOR) / (1.0 - BOOST_FLOOR), 0.0, 1.0).astype(np.float32)


def feedback_reasons(
    vector: np.ndarray | None, signals: FeedbackSignals, language: Language = "en"
) -> list[dict[str, str]]:
    """'similar to a job you saved: <title>' for the most similar saved/applied listing, if close
    (in ``language``; the saved listing's title as it was written)."""
    if vector is None or not signals.liked:
        return []
    best: tuple[float, LikedListing] | None = None
    for item in signals.liked:
        if item.vector is None:
            continue
        similarity = float(item.vector @ vector)
        if best is None or similarity > best[0]:
            best = (similarity, item)
    if best is None or best[0] < REASON_SIMILARITY:
        return []
    similarity, item = best
    action = Names.of("liked", [item.action])
    if similarity > 0.9999:
        return [{"kind": "feedback", "tag": item.action, "text": say(language, "feedback.same", action=action)}]
    text = say(language, "feedback.similar", action=action, title=item.title, similarity=similarity)
    return [{"kind": "feedback", "tag": item.action, "text": text}]
