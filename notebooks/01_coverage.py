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
# # 01 · Coverage: what the published snapshot holds
#
# Listings by source, by country and prefecture, by employment type and remote mode; open and
# closed listings over time; and the health of each source's crawls as the snapshot shows it.
# The notebook reads the published snapshot, read-only, never the warehouse (a refresh may be
# writing it). A field a listing does not state is counted as **unknown**.

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from ippo.analysis import coverage, open_snapshot, snapshot_path, snapshot_summary
from ippo.analysis.figures import use_japanese_font

# %% tags=["parameters"]
# The snapshot to read: a file <IPPO_HOME>/serving/<version>.duckdb. Empty: $IPPO_SNAPSHOT when
# set (`ippo notebooks` sets it), else the current snapshot of $IPPO_HOME.
SNAPSHOT = ""

# %%
use_japanese_font()
con = open_snapshot(SNAPSHOT)
print("snapshot:", snapshot_path(SNAPSHOT))
display(snapshot_summary(con))

# %% [markdown]
# ## Listings by source, open and closed
# Closed listings are split by why they closed: **expired** (past their own deadline),
# **unseen** (a successful crawl of the source no longer found them), or another reason.

# %%
by_source = coverage.listings_by_source(con)
display(by_source)
ax = by_source.set_index("source")[["open", "closed_expired", "closed_unseen", "closed_other"]].plot.barh(
    stacked=True, figsize=(8, 0.5 + 0.4 * len(by_source)), color=["#2a9d8f", "#e9c46a", "#f4a261", "#bbbbbb"])
ax.set_xlabel("listings")
ax.set_title("Listings per source")
ax.invert_yaxis()
plt.show()

# %% [markdown]
# ## Where the open listings are: country, and prefecture in Japan
# A listing naming several places counts in each; one naming no country is "unknown" on the left,
# a listing in Japan naming no prefecture is "unknown" on the right.

# %%
places = coverage.listings_by_place(con)
by_country = places.groupby("country", as_index=False)["listings"].sum().sort_values("listings", ascending=False)
japan = places[places["country"] == "JP"].groupby("region", as_index=False)["listings"].sum()
japan = japan.sort_values("listings", ascending=False).head(25)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 0.6 + 0.3 * max(len(by_country), len(japan), 3)))
left.barh(by_country["country"], by_country["listings"], color="#457b9d")
left.set_title("Open listings per country")
left.invert_yaxis()
right.barh(japan["region"], japan["listings"], color="#e76f51")
right.set_title("Open listings in Japan per prefecture (unknown = not stated)")
right.invert_yaxis()
for axis in (left, right):
    axis.set_xlabel("listings")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Employment type and remote mode

# %%
types = coverage.listings_by_employment_type(con)
remote = coverage.remote_share(con).pivot_table(index="source", columns="remote", values="share", fill_value=0)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 0.8 + 0.4 * max(len(types), len(remote), 3)))
left.barh(types["employment_type"], types["listings"], color="#8d99ae")
left.set_title("Open listings per employment type")
left.set_xlabel("listings")
left.invert_yaxis()
remote.plot.barh(stacked=True, ax=right, colormap="viridis")
right.set_title("Remote mode per source (share of open listings)")
right.set_xlabel("share")
right.set_xlim(0, 1)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Open and closed over time
# From the snapshot's `listing_history` (every listing's new / changed / closed / reopened
# events): per day, listings opened and closed, and the open total at the end of the day. A
# snapshot without the history falls back to first_seen and last_seen, and the `basis` column
# says so.

# %%
over_time = coverage.open_over_time(con, period="day")
print("basis:", ", ".join(over_time["basis"].unique()))
fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
for source, rows in over_time.groupby("source"):
    top.plot(rows["period"], rows["open_total"], marker="o", label=source)
    bottom.bar(rows["period"], rows["opened"], width=0.4, label=f"{source}: opened")
    bottom.bar(rows["period"], -rows["closed"], width=0.4, label=f"{source}: closed")
top.set_ylabel("open listings")
top.set_title("Open listings at the end of each day")
top.legend()
bottom.axhline(0, color="black", linewidth=0.5)
bottom.set_ylabel("opened (+) / closed (-)")
bottom.legend()
fig.autofmt_xdate()
plt.show()

# %% [markdown]
# ## Crawl health per source
# What the snapshot shows of each source's crawls: raw runs that changed a listing, the last
# change, the last time a listing was seen and how many hours before publication that was (a
# source whose listings have not been seen for long has stopped crawling well), listings flagged
# suspicious. How many items each run held, how many were quarantined and whether the crawl
# finished are not in a snapshot: they are in the crawl ledger (`ippo sources`: last success,
# items of the last run, share of failed requests) and the warehouse's `raw_runs`.

# %%
health = coverage.crawl_health(con)
display(health)
runs = coverage.runs_by_source(con)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 0.8 + 0.4 * max(len(health), 3)))
left.barh(health["source"], health["hours_unseen_at_publish"], color="#f4a261")
left.set_xlabel("hours between the last listing seen and publication")
left.set_title("Freshness per source")
left.invert_yaxis()
for source, rows in runs.groupby("source"):
    right.scatter(rows["run_at"], rows["new"] + rows["changed"] + rows["reopened"], label=source)
right.set_ylabel("listings added or changed")
right.set_title("Raw runs that changed listings")
if not runs.empty:
    right.legend()
fig.autofmt_xdate()
fig.tight_layout()
plt.show()

# %%
con.close()
