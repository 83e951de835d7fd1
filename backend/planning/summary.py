"""The run summary printed by `lotse plan` and `lotse demo`: one formatter for both."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.planning.models import PlanningRun

_MATRICES = {
    "geodesic": gettext_lazy("Luftlinie mit Umwegfaktor"),
    "osrm": gettext_lazy("Straßennetz (OSRM)"),
}


def _matrix(source: str) -> str:
    """ "geodesic" → "Luftlinie mit Umwegfaktor"; a fallback after an OSRM failure says so."""
    if source in _MATRICES:
        return str(_MATRICES[source])
    if source.startswith("geodesic ("):
        return _("Luftlinie mit Umwegfaktor (OSRM nicht erreichbar)")
    return source


def _decimal(value: float | int | None) -> str:
    return number_format(value or 0, decimal_pos=1 if value and value % 1 else 0)


def summary_lines(run: PlanningRun, *, published: bool = False) -> list[str]:
    """Figures of `run` (German), then one line per unserved ride with its reason."""
    total = run.figures.get("total", {})
    line = _(
        "%(org)s, Planungslauf %(run)s: %(children)s von %(requested)s Kindern gefahren "
        "(je Termin), %(served)s/%(requests)s Fahrten, %(km)s km, "
        "bis zu %(vehicles)s Fahrzeuge am Tag, längste Kinderfahrt %(ride)s min "
        "(Fahrzeiten: %(matrix)s)"
    ) % {
        "org": run.organisation.name,
        "run": run.pk,
        "children": total.get("children_served", 0),
        "requested": total.get("children_requested", 0),
        "served": total.get("served", 0),
        "requests": total.get("requests", 0),
        "km": _decimal(total.get("km")),
        "vehicles": total.get("vehicles_used", 0),
        "ride": _decimal(total.get("ride_max_minutes")),
        "matrix": ", ".join(_matrix(m) for m in total.get("matrix", [])) or "–",
    }
    lines = [line + (_(" – veröffentlicht") if published else "")]
    for item in run.unserved.select_related("participant__family").order_by("date", "request_id"):
        lines.append(
            _("  nicht gefahren am %(date)s (Familie %(family)s): %(explanation)s")
            % {
                "date": f"{item.date:%d.%m.%Y}",
                "family": item.participant.family.reference,
                "explanation": item.explanation,
            }
        )
    return lines
