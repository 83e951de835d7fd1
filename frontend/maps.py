"""Maps on Lotse's pages: what a map shows, as data for `static/frontend/map.js`.

A view builds a `MapData` (lines and markers in WGS-84) and passes it to the template,
which includes `frontend/_map.html`. The browser draws it with Leaflet (shipped by the
django-leaflet package, never copied into the repository). The data travels as a JSON
script element, so no page needs inline JavaScript. Without a tile server
(`MAP_TILE_URL` empty, or offline) the lines and markers still appear, on a plain
background.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

# Colours that stay apart for colour-blind eyes (Paul Tol's "bright" and "muted").
PALETTE = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#332288",
    "#117733",
    "#882255",
    "#999933",
)


@dataclass(frozen=True)
class Marker:
    """A point: `kind` picks the style (stop, venue, unserved, place)."""

    lat: float
    lon: float
    label: str
    kind: str = "place"
    text: str = ""  # what the marker shows, e.g. a stop number
    colour: str = ""


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    label: str
    colour: str


@dataclass(frozen=True)
class MapData:
    lines: Sequence[Line] = ()
    markers: Sequence[Marker] = ()
    label: str = ""  # what the map shows, for screen readers
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "lines": [
                {"points": [list(p) for p in ln.points], "label": ln.label, "colour": ln.colour}
                for ln in self.lines
            ],
            "markers": [
                {
                    "lat": m.lat,
                    "lon": m.lon,
                    "label": m.label,
                    "kind": m.kind,
                    "text": m.text,
                    "colour": m.colour,
                }
                for m in self.markers
            ],
            "label": self.label,
            "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
            **self.extra,
        }


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _time(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")


def route_map(routes: Iterable[Any], unserved: Iterable[Any] = ()) -> MapData:
    """One line per route in its own colour, numbered stops, venues, unserved homes.

    `routes` are `planning.Route` rows with `stops` and `driver` loaded; `unserved` are
    `planning.Unserved` rows with `participant__family` loaded. Start and end (the
    driver's home) are on the line but not marked.
    """
    lines: list[Line] = []
    markers: list[Marker] = []
    venues: dict[tuple[float, float], str] = {}
    for index, route in enumerate(routes):
        tint = colour(index)
        stops = list(route.stops.all())
        name = route.driver.name
        lines.append(
            Line(
                tuple((s.latitude, s.longitude) for s in stops),
                f"{name} {_time(route.starts_at)}",
                tint,
            )
        )
        places: dict[tuple[float, float], list[str]] = {}
        # Numbered as on the route sheet (start and end count, they are not marked).
        for number, stop in enumerate(stops, start=1):
            if stop.kind in ("start", "end"):
                continue
            where = (stop.latitude, stop.longitude)
            if stop.venue_id is not None:
                venues.setdefault(where, stop.venue.name)
            when = f"{number}. {_time(stop.planned_at)} {stop.get_kind_display()}"
            places.setdefault(where, []).append(when)
        # A place the route comes back to (home in the morning and in the evening) is one
        # marker with both numbers, so that no marker hides another.
        markers += [
            Marker(
                lat,
                lon,
                f"{name} · " + "; ".join(visits),
                "stop",
                "/".join(v.split(".")[0] for v in visits),
                tint,
            )
            for (lat, lon), visits in places.items()
        ]
    markers += [Marker(lat, lon, name, "venue", "★") for (lat, lon), name in venues.items()]
    markers += _unserved_homes(unserved)
    return MapData(lines, markers, label=_("Karte der Touren"))


def _unserved_homes(unserved: Iterable[Any]) -> list[Marker]:
    seen: dict[int, Marker] = {}
    for item in unserved:
        family = item.participant.family
        if family.id in seen or not family.has_coordinates:
            continue
        label = _("Nicht gefahren: %(name)s") % {"name": item.participant.first_name}
        seen[family.id] = Marker(family.latitude, family.longitude, label, "unserved", "!")
    return list(seen.values())
