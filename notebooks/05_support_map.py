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
# # 05 · Support services against listings
#
# Where the employment-support offices of WAM NET are (就労移行支援, 就労継続支援A型/B型,
# 就労定着支援, ...) and where the open listings in Japan are, and how many offices there are per
# 100 open listings in each prefecture, overall and per service type: where support is **thin**.
# Read from the published snapshot's `support_offices` and `area_centroids` (docs/support.md),
# read-only. A snapshot published before support data was loaded holds them empty: the notebook
# then says **no support data loaded** and still shows the listings.
#
# Places are approximate: an office is at its own coordinates, else at its municipality's centroid;
# a listing at the centroid of the municipality it names, else of its prefecture (centroids are the
# mean of the offices' coordinates, so a listing where no office is has no point). A prefecture
# with fewer than `MIN_LISTINGS` open listings gets no rate (a ratio of small numbers says little).

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from ippo.analysis import open_snapshot, snapshot_path, snapshot_summary, support
from ippo.analysis.figures import use_japanese_font

# %% tags=["parameters"]
# The snapshot to read: a file <IPPO_HOME>/serving/<version>.duckdb. Empty: $IPPO_SNAPSHOT when
# set (`ippo notebooks` sets it), else the current snapshot of $IPPO_HOME.
SNAPSHOT = ""
PER = 100  # offices per this many open listings
MIN_LISTINGS = 20  # fewer open listings in a prefecture: no rate, "few listings"
THIN_SHARE = 0.5  # thin: a rate below this share of the reference rate
ZOOM_PREFECTURE = ""  # the prefecture of the close-up map; empty: the one with the most open listings

# %%
use_japanese_font()
con = open_snapshot(SNAPSHOT)
print("snapshot:", snapshot_path(SNAPSHOT))
display(snapshot_summary(con))
status = support.support_status(con)
display(status)
LOADED = bool(status.loc[0, "loaded"])
if LOADED:
    print(f"support offices: {status.loc[0, 'offices']} in {status.loc[0, 'prefectures_with_offices']} prefectures "
          f"({status.loc[0, 'placed_at_centroid']} placed at their municipality's centroid, "
          f"{status.loc[0, 'unplaced']} not placed)")
else:
    print(f"{support.NO_SUPPORT_DATA}: this snapshot holds no support office "
          "(`ippo refresh support hellowork-areas` loads them; see docs/support.md)")

# %% [markdown]
# ## Map: offices by service type, and the places of the open listings
# Longitude and latitude drawn at equal scale for the latitude shown (no map tiles). Offices are
# dots coloured by service type; an office WAM gives no coordinates for is at its municipality's
# centroid. Open listings are rings at their municipality's (or prefecture's) centroid, larger for
# more listings. The right panel is a close-up of one prefecture.

# %%
offices = support.office_points(con)
places = support.listing_places(con)
placed = places.dropna(subset=["lat", "lng"])
display(places.groupby("placed_by", as_index=False)["listings"].sum().rename(columns={"listings": "place rows"}))

by_listings = support.open_listings_per_prefecture(con)
known = by_listings[by_listings["prefecture"] != "unknown"]
zoom = ZOOM_PREFECTURE or (known.sort_values("open_listings", ascending=False)["prefecture"].iloc[0]
                           if not known.empty else "")
service_types = list(dict.fromkeys(offices["service_type"]))
colours = dict(zip(service_types, plt.get_cmap("tab10").colors, strict=False))


def draw_map(axis, offices, placed, title):
    for kind in service_types:
        of_kind = offices[offices["service_type"] == kind]
        if not of_kind.empty:
            axis.scatter(of_kind["lng"], of_kind["lat"], s=12, alpha=0.7, color=colours[kind],
                         label=f"{of_kind['service_label'].iloc[0]} ({len(of_kind)})")
    if not placed.empty:
        axis.scatter(placed["lng"], placed["lat"], s=20 + 30 * np.sqrt(placed["listings"]), facecolors="none",
                     edgecolors="black", linewidths=1, label=f"open listings ({int(placed['listings'].sum())})")
    lats = list(offices["lat"]) + list(placed["lat"])
    if lats:
        axis.set_aspect(1 / math.cos(math.radians(float(np.mean(lats)))))
        axis.legend(loc="upper left", fontsize=8)
    else:
        axis.text(0.5, 0.5, f"{support.NO_SUPPORT_DATA}:\nno office and no centroid to place listings at",
                  ha="center", va="center", transform=axis.transAxes)
    axis.set_xlabel("経度 (longitude)")
    axis.set_ylabel("緯度 (latitude)")
    axis.set_title(title)


fig, (whole, close) = plt.subplots(1, 2, figsize=(14, 7))
draw_map(whole, offices, placed, "日本: 支援事業所と求人の場所" + ("" if LOADED else f" ({support.NO_SUPPORT_DATA})"))
draw_map(close, offices[offices["prefecture"] == zoom], placed[placed["prefecture"] == zoom],
         f"{zoom or '—'}: 支援事業所と求人の場所")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Offices per 100 open listings, per prefecture
# Bars stacked by service type; the dashed line is the reference rate (that of the prefectures
# holding offices). **Thin** (red name): below `THIN_SHARE` of the reference rate. A prefecture
# with no office in the loaded data says so (the data may not cover it); one with fewer than
# `MIN_LISTINGS` open listings says "few listings" instead of a rate. 全国 is every open listing in
# Japan against every office.

