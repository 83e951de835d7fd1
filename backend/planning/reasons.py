"""German display of why a ride is not served.

The planner (and the problem builder) explain unserved requests in English; that
text is stored as is (`Unserved.reason`) and translated here for people: the run page,
CLI, demo and the API's `reason_display`. People read plain words: a ride is named by
the child and its direction ("Hinfahrt von Mila"), never by its internal id
(`p17-s45-there`), and numbers are written in the active language ("42,5 min").
Unknown text is shown rather than hidden, with ride ids replaced by names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.families.models import Participant
from backend.planning.problem import (
    NO_DRIVER,
    NO_HOME_COORDINATES,
    NO_PICKUP_COORDINATES,
    NO_VENUE_COORDINATES,
)
from planner.proofs import GROUP_REASON, PARTNER_REASON
from planner.solver import NOT_PLACED_REASON

_SKILLS = {"wheelchair": gettext_lazy("Rollstuhlplatz"), "escort": gettext_lazy("Begleitperson")}
_LOADS = {
    "seats": gettext_lazy("Sitzplätze"),
    "child_seats": gettext_lazy("Kindersitze"),
    "boosters": gettext_lazy("Sitzerhöhungen"),
    "wheelchair": gettext_lazy("Rollstuhlplätze"),
}
# Load kinds as the problem builder names them (backend.planning.problem), in the accusative.
_NEEDS = {
    "seats": gettext_lazy("einen Sitzplatz"),
    "child_seats": gettext_lazy("einen Kindersitz"),
    "boosters": gettext_lazy("eine Sitzerhöhung"),
    "wheelchair": gettext_lazy("einen Rollstuhlplatz"),
}
_RIDES = {
    "there": gettext_lazy("Hinfahrt von %(child)s"),
    "back": gettext_lazy("Rückfahrt von %(child)s"),
}
# A request id of backend/planning/problem.py: participant, session, direction.
_REQUEST_ID = re.compile(r"\bp(?P<participant>\d+)-s\d+-(?P<direction>there|back)\b")
_MINUTES = re.compile(r"(?P<number>\d+(?:\.\d+)?) min\b")


def ride_name(first_name: str, direction: str) -> str:
    """ "Hinfahrt von Mila" (to the group) or "Rückfahrt von Mila" (home)."""
    template = _RIDES.get(direction)
    return str(template) % {"child": first_name} if template else first_name


def _first_name(match: re.Match[str]) -> str | None:
    names = Participant.objects.filter(pk=int(match["participant"]))
    return names.values_list("first_name", flat=True).first()


def _ride_of(match: re.Match[str]) -> str:
    """The ride behind a request id, named for people (never the id itself)."""
    first_name = _first_name(match)
    if first_name is None:
        return _("eine andere Fahrt")
    return ride_name(first_name, match["direction"])


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching a planner template such as GROUP_REASON."""
    return re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>.+?)", re.escape(template)) + "$")


def _partner(request_id: str) -> str:
    """The bundle partner of a ride, named for people: "die zugehörige Rückfahrt von Mila"."""
    match = _REQUEST_ID.fullmatch(request_id)
    first_name = _first_name(match) if match else None
    if match is None or first_name is None:
        return _("eine zugehörige Fahrt")
    return _("die zugehörige %(other)s") % {"other": ride_name(first_name, match["direction"])}


def _plain(text: str) -> str:
    """Ride ids → names; "42.5 min" → "42,5 min" (in German)."""
    text = _REQUEST_ID.sub(_ride_of, text)
    return _MINUTES.sub(lambda m: f"{_number(m['number'])} min", text)


def _number(text: str) -> str:
    value = float(text)
    return number_format(value, decimal_pos=0 if value.is_integer() else 1)


def _skills(text: str) -> str:
    return ", ".join(str(_SKILLS.get(s.strip(), s.strip())) for s in text.split(","))


def _load(text: str) -> str:
    """ "seats 5, child_seats 1" → "5 Sitzplätze, 1 Kindersitze"."""
    parts = []
    for part in text.split(","):
        kind, _sep, amount = part.strip().rpartition(" ")
        parts.append(f"{amount} {_LOADS.get(kind, kind)}" if kind else part.strip())
    return ", ".join(parts)


_FIXED: dict[str, Callable[[], str]] = {
    NO_HOME_COORDINATES: lambda: _("keine Koordinaten für die Wohnadresse"),
    NO_PICKUP_COORDINATES: lambda: _("keine Koordinaten für die Abholadresse"),
    NO_VENUE_COORDINATES: lambda: _("keine Koordinaten für den Veranstaltungsort"),
    NO_DRIVER: lambda: _(
        "an diesem Tag kein Fahrer verfügbar (Verfügbarkeit, gültiges Führungszeugnis, "
        "Fahrzeug, Koordinaten)"
    ),
    "no capacity left in that time span": lambda: _("in dieser Zeit kein Platz mehr frei"),
    NOT_PLACED_REASON: lambda: _(
        "in der Rechenzeit nicht eingeplant – mit mehr Rechenzeit oder einem weiteren "
        "Fahrzeug ist es vielleicht möglich"
    ),
    "there are no vehicles": lambda: _("es gibt keine Fahrzeuge"),
    "the drop-off window cannot be reached in time from the pickup window": lambda: _(
        "das Ziel ist vom Abholzeitfenster aus nicht rechtzeitig erreichbar"
    ),
    "the windows force a ride longer than the maximum ride time": lambda: _(
        "die Zeitfenster erzwingen eine Fahrt länger als die höchste Fahrzeit"
    ),
    "the trip does not fit into any vehicle's maximum duration": lambda: _(
        "die Fahrt passt in keine Einsatzzeit eines Fahrzeugs"
    ),
    "the window cannot be reached from any vehicle's start within its availability": lambda: _(
        "kein Fahrzeug erreicht das Zeitfenster innerhalb seiner Verfügbarkeit"
    ),
}

