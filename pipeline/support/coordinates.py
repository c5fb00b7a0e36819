"""An office's latitude and longitude as WAM publishes them, checked against Japan's extent."""

from __future__ import annotations

import math
import unicodedata

from pipeline.places.extent import LAT_RANGE, LNG_RANGE
from pipeline.support.errors import SupportRowError


def _number(text: str, what: str) -> float:
    try:
        value = float(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise SupportRowError("coordinates_not_numeric", f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise SupportRowError("coordinates_not_numeric", f"{what} {text!r} is not a finite number")
    return value


def _inside(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def coordinates(lat_text: str | None, lng_text: str | None) -> tuple[float | None, float | None]:
    """(lat, lng), or (None, None) when both are blank; SupportRowError for anything broken.

    Broken: one of the two missing, not a number, swapped (a longitude in the latitude column),
    or outside Japan.
    """
    lat_blank = not (lat_text or "").strip()
    lng_blank = not (lng_text or "").strip()
    if lat_blank and lng_blank:
        return None, None
    if lat_blank or lng_blank:
        missing = "事業所緯度" if lat_blank else "事業所経度"
        raise SupportRowError("coordinates_incomplete", f"{missing} is blank while the other coordinate is given")
    lat = _number(str(lat_text), "事業所緯度")
    lng = _number(str(lng_text), "事業所経度")
    if _inside(lat, LAT_RANGE) and _inside(lng, LNG_RANGE):
        return lat, lng
    if _inside(lng, LAT_RANGE) and _inside(lat, LNG_RANGE):
        raise SupportRowError("coordinates_swapped", f"latitude {lat} and longitude {lng} are swapped")
    raise SupportRowError("coordinates_outside_japan", f"({lat}, {lng}) is outside Japan")
