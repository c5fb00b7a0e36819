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
# # 02 · Supportive signals
#
# How common each supportive tag (SUPPORTIVE_SIGNALS.md: no experience needed, career gap
# welcome, training, gradual start, ... and the things people may want to avoid, such as night
# shifts) is among the open listings, by source and by region; examples with the words each tag
# was read from; and the employers an employer registry certifies (くるみん, えるぼし, もにす, ...)
# with their listings. Read from the published snapshot, read-only.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from ippo.analysis import open_snapshot, signals, snapshot_path, snapshot_summary
from ippo.analysis.figures import use_japanese_font

# %% tags=["parameters"]
# The snapshot to read: a file <IPPO_HOME>/serving/<version>.duckdb. Empty: $IPPO_SNAPSHOT when
# set (`ippo notebooks` sets it), else the current snapshot of $IPPO_HOME.
SNAPSHOT = ""

# %%
use_japanese_font()
pd.set_option("display.max_colwidth", 120)
con = open_snapshot(SNAPSHOT)
print("snapshot:", snapshot_path(SNAPSHOT))
display(snapshot_summary(con))

# %% [markdown]
# ## How common each tag is
# Share of the open listings carrying each tag, split by where it was read: the listing's text,
# its structured fields, or an employer registry.

# %%
counts = signals.signal_counts(con)
display(counts)
if counts.empty:
    print("no open listing carries a supportive tag in this snapshot")
else:
    ax = counts.set_index("tag")[["from_text", "from_structured", "from_registry"]].plot.barh(
        stacked=True, figsize=(8, 0.8 + 0.35 * len(counts)), color=["#2a9d8f", "#e9c46a", "#264653"])
    ax.set_xlabel("open listings (a listing may count under several origins)")
    ax.set_title("Supportive tags among the open listings")
    ax.invert_yaxis()
    plt.show()


# %% [markdown]
# ## By source and by region
# Each cell is the share of the group's open listings that carry the tag (regions are
# prefectures in Japan; listings naming no place form "unknown").

# %%
def share_map(frame: pd.DataFrame, by: str, title: str, top: int = 20) -> None:
    if frame.empty:
        print(f"no tagged listings to show by {by}")
        return
    sizes = frame.groupby(by)["group_listings"].max().sort_values(ascending=False).head(top)
    grid = frame[frame[by].isin(sizes.index)].pivot_table(index="tag", columns=by, values="share", fill_value=0)
    grid = grid[sizes.index]
    fig, ax = plt.subplots(figsize=(1.5 + 0.7 * grid.shape[1], 1 + 0.35 * grid.shape[0]))
    image = ax.imshow(grid.to_numpy(), cmap="Greens", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [f"{c}\n({sizes[c]})" for c in grid.columns], rotation=45, ha="right")
    ax.set_yticks(range(grid.shape[0]), grid.index)
    fig.colorbar(image, ax=ax, label="share of the group's open listings")
    ax.set_title(title)
    fig.tight_layout()
    plt.show()


by_source = signals.signals_by(con, by="source")
share_map(by_source, "source", "Tags per source (open listings in brackets)")
by_region = signals.signals_by(con, by="region")
share_map(by_region, "region", "Tags per region (open listings in brackets)")

# %% [markdown]
# ## Examples and their evidence
# Two listings per tag with the words the tag was read from, so a reader can judge the reading.

# %%
display(signals.signal_examples(con, per_tag=2))

# %% [markdown]
# ## Registry-certified employers and their listings
# Employers matched to a registry (the employer's registry tags, with the registry's evidence).

# %%
employers = signals.certified_employers(con)
if employers.empty:
    print("no employer in this snapshot is matched to an employer registry")
else:
    display(employers)
    display(signals.certified_listings(con))
totals = pd.Series({
    "listings of certified employers": int(employers["listings"].sum()) if not employers.empty else 0,
    "other listings": int(snapshot_summary(con)["listings"].iloc[0])
    - (int(employers["listings"].sum()) if not employers.empty else 0),
})
ax = totals.plot.barh(figsize=(7, 1.8), color=["#264653", "#bbbbbb"])
ax.set_xlabel("listings (open and closed)")
ax.set_title("Listings whose employer a registry certifies")
plt.show()

# %%
con.close()