_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        _pattern(GROUP_REASON),
        lambda m: (
            _(
                "höchstens %(served)s der %(group)s Fahrten, die zur selben Zeit %(kind)s "
                "brauchen, können zusammen gefahren werden (jede Verteilung auf die Fahrzeuge "
                "geprüft: Plätze, Zeitfenster, Fahrzeiten); diese bleibt übrig"
            )
            % {
                "served": m["served"],
                "group": m["group"],
                "kind": _NEEDS.get(m["kind"], m["kind"]),
            }
        ),
    ),
    (
        re.compile(r"^its bundle partner (?P<other>\S+) cannot be served$"),
        lambda m: _("%(partner)s kann nicht gefahren werden") % {"partner": _partner(m["other"])},
    ),
    (
        _pattern(PARTNER_REASON),
        lambda m: (
            _("%(partner)s fällt weg: %(why)s")
            % {"partner": _partner(m["other"]), "why": reason_display(m["why"])}
        ),
    ),
    (
        re.compile(r"^no vehicle has the skill (?P<skills>.+)$"),
        lambda m: _("kein Fahrzeug bietet: %(skills)s") % {"skills": _skills(m["skills"])},
    ),
    (
        re.compile(r"^no vehicle has all of the skills (?P<skills>.+)$"),
        lambda m: (
            _("kein Fahrzeug bietet alles zusammen: %(skills)s") % {"skills": _skills(m["skills"])}
        ),
    ),
    (
        re.compile(r"^the load \((?P<load>[^)]*)\) exceeds every vehicle's capacity$"),
        lambda m: (
            _("der Platzbedarf (%(load)s) übersteigt jedes Fahrzeug") % {"load": _load(m["load"])}
        ),
    ),
    (
        re.compile(
            r"^direct travel (?P<direct>.+) exceeds the maximum ride time of (?P<limit>.+)$"
        ),
        lambda m: (
            _("die direkte Fahrt (%(direct)s) ist länger als die höchste Fahrzeit (%(limit)s)")
            % {"direct": _plain(m["direct"]), "limit": _plain(m["limit"])}
        ),
    ),
]


def reason_display(reason: str) -> str:
    """The planner's `reason` in the active language (German by default)."""
    fixed = _FIXED.get(reason)
    if fixed is not None:
        return fixed()
    for pattern, render in _PATTERNS:
        match = pattern.match(reason)
        if match:
            return render(match)
    return _plain(reason)


def explanation(first_name: str, direction: str, reason: str) -> str:
    """A whole sentence for people: "Hinfahrt von Mila: kein Fahrzeug bietet: …"."""
    return _("%(ride)s: %(reason)s") % {
        "ride": ride_name(first_name, direction),
        "reason": reason_display(reason),
    }


# Kinds of reasons, for figures that outlive the reasons' text (reports, TransportDay):
# the stored reason → one of these keys, shown with its label.
REASON_KINDS = {
    "coordinates": gettext_lazy("Adresse ohne Koordinaten"),
    "driver": gettext_lazy("kein Fahrer verfügbar"),
    "capacity": gettext_lazy("kein Platz frei"),
    "time": gettext_lazy("Zeitfenster oder Fahrzeit passen nicht"),
    "vehicle": gettext_lazy("kein passendes Fahrzeug"),
    "partner": gettext_lazy("zugehörige Fahrt fällt weg"),
    "not_placed": gettext_lazy("in der Rechenzeit nicht eingeplant"),
    "other": gettext_lazy("anderer Grund"),
}
_KIND_PREFIXES = [
    ("no coordinates", "coordinates"),
    ("no driver", "driver"),
    ("no capacity", "capacity"),
    ("at most ", "capacity"),
    ("the load ", "capacity"),
    ("there are no vehicles", "vehicle"),
    ("no vehicle has", "vehicle"),
    ("its bundle partner", "partner"),
    ("the drop-off window", "time"),
    ("the windows force", "time"),
    ("the trip does not fit", "time"),
    ("the window cannot be reached", "time"),
    ("direct travel", "time"),
]


def reason_kind(reason: str) -> str:
    """The kind (a key of REASON_KINDS) of a stored planner reason."""
    if reason == NOT_PLACED_REASON:
        return "not_placed"
    for prefix, kind in _KIND_PREFIXES:
        if reason.startswith(prefix):
            return kind
    return "other"


def reason_kind_label(kind: str) -> str:
    return str(REASON_KINDS.get(kind, REASON_KINDS["other"]))
