"""The run summary printed by `lotse plan` and `lotse demo`: one formatter for both."""

from __future__ import annotations

from django.utils.translation import gettext as _

from backend.planning.models import PlanningRun


def summary_lines(run: PlanningRun, *, published: bool = False) -> list[str]:
    """Figures of `run` (German), then one line per unserved ride with its reason."""
    total = run.figures.get("total", {})
    line = _(
        "%(org)s, Planungslauf %(run)s: %(children)s von %(requested)s Kindern gefahren "
        "(je Termin), %(served)s/%(requests)s Fahrten, %(km)s km, "
        "bis zu %(vehicles)s Fahrzeuge am Tag, längste Kinderfahrt %(ride)s min "
        "(Matrix: %(matrix)s)"
    ) % {
        "org": run.organisation.name,
        "run": run.pk,
        "children": total.get("children_served", 0),
        "requested": total.get("children_requested", 0),
        "served": total.get("served", 0),
        "requests": total.get("requests", 0),
        "km": total.get("km", 0),
        "vehicles": total.get("vehicles_used", 0),
        "ride": total.get("ride_max_minutes") or 0,
        "matrix": ", ".join(total.get("matrix", [])) or "–",
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
