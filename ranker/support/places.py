"""Where a person's home (or a place asked about) is, as a point.

Coordinates are taken as given. A postcode names a municipality (Japan Post's data, through
pipeline.places); a municipality is placed at its centroid in the snapshot's ``area_centroids``
(the mean of its offices' coordinates), else at its prefecture's: such a point is approximate,
and the answers say so. A designated city without a centroid of its own is placed at the mean
of its wards' centroids.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipeline.places.extent import in_japan
from pipeline.places.municipalities import (
    Municipality,
    PlaceCodeError,
    city_of_ward,
    municipality_by_code,
    municipality_for_postcode,
    municipality_in_address,
    normalize_municipality_code,
    normalize_postcode,
)
from ranker.profile import Home
from ranker.support.tables import Centroid, SupportTables

__all__ = ["Place", "PlaceCodeError", "home_from_text", "municipality_point", "resolve_home"]

_COORDINATES = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Place:
    """A resolved place: its point (None when the snapshot holds no centroid for it), how it was
    found (coordinates | municipality | prefecture) and, when known, its municipality and postcode."""

    lat: float | None
    lng: float | None
    approximate: bool
    located_by: str | None  # coordinates | municipality | prefecture | None (no point)
    municipality: Municipality | None = None
    postcode: str | None = None  # seven digits

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lng is not None

    @property
    def in_japan(self) -> bool:
        if self.municipality is not None:
            return True
        return self.lat is not None and self.lng is not None and in_japan(self.lat, self.lng)

    def to_dict(self) -> dict[str, object]:
        m = self.municipality
        return {
            "lat": None if self.lat is None else round(self.lat, 5),
            "lng": None if self.lng is None else round(self.lng, 5),
            "approximate": self.approximate, "located_by": self.located_by,
            "municipality_code": m.code if m else None, "municipality": m.full_name if m else None,
            "postal_code": self.postcode,
        }


def home_from_text(text: str) -> Home:
    """A place as written on the command line or in a query: ``lat,lng``, a postcode (164-0014,
    1640014, 〒164-0014) or a municipality code (13114, 131148). PlaceCodeError names the value."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _COORDINATES.match(folded)
    if match is not None:
        lat, lng = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise PlaceCodeError(f"coordinates {text!r} are out of range: write latitude,longitude in degrees, "
                                 "e.g. 35.69,139.67")
        return Home(lat=lat, lon=lng)
    digits = folded.removeprefix("〒").strip()
    if re.fullmatch(r"\d{3}[-ー−]\d{4}|\d{7}", digits):
        municipality_for_postcode(text)  # names the postcode as written when Japan Post does not know it
        return Home(postal_code=normalize_postcode(text))
    if re.fullmatch(r"\d{4,6}", digits):
        return Home(municipality_code=normalize_municipality_code(text))
    # Not repeated: text that is not shaped like a place could be anything the person typed.
    raise PlaceCodeError("the place is not a postcode (164-0014), a municipality code (13114) or "
                         "coordinates (35.69,139.67)")


def resolve_home(home: Home, tables: SupportTables) -> Place:
    """The point of a home: its coordinates when given, else its municipality's centroid
    (approximate). Its municipality and postcode are kept for the Hello Work office in charge."""
    postcode = normalize_postcode(home.postal_code) if home.postal_code else None
    municipality = None
    if postcode is not None:
        municipality = municipality_for_postcode(postcode)
    elif home.municipality_code:
        municipality = municipality_by_code(home.municipality_code)
    if home.lat is not None and home.lon is not None:
        return Place(home.lat, home.lon, False, "coordinates", municipality, postcode)
    if municipality is None:
        return Place(None, None, True, None)
    centroid = municipality_point(tables, municipality.code)
    if centroid is None:
        prefecture = tables.centroids.get(municipality.prefecture_code)
        if prefecture is None:
            return Place(None, None, True, None, municipality, postcode)
        return Place(prefecture.lat, prefecture.lng, True, "prefecture", municipality, postcode)
    return Place(centroid.lat, centroid.lng, True, "municipality", municipality, postcode)


def municipality_point(tables: SupportTables, code: str) -> Centroid | None:
    """The centroid of a municipality; for a designated city without one, the mean of its wards'
    centroids weighted by their offices. None when the snapshot holds neither."""
    found = tables.centroids.get(code)
    if found is not None and found.level == "municipality":
        return found
    return tables.memo(("city", code), lambda: _city_from_wards(tables, code))


def _city_from_wards(tables: SupportTables, code: str) -> Centroid | None:
    city = _municipality(code)
    if city is None or not city.name.endswith("市"):
        return None
    wards = [c for c in tables.centroids.values() if c.level == "municipality" and c.code[:2] == code[:2]
             and city_of_ward(c.code) == code]
    weight = sum(max(w.offices, 1) for w in wards)
    if not wards:
        return None
    lat = sum(w.lat * max(w.offices, 1) for w in wards) / weight
    lng = sum(w.lng * max(w.offices, 1) for w in wards) / weight
    return Centroid(code, "municipality", city.name, lat, lng, sum(w.offices for w in wards))


@lru_cache(maxsize=4096)
def _municipality(code: str) -> Municipality | None:
    try:
        return municipality_by_code(code)
    except PlaceCodeError:
        return None


@lru_cache(maxsize=8192)
def municipality_of_place(region: str, locality: str) -> Municipality | None:
    """The municipality a listing's stated region and locality name (東京都 + 中野区), or None
    when they name none (a prefecture alone, a place outside Japan)."""
    text = f"{region}{locality}".strip()
    if not text:
        return None
    found = municipality_in_address(text)
    if found is None and locality:
        found = municipality_in_address(locality)
    if found is None or (region and not _same_prefecture(region, found)):
        return None
    return found


def _same_prefecture(region: str, municipality: Municipality) -> bool:
    """A stated region that names a prefecture must be the municipality's (府中市 is in 東京都 and 広島県)."""
    folded = unicodedata.normalize("NFKC", region).strip()
    if not folded or not re.search(r"[都道府県]$", folded):
        return True
    return folded == municipality.prefecture
