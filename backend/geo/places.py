"""A place a person types into a search box: a postal code or a town name.

Offline, like the gazetteer: a postal code is the centre of its PLZ area; a town name is
found among the towns of the venues Lotse knows (their postal code, else their own
coordinates), so no map service is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Avg
from django.utils.translation import gettext as _

from backend.geo.geocoding import Gazetteer, GeocodingError, Query
from backend.offers.models import Venue

_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str  # what the person typed, tidied: "54634" or "Bitburg"


def locate_place(text: str) -> Place:
    """The place for a postal code or town name; GeocodingError (German) if unknown."""
    text = " ".join(text.split())
    if not text:
        raise GeocodingError(_("Bitte eine Postleitzahl oder einen Ort angeben."))
    if _DIGITS.match(text):
        located = Gazetteer().locate(Query(postcode=text))
        return Place(located.latitude, located.longitude, text)
    return _town(text)


def _town(name: str) -> Place:
    venues = Venue.objects.filter(town__iexact=name)
    postcode = venues.exclude(postcode="").values_list("postcode", flat=True).first()
    if postcode:
        try:
            located = Gazetteer().locate(Query(postcode=postcode))
        except GeocodingError:
            pass
        else:
            return Place(located.latitude, located.longitude, name)
    centre = venues.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if centre["lat"] is None or centre["lon"] is None:
        raise GeocodingError(
            _("Den Ort „%(name)s“ kennen wir nicht. Bitte die Postleitzahl angeben.")
            % {"name": name}
        )
    return Place(round(centre["lat"], 6), round(centre["lon"], 6), name)
