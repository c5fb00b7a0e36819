"""Fit the confidence calibration of classify_listing on held-out dev titles.

For each taxonomy the dev titles (O*NET: the dev buckets of the train alternate titles;
job tag: a share of the aliases) are removed from the index, mapped back, and a logistic
regression learns P(best occupation is right) from the best fused score and its margin over
the second. The test split of O*NET is never touched here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.occupations.model import CALIBRATION_FILE, Matcher, is_short
from pipeline.occupations.split import is_dev_title, is_jobtag_dev_alias
from pipeline.occupations.tables import DATA_DIR, load_table

# Listings whose calibrated confidence is below this get no occupation at all.
THRESHOLD = 0.25


def holdout(
    records: Sequence[dict[str, Any]], field: str, is_dev: Callable[[str], bool]
) -> tuple[list[dict[str, Any]], list[str], np.ndarray]:
    """Records without their dev titles, and the dev titles with the index of their occupation."""
    kept: list[dict[str, Any]] = []
    queries: list[str] = []
    labels: list[int] = []
    for index, record in enumerate(records):
        train = []
        for title in record.get(field, []):
            if is_dev(title):
                queries.append(title)
                labels.append(index)
            else:
                train.append(title)
        kept.append({**record, field: train})
    return kept, queries, np.asarray(labels)


def dev_matcher(taxonomy: str, with_dense: bool) -> tuple[Matcher, list[str], np.ndarray]:
    """A matcher whose index (and dense views) exclude the dev titles, plus those titles."""
    if taxonomy == "onet":
        records, queries, labels = holdout(load_table("onet"), "alt_titles", is_dev_title)
    else:
        records, queries, labels = holdout(load_table("jobtag"), "aliases", is_jobtag_dev_alias)
    dense_views = None
    if with_dense:
        from pipeline.occupations.dense import encode, occupation_views

        texts, owners = occupation_views(records)
        dense_views = (encode(texts), np.asarray(owners))
    return Matcher(taxonomy, records, dense_views), queries, labels


def fit(scores: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Logistic calibration on (best, margin) -> correct, plus dev accuracy for the report."""
    from sklearn.linear_model import LogisticRegression

    order = np.argsort(-scores, axis=1)[:, :5]
    rows = np.arange(len(scores))
    best = scores[rows, order[:, 0]]
    margin = best - scores[rows, order[:, 1]]
    correct = order[:, 0] == labels
    model = LogisticRegression(C=10.0).fit(np.c_[best, margin], correct)
    return {
        "intercept": float(model.intercept_[0]),
        "best": float(model.coef_[0][0]),
        "margin": float(model.coef_[0][1]),
        "threshold": THRESHOLD,
        "dev_titles": len(labels),
        "dev_top1": round(float(correct.mean()), 4),
        "dev_top5": round(float((order == labels[:, None]).any(axis=1).mean()), 4),
    }


def calibrate(with_dense: bool = True) -> dict[str, dict[str, float]]:
    """Calibrations for job tag, O*NET lexical-only and (with_dense) O*NET with the dense view."""
    out: dict[str, dict[str, float]] = {}
    for taxonomy in ("jobtag", "onet"):
        matcher, queries, labels = dev_matcher(taxonomy, with_dense and taxonomy == "onet")
        views = matcher.components(queries, use_dense=taxonomy == "onet" and with_dense)
        short = np.array([is_short(q) for q in queries], dtype=bool)
        if "dense" in views:
            out["onet"] = fit(matcher.fuse(views, short), labels)
            views.pop("dense")
        key = "onet_lexical" if taxonomy == "onet" else "jobtag"
        out[key] = fit(matcher.fuse(views, short), labels)
    return out


def write_calibration(calibration: dict[str, dict[str, float]], path: Path | None = None) -> Path:
    path = path or DATA_DIR / CALIBRATION_FILE
    path.write_text(json.dumps(calibration, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
