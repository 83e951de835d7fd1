"""Whose report a request may see: its own provider (or one of its groups), or for the
coordination office the district. Coordinators and staff only; drivers never."""

from __future__ import annotations

from django.http import Http404

from backend.organisations.access import STAFF_ROLES
from backend.organisations.models import Organisation
from backend.reports.engine import Scope
from backend.reports.periods import PeriodError

REPORT_ROLES = STAFF_ROLES


def scope_for(org: Organisation, group: str | None) -> Scope:
    """The scope of `org`'s report; `group` (an id of its own group offers) narrows it.

    Another organisation's group answers 404 like one that does not exist.
    """
    group = (group or "").strip()
    if org.kind == Organisation.Kind.COORDINATION:
        if group:
            raise PeriodError(
                {"gruppe": "Die Koordinierungsstelle sieht nur den ganzen Landkreis."}
            )
        return Scope.district_of(org)
    if not group:
        return Scope.provider(org)
    if not group.isdigit() or len(group) > 9:
        raise PeriodError({"gruppe": "Bitte eine Gruppe aus der Liste wählen."})
    offer = org.group_offers.filter(pk=int(group)).first()
    if offer is None:
        raise Http404
    return Scope.provider(org, offer)
