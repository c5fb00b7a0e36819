"""The Hello Work office in charge of a place (the snapshot's ``hellowork_areas``).

A postcode listed as an exception wins (a municipality split between offices); otherwise the
office of the municipality; a ward of a designated city that the table does not list is looked
up by its city. A municipality listed under several offices has them all, in the table's order.
"""

from __future__ import annotations

from pipeline.places.municipalities import city_of_ward, normalize_postcode
from ranker.support.places import Place
from ranker.support.tables import SupportTables


def offices_in_charge(tables: SupportTables, place: Place) -> list[str]:
    """The Hello Work office(s) in charge of a place; empty when its municipality is not known
    (coordinates alone) or the table does not list it."""
    if place.postcode is not None:
        found = tables.hellowork_by_postcode.get(normalize_postcode(place.postcode))
        if found:
            return list(found)
    if place.municipality is None:
        return []
    code = place.municipality.code
    found = tables.hellowork_by_municipality.get(code)
    if not found and (city := city_of_ward(code)) is not None:
        found = tables.hellowork_by_municipality.get(city)
    return list(found or [])
