"""German display of why a ride is not served.

The planner (and the problem builder) explain unserved requests in English; that
text is stored as is (`Unserved.reason`) and translated here for people: CLI, demo
and the API's `reason_display`. Unknown text is shown unchanged rather than hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.planning.problem import (
    NO_DRIVER,
    NO_HOME_COORDINATES,
    NO_PICKUP_COORDINATES,
    NO_VENUE_COORDINATES,
)
from planner.proofs import GROUP_REASON, PARTNER_REASON
from planner.solver import NOT_PLACED_REASON

_SKILLS = {"wheelchair": gettext_lazy("Rollstuhlplatz"), "escort": gettext_lazy("Begleitperson")}
# Load kinds as the problem builder names them (backend.planning.problem), in the accusative.
_NEEDS = {
    "seats": gettext_lazy("einen Sitzplatz"),
    "child_seats": gettext_lazy("einen Kindersitz"),
    "boosters": gettext_lazy("eine Sitzerhöhung"),
    "wheelchair": gettext_lazy("einen Rollstuhlplatz"),
}


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching a planner template such as GROUP_REASON."""
    return re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>.+?)", re.escape(template)) + "$")


def _partner(other: str) -> str:
    """The bundle partner named by its trip (request ids end in -there or -back)."""
    if other.endswith("-there"):
        return _("die zugehörige Hinfahrt")
    if other.endswith("-back"):
        return _("die zugehörige Rückfahrt")
    return _("die zugehörige Fahrt %(other)s") % {"other": other}


def _skills(text: str) -> str:
    return ", ".join(str(_SKILLS.get(s.strip(), s.strip())) for s in text.split(","))


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
        lambda m: _("der Platzbedarf (%(load)s) übersteigt jedes Fahrzeug") % {"load": m["load"]},
    ),
    (
        re.compile(
            r"^direct travel (?P<direct>.+) exceeds the maximum ride time of (?P<limit>.+)$"
        ),
        lambda m: (
            _("die direkte Fahrt (%(direct)s) ist länger als die höchste Fahrzeit (%(limit)s)")
            % {"direct": m["direct"], "limit": m["limit"]}
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
    return reason
