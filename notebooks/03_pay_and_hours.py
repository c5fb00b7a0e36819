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
# # 03 · Pay and hours
#
# How much listings say they pay, per currency and unit (an hourly wage and a yearly salary are
# never mixed), for example hourly pay in Japan by prefecture; how many hours a week they ask; and
# how many listings state neither. A listing that does not state its pay or hours is counted as
# **unknown** and shown as such in every figure, never dropped. Read from the published
# snapshot, read-only.

# %%
import matplotlib.pyplot as plt
from IPython.display import display

from ippo.analysis import open_snapshot, pay, snapshot_path, snapshot_summary
from ippo.analysis.figures import use_japanese_font

# %% tags=["parameters"]
# The snapshot to read: a file <IPPO_HOME>/serving/<version>.duckdb. Empty: $IPPO_SNAPSHOT when
# set (`ippo notebooks` sets it), else the current snapshot of $IPPO_HOME.
SNAPSHOT = ""
# The pay looked at by region: Japan's hourly wages (時給) by default.
PAY_COUNTRY = "JP"
PAY_CURRENCY = "JPY"
PAY_UNIT = "HOUR"

# %%
use_japanese_font()
con = open_snapshot(SNAPSHOT)
print("snapshot:", snapshot_path(SNAPSHOT))
display(snapshot_summary(con))

# %% [markdown]
# ## How many listings state pay and hours

# %%
shares = pay.stated_shares(con)
display(shares)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 0.8 + 0.4 * max(len(shares), 3)), sharey=True)
for axis, what in ((left, "pay"), (right, "hours")):
    axis.barh(shares["source"], shares[f"{what}_stated"], color="#2a9d8f", label="stated")
    axis.barh(shares["source"], shares[f"{what}_unknown"], left=shares[f"{what}_stated"], color="#bbbbbb",
              label="unknown (not stated)")
    axis.set_xlabel("open listings")
    axis.set_title(f"{what.capitalize()} stated per source")
    axis.legend()
left.invert_yaxis()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Pay per currency and unit
# Each (currency, unit) is its own scale; listings that do not state pay form "unknown".

# %%
units = pay.pay_units(con)
display(units)
labels = [f"{c} / {u}" if c != "unknown" else "unknown (not stated)"
          for c, u in zip(units["currency"], units["unit"], strict=True)]
fig, ax = plt.subplots(figsize=(8, 0.8 + 0.4 * len(units)))
ax.barh(labels, units["listings"], color=["#bbbbbb" if c == "unknown" else "#457b9d" for c in units["currency"]])
ax.set_xlabel("open listings")
ax.set_title("Open listings per pay currency and unit")
ax.invert_yaxis()
plt.show()

# %% [markdown]
# ## Distribution of stated pay, one panel per currency and unit
# The midpoint of each listing's stated range (its one figure when only one is stated).

# %%
amounts = pay.pay_amounts(con).drop_duplicates("id")
scales = amounts.groupby(["currency", "unit"]).size().sort_values(ascending=False)
if scales.empty:
    print("no open listing states its pay in this snapshot")
else:
    fig, axes = plt.subplots(1, len(scales), figsize=(4 * len(scales), 3.5), squeeze=False)
    for axis, (currency, unit) in zip(axes[0], scales.index, strict=True):
        values = amounts[(amounts["currency"] == currency) & (amounts["unit"] == unit)]["pay_mid"]
        axis.hist(values, bins=min(20, max(3, len(values))), color="#457b9d")
        axis.set_title(f"{currency} per {unit.lower()} ({len(values)} listings)")
        axis.set_xlabel(currency)
        axis.ticklabel_format(axis="x", style="plain")
    axes[0][0].set_ylabel("listings")
    fig.tight_layout()
    plt.show()

# %% [markdown]
# ## Pay by region: the chosen currency and unit
# For each region (prefecture in Japan): open listings that state pay in the chosen unit, that
# state it in another unit or currency, and that leave it unknown; and the quartiles of the
# stated figures.

# %%
by_region = pay.pay_by_region(con, PAY_CURRENCY, PAY_UNIT, country=PAY_COUNTRY).head(25)
display(by_region)
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.8 + 0.35 * max(len(by_region), 3)), sharey=True)
regions = by_region["region"]
left.barh(regions, by_region["stated_in_unit"], color="#2a9d8f", label=f"{PAY_CURRENCY} per {PAY_UNIT.lower()}")
left.barh(regions, by_region["stated_otherwise"], left=by_region["stated_in_unit"], color="#e9c46a",
          label="another unit or currency")
left.barh(regions, by_region["pay_unknown"], left=by_region["stated_in_unit"] + by_region["stated_otherwise"],
          color="#bbbbbb", label="unknown (not stated)")
left.set_xlabel("open listings")
left.set_title(f"How pay is stated, per region of {PAY_COUNTRY}")
left.legend()
left.invert_yaxis()
stated = by_region[by_region["stated_in_unit"] > 0]
right.hlines(stated["region"], stated["q1"], stated["q3"], color="#2a9d8f", linewidth=6, label="middle half")
right.plot(stated["median"], stated["region"], "k|", markersize=14, label="median")
right.set_xlabel(f"{PAY_CURRENCY} per {PAY_UNIT.lower()}")
right.set_title(f"Stated pay ({PAY_CURRENCY} per {PAY_UNIT.lower()})")
if stated.empty:
    right.text(0.5, 0.5, f"no listing states pay in {PAY_CURRENCY} per {PAY_UNIT.lower()}",
               ha="center", va="center", transform=right.transAxes)
else:
    right.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Hours per week
# Bands by the lower bound of the stated hours, per employment type; "unknown" = hours not stated.

# %%
bands = pay.hours_bands(con)
grid = bands.pivot_table(index="hours_per_week", columns="employment_type", values="listings", fill_value=0, sort=False)
ax = grid.plot.bar(stacked=True, figsize=(8, 4), colormap="tab20")
ax.set_ylabel("open listings")
ax.set_title("Hours per week stated (unknown = not stated)")
ax.tick_params(axis="x", rotation=0)
plt.show()
hours = pay.hours_amounts(con)
print(f"{len(hours)} open listings state their hours; median {hours['hours_mid'].median():.1f} h/week"
      if not hours.empty else "no open listing states its hours")

# %%
con.close()