# %%
rates = support.support_per_listings(con, per=PER, min_listings=MIN_LISTINGS, thin_share=THIN_SHARE)
by_service = support.support_per_listings_by_service(con, per=PER, min_listings=MIN_LISTINGS, thin_share=THIN_SHARE)
display(rates)

# 全国 is in the title, not a bar: its rate also counts the offices of prefectures without listings.
national = rates[rates["prefecture"] == support.ALL_JAPAN].iloc[0]
shown = rates[rates["prefecture"] != support.ALL_JAPAN]
names = list(shown["prefecture"])
fig, axis = plt.subplots(figsize=(10, 1.2 + 0.32 * len(names)))
rows = np.arange(len(names))
left = np.zeros(len(names))
for kind in service_types:
    values = (by_service[by_service["service_type"] == kind].set_index("prefecture")["per_listings"]
              .reindex(names).fillna(0).to_numpy())
    axis.barh(rows, values, left=left, color=colours[kind],
              label=by_service.loc[by_service["service_type"] == kind, "service_label"].iloc[0])
    left += values
reference = rates["reference"].dropna()
if not reference.empty:
    axis.axvline(reference.iloc[0], color="black", linestyle="--", linewidth=1,
                 label=f"reference {reference.iloc[0]:.1f}")
for row, (state, n, offices_n) in enumerate(zip(shown["status"], shown["open_listings"], shown["offices"],
                                                strict=True)):
    if state in (support.FEW_LISTINGS, support.NO_OFFICES, support.NO_SUPPORT_DATA):
        axis.text(left[row], row, f"  {state}: open listings {n}, offices {offices_n}", va="center", fontsize=8,
                  color="#555555")
axis.set_yticks(rows, names)
axis.set_ylim(-0.5, len(names) - 0.5)
for label, state in zip(axis.get_yticklabels(), shown["status"], strict=True):
    if state == support.THIN:
        label.set_color("#d62828")
axis.invert_yaxis()
axis.set_xlabel(f"offices per {PER} open listings")
national_rate = ("no rate" if math.isnan(national["per_listings"]) else f"{national['per_listings']:.1f}")
axis.set_title(f"都道府県ごとの求人{PER}件あたりの支援事業所 (全国: {national_rate})"
               + ("" if LOADED else f" ({support.NO_SUPPORT_DATA})"))
if LOADED:
    axis.legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Per service type
# Offices per 100 open listings for each service type, each compared with that type's own reference
# rate, for the prefectures with a rate; thin cells are framed in red, grey cells have no rate.

# %%
table = by_service.pivot_table(index="prefecture", columns="service_label", values="per_listings", sort=False,
                               dropna=False).dropna(how="all")  # prefectures with a rate for some type
thin = (by_service.assign(thin=by_service["status"] == support.THIN)
        .pivot_table(index="prefecture", columns="service_label", values="thin", sort=False, dropna=False,
                     aggfunc="any").reindex_like(table).fillna(False))
display(table.round(1))
fig, axis = plt.subplots(figsize=(2 + 1.6 * max(len(table.columns), 1), 1.2 + 0.32 * max(len(table), 3)))
if table.empty:
    reason = support.NO_SUPPORT_DATA if not LOADED else f"no prefecture has {MIN_LISTINGS} open listings"
    axis.text(0.5, 0.5, f"no rate to show: {reason}", ha="center", va="center", transform=axis.transAxes)
else:
    values = table.to_numpy(dtype=float)
    cmap = plt.get_cmap("YlGn").copy()
    cmap.set_bad("#dddddd")
    image = axis.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap)
    fig.colorbar(image, ax=axis, label=f"offices per {PER} open listings")
    dark = np.nanmin(values) + 0.6 * (np.nanmax(values) - np.nanmin(values))
    for (row, column), value in np.ndenumerate(values):
        if not math.isnan(value):
            axis.text(column, row, f"{value:.1f}", ha="center", va="center", fontsize=8,
                      color="white" if value > dark else "black")
        if thin.iloc[row, column]:
            axis.add_patch(plt.Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="#d62828",
                                         linewidth=2))
    axis.set_xticks(range(len(table.columns)), table.columns, rotation=30, ha="right")
    axis.set_yticks(range(len(table.index)), table.index)
axis.set_title("サービス種別ごと" + ("" if LOADED else f" ({support.NO_SUPPORT_DATA})"))
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Where support is thin, and where the listings are too few to say

# %%
if not LOADED:
    print(f"{support.NO_SUPPORT_DATA}: no rate can be computed")
else:
    print("thin (all services):", ", ".join(rates.loc[rates["status"] == support.THIN, "prefecture"]) or "none")
    print("no offices in the loaded data:",
          ", ".join(rates.loc[rates["status"] == support.NO_OFFICES, "prefecture"]) or "none")
    thin_services = by_service[by_service["status"] == support.THIN]
    display(thin_services[["prefecture", "service_label", "open_listings", "offices", "per_listings", "reference"]])
few = rates[rates["status"] == support.FEW_LISTINGS]
print(f"fewer than {MIN_LISTINGS} open listings (no rate):",
      ", ".join(f"{name} ({n})" for name, n in zip(few["prefecture"], few["open_listings"], strict=True)) or "none")
