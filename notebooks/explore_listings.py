# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Explore the published listings
# Reads the current serving snapshot (read-only, so it never waits on a refresh) and looks at
# what ippo holds: sources, open and closed listings, supportive signals, pay. Open it with
# `jupytext --to notebook notebooks/explore_listings.py` or run it as a script; `IPPO_HOME`
# says which data to read.

# %%
import duckdb
import pandas as pd

from ippo.config import Settings
from pipeline.warehouse.pointer import current_snapshot

snapshot = current_snapshot(Settings().serving_dir)
if snapshot is None:
    raise SystemExit("no published snapshot yet: run `ippo demo` or `ippo refresh` first")
con = duckdb.connect(str(snapshot), read_only=True)
print("snapshot:", snapshot.name)

# %% [markdown]
# ## Listings by source, status and language

# %%
by_source: pd.DataFrame = con.sql(
    "SELECT source, status, language, count(*) AS listings FROM listings GROUP BY ALL ORDER BY ALL"
).df()
print(by_source.to_string(index=False))

# %% [markdown]
# ## Supportive signals: how often each tag appears, and an example of its evidence

# %%
signals = con.sql(
    """
    SELECT s.tag, count(*) AS listings, any_value(s.evidence) AS example
    FROM listings, unnest(signals) AS u(s)
    GROUP BY s.tag ORDER BY listings DESC
    """
).df()
print(signals.to_string(index=False))

# %% [markdown]
# ## Pay as stated, by currency and unit

# %%
pay = con.sql(
    """
    SELECT salary.currency AS currency, salary.unit AS unit, count(*) AS listings,
           median(salary.min) AS median_min, max(salary.max) AS highest_max
    FROM listings WHERE salary.min IS NOT NULL GROUP BY ALL ORDER BY listings DESC
    """
).df()
print(pay.to_string(index=False))

# %% [markdown]
# ## Why listings closed

# %%
closed = con.sql(
    "SELECT closed_reason, count(*) AS listings FROM listings WHERE status = 'closed' GROUP BY ALL"
).df()
print(closed.to_string(index=False))
con.close()
