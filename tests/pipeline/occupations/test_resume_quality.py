"""The resume matcher on real labelled resumes (../shared/data/resumes, tuning half only).

Lexical views only (fast, no model needed). The floor sits below what the tuning half
measures (0.673) and above what the matcher reached before long texts were matched by
their title-like lines (0.588), so that change undone, or a real regression, fails here.
"""

from __future__ import annotations

import numpy as np

from benchmarks.occupations_eval import RESUME_GAIN, load_resumes, resume_halves
from ippo.config import LEXICAL_ONLY
from pipeline.occupations.model import get_matcher
from pipeline.occupations.split import TUNING
from ranker.evaluate import ndcg_at_k
from tests.conftest import shared_data

FLOOR = 0.65


def test_tuning_half_lexical_ndcg_stays_above_the_floor() -> None:
    rows, relevance = load_resumes(shared_data("resumes"))
    tuning = [row for row, half in zip(rows, resume_halves(rows), strict=True) if half == TUNING]
    matcher = get_matcher("onet")
    scores = matcher.scores([text for _, text in tuning], dense_view=LEXICAL_ONLY)
    order = np.argsort(-scores, axis=1)[:, :10]
    values = [
        ndcg_at_k([matcher.codes[j] for j in row], relevance[category], 10, gain=RESUME_GAIN)
        for row, (category, _) in zip(order, tuning, strict=True)
    ]
    assert len(values) == 45
    assert float(np.mean(values)) >= FLOOR
