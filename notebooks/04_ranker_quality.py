# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Ranker quality
#
# The recommendation evaluation of `benchmarks/eval_recommend.py`, computed live: its written
# profiles and graded judgements (`benchmarks/data/recommend_eval/`, grades 0-3), three methods
# ranking the open listings of the snapshot (**ippo**, `ranker.recommend.recommend` as
# `ippo recommend` calls it; **bm25** with naive filters; **dense** cosine, no filters), and
# nDCG@10 and recall@10 (listings graded ≥ 2) per method and per need, each figure naming its
# gain (`ranker.evaluate`: linear gain rel, or exponential gain 2^rel-1). Then one profile's
# recommendations with their reasons.
#
# The judgements grade listings of the real-listings snapshot (`python -m
# benchmarks.real_listings --home DIR`). On another snapshot (the demo, the tests' small one) the
# judged listings are mostly absent, the table "judged listings in this snapshot" says how many
# are there, and nDCG and recall are then near zero by construction: the share of results that
# leave a stated constraint unknown or violate it, read from the listings' own fields, still
# compares the methods.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from benchmarks.baselines import BaselineCorpus, Baselines
from benchmarks.eval_recommend import constraint_problems, load_judgements, load_profiles
from ippo.analysis import snapshot_path
from ippo.analysis.figures import use_japanese_font
from ippo.analysis.ranking import (
    SAMPLE_PROFILE,
    evaluation_scores,
    judged_in_snapshot,
    recommendation_frame,
    scores_by_need,
)
from ippo.config import Settings
from pipeline.embedding import Embedder
from ranker.evaluate import GAINS, gain_label
from ranker.profile import load_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex

# %% tags=["parameters"]
# The snapshot to read: a file <IPPO_HOME>/serving/<version>.duckdb. Empty: $IPPO_SNAPSHOT when
# set (`ippo notebooks` sets it), else the current snapshot of $IPPO_HOME.
SNAPSHOT = ""
K = 10
# The example profile whose recommendations are shown (an aptitude profile file); empty: the
# profile `ippo demo` uses (a nurse back after ten years of caring, in Japanese).
EXAMPLE_PROFILE = ""

# %%
use_japanese_font()
pd.set_option("display.max_colwidth", 200)
path = snapshot_path(SNAPSHOT)
print("snapshot:", path)
index = ServingIndex.from_snapshot(path)
embedder = Embedder(Settings().embedding_model, threads=1)
baselines = Baselines(BaselineCorpus.of(index), embedder)
profiles = load_profiles()
judgements = load_judgements()
print(f"{len(index.ids)} listings, {len(profiles)} profiles, "
      f"{sum(len(g) for g in judgements.values())} judgements")

# %% [markdown]
# ## Each method's top 10 for every profile

# %%
rankings: dict[str, dict[str, list[str]]] = {"ippo": {}, "bm25": {}, "dense": {}}
for name, profile in profiles.items():
    page = recommend(index, profile, k=K, embedder=embedder)
    rankings["ippo"][name] = [r.listing["id"] for r in page.results]
    rankings["bm25"][name] = baselines.bm25_top(profile, K)
    rankings["dense"][name] = baselines.dense_top(profile, K)
coverage = judged_in_snapshot(judgements, index.ids)
print("judged listings in this snapshot:")
display(coverage)

# %% [markdown]
# ## nDCG@10 and recall@10 per method
# Means over the profiles; one panel per gain for nDCG (recall does not depend on the gain).

# %%
scores = evaluation_scores(rankings, judgements, k=K)
means = scores.groupby(["method", "gain"], as_index=False)[[f"ndcg@{K}", f"recall@{K}", "judged_share"]].mean()
display(means)
fig, axes = plt.subplots(1, len(GAINS) + 1, figsize=(4 * (len(GAINS) + 1), 3.5), sharey=True)
for axis, gain in zip(axes[:-1], GAINS, strict=True):
    rows = means[means["gain"] == gain]
    axis.bar(rows["method"], rows[f"ndcg@{K}"], color="#457b9d")
    axis.set_title(f"nDCG@{K}\n({gain_label(gain)})")
recall = means[means["gain"] == GAINS[0]]
axes[-1].bar(recall["method"], recall[f"recall@{K}"], color="#2a9d8f")
axes[-1].set_title(f"recall@{K}\n(listings graded ≥ 2)")
axes[0].set_ylim(0, 1)
axes[0].set_ylabel(f"mean over {len(profiles)} profiles")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Per need
# Means over the profiles that state each need (a profile counts under each of its needs).

# %%
needs = {name: list(profile.needs) for name, profile in profiles.items()}
per_need = scores_by_need(scores, needs)
gain = "exponential"
grid = per_need[per_need["gain"] == gain].pivot_table(index="need", columns="method", values=f"ndcg@{K}")
ax = grid.plot.barh(figsize=(9, 1 + 0.45 * len(grid)), colormap="Set2")
ax.set_xlabel(f"nDCG@{K} ({gain_label(gain)}), mean over the profiles stating the need")
ax.set_xlim(0, 1)
ax.set_title("nDCG per need")
plt.show()
display(per_need)

# %% [markdown]
# ## Results that leave a stated constraint unknown, or violate it
# From the listings' own fields (`benchmarks.eval_recommend.constraint_problems`): no judgement
# needed, so this compares the methods on any snapshot.

# %%
problem_rows = []
for method, per_profile in rankings.items():
    for name, ids in per_profile.items():
        for listing_id in ids:
            position = index.position(listing_id)
            states = constraint_problems(index.row(position), profiles[name]) if position is not None else {}
            problem_rows.append({"method": method, "unknown": "unknown" in states.values() and
                                 "violated" not in states.values(), "violated": "violated" in states.values()})
problems = pd.DataFrame(problem_rows, columns=["method", "unknown", "violated"])
shares = problems.groupby("method")[["unknown", "violated"]].mean().reindex(list(rankings))
shares["states and meets all"] = 1 - shares["unknown"] - shares["violated"]
ax = shares[["states and meets all", "unknown", "violated"]].plot.barh(
    stacked=True, figsize=(8, 2.5), color=["#2a9d8f", "#bbbbbb", "#e76f51"])
ax.set_xlabel("share of the results returned")
ax.set_xlim(0, 1)
ax.set_title("Stated constraints in the results: met, unknown (not stated), violated")
plt.show()

# %% [markdown]
# ## An example profile's recommendations, with their reasons

# %%
example = load_profile(Path(EXAMPLE_PROFILE) if EXAMPLE_PROFILE else SAMPLE_PROFILE)
page = recommend(index, example, k=5, embedder=embedder)
print(f"{page.candidates} open listings considered, {page.matching} pass every constraint, "
      f"{page.confirmed} state and meet them all")
if page.notice is not None:
    print("notice:", page.notice.message)
results = recommendation_frame(page)
display(results.style.set_properties(subset=["reasons"], **{"white-space": "pre-wrap", "text-align": "left"}))
parts = pd.DataFrame([r.parts for r in page.results], index=[f"{i}. {r.listing['title']}"
                                                             for i, r in enumerate(page.results, start=1)])
if parts.empty:
    print("no result for the example profile")
else:
    ax = parts.plot.barh(stacked=True, figsize=(9, 1 + 0.5 * len(parts)), colormap="tab10")
    ax.set_xlabel("score parts")
    ax.set_title("What makes up each result's score")
    ax.invert_yaxis()
    plt.show()
