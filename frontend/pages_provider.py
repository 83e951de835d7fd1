"""Provider pages: the start page at / and shuttle planning under /planung/.

Coordinators and staff of an organisation start planning runs and follow them;
only coordinators publish (as in the API). Every lookup starts from the requesting
user's organisation (`attach_tenant`), so another organisation's run answers 404;
drivers and users without an organisation get 403.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.lib import clock
from backend.offers.models import Session
from backend.organisations.access import (
    COORDINATOR_ONLY,
    STAFF_ROLES,
    TenantHttpRequest,
    attach_tenant,
)
from backend.organisations.models import Organisation, Role
from backend.planning import lease
from backend.planning.models import PlanningRun, Publication, Stop
from backend.planning.places import APPROXIMATE_LABEL, approximate_places
from backend.planning.services import MAX_TIME_LIMIT, RunConflict, start_manual_run, validate_range
from backend.publishing import review
from backend.publishing.services import (
    PublishError,
    publish_run,
    publishable_days,
    serves_nobody,
)
from frontend import maps

DAYS_AHEAD = 14
RECENT_RUNS = 10
REFRESH_SECONDS = 3
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]

DRIVER_CHANGES = {
    "removed": gettext_lazy("entfällt"),
    "added": gettext_lazy("neu"),
    "changed": gettext_lazy("Tour geändert"),
}


# --- access --------------------------------------------------------------------------


def _require_role(
    request: TenantHttpRequest, roles: frozenset[str], *, office: bool = False
) -> None:
    """403 unless the user acts for an organisation in one of `roles`.

    A provider's pages refuse the coordination office (it has its own under /bezirk/);
    `office=True` marks the pages every organisation has (its team).
    """
    if not attach_tenant(request):
        raise PermissionDenied
    if request.role not in roles:
        raise PermissionDenied
    if request.org.is_office and not office:
        raise PermissionDenied


def _run_for(request: TenantHttpRequest, pk: int) -> PlanningRun:
    lease.expire_stale(request.org)  # a run whose worker is gone shows as failed
    return get_object_or_404(request.org.planning_runs.all(), pk=pk)


# --- start page ----------------------------------------------------------------------


def start(request: TenantHttpRequest) -> HttpResponse:
    if request.user.is_authenticated and attach_tenant(request) and request.role == Role.DRIVER:
        return redirect("driver-routes")
    if request.user.is_authenticated and attach_tenant(request) and request.org.is_office:
        return redirect("district")  # the office lands on the district's pages
    can_plan = request.user.is_authenticated and getattr(request, "role", None) in STAFF_ROLES
    return render(request, "frontend/provider/start.html", {"can_plan": can_plan})


# --- planning overview ---------------------------------------------------------------


class RunForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Von"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Bitte ein Datum angeben."),
            "invalid": gettext_lazy("Kein gültiges Datum."),
        },
    )
    date_to = forms.DateField(
        label=gettext_lazy("Bis"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Leer lassen, um nur einen Tag zu planen."),
        error_messages={"invalid": gettext_lazy("Kein gültiges Datum.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The date picker offers no past days; the server refuses them all the same.
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["min"] = clock.today().isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("date_from") and not data.get("date_to") and "date_to" not in self.errors:
            data["date_to"] = data["date_from"]
        if data.get("date_from") and data.get("date_to"):
            # The service's own range rules (no past days, at most 31), shown on their
            # fields. The planner's seconds are the organisation's setting, not asked.
            try:
                validate_range(data["date_from"], data["date_to"], MAX_TIME_LIMIT)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@dataclass(frozen=True)
class PlanningDay:
    date: dt.date
    sessions: int
    publication: Publication | None


def planning_days(org: Organisation, today: dt.date) -> list[PlanningDay]:
    """The coming days with their number of sessions and their published plan."""
    until = today + dt.timedelta(days=DAYS_AHEAD)
    sessions = Session.objects.for_org(org).filter(
        starts_at__gte=clock.at(today), starts_at__lt=clock.at(until)
    )
    counts: dict[dt.date, int] = {}
    for starts_at in sessions.exclude(status=Session.Status.CANCELLED).values_list(
        "starts_at", flat=True
    ):
        day = clock.local(starts_at).date()
        counts[day] = counts.get(day, 0) + 1
    current = {
        p.date: p for p in org.publications.current().filter(date__gte=today, date__lt=until)
    }
    days = [today + dt.timedelta(days=n) for n in range(DAYS_AHEAD)]
    return [PlanningDay(d, counts.get(d, 0), current.get(d)) for d in days]


def _overview(request: TenantHttpRequest, form: RunForm, status: int = 200) -> HttpResponse:
    lease.expire_stale(request.org)
    runs = list(request.org.planning_runs.all()[:RECENT_RUNS])
    awaiting = review.awaiting_review(request.org)
    context = {
        "form": form,
        "days": planning_days(request.org, clock.today()),
        "runs": runs,
        "awaiting": awaiting,
        "awaiting_ids": {r.pk for r in awaiting},
        "can_publish": request.role in COORDINATOR_ONLY,
    }
    return render(request, "frontend/provider/planning.html", context, status=status)


@login_required
def planning(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    if request.method != "POST":
        tomorrow = clock.today() + dt.timedelta(days=1)
        initial = {"date_from": tomorrow}
        return _overview(request, RunForm(initial=initial))
    form = RunForm(request.POST)
    if not form.is_valid():
        return _overview(request, form, status=400)
    try:
        run = start_manual_run(request.org, request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _overview(request, form, status=400)
    except RunConflict as exc:
        messages.error(request, str(exc))
        return _overview(request, form, status=409)
    messages.success(request, _("Planungslauf %(run)s wurde gestartet.") % {"run": run.pk})
    return redirect("planning-run", pk=run.pk)


# --- one run -------------------------------------------------------------------------


def _affected(run: PlanningRun) -> dict[str, list]:
    affected: dict[str, Any] = run.affected or {}
    drivers = [
        dict(
            item,
            date=dt.date.fromisoformat(item["date"]),
            label=DRIVER_CHANGES.get(item["change"], item["change"]),
        )
        for item in affected.get("drivers", [])
    ]
    return {"families": review.change_rows(run, clock.today()), "drivers": drivers}


def _run_context(request: TenantHttpRequest, run: PlanningRun) -> dict:
    current = set(run.publications.current().values_list("date", flat=True))
    unserved = list(run.unserved.select_related("participant__family", "session"))
    routes = run.routes.select_related("driver", "vehicle").annotate(
        stop_count=Count("stops", filter=~Q(stops__kind__in=[Stop.Kind.START, Stop.Kind.END]))
    )
    done = run.status == PlanningRun.Status.DONE
    days = publishable_days(run)
    publishable = set(run.days() if days is None else days)
    return {
        "maps": _day_maps(run, unserved),
        "run": run,
        "active": run.is_active,
        "refresh": REFRESH_SECONDS,
        "total": run.figures.get("total", {}),
        "unserved": unserved,
        "affected": _affected(run),
        "routes": routes.order_by("date", "starts_at"),
        "published_days": sorted(current),
        "fully_published": current >= publishable,
        "can_publish": request.role in COORDINATOR_ONLY and done and current < publishable,
        "awaiting_review": review.is_awaiting_review(run),
        "serves_nobody": serves_nobody(run),
        "approximate": approximate_places(run, unserved),
        "approximate_label": APPROXIMATE_LABEL,
    }


def _day_maps(run: PlanningRun, unserved: list) -> list[dict[str, Any]]:
    """One map per planned day: its routes, stops, venues and unserved homes."""
    routes = run.routes.select_related("driver").prefetch_related("stops__venue")
    days = sorted({r.date for r in routes} | {u.date for u in unserved})
    return [
        {
            "day": day,
            "id": f"map-{day:%Y-%m-%d}",
            "data": maps.route_map(
                [r for r in routes if r.date == day], [u for u in unserved if u.date == day]
            ).as_json(),
        }
        for day in days
    ]


@login_required
def run_detail(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    run = _run_for(request, pk)
    return render(request, "frontend/provider/run.html", _run_context(request, run))


@login_required
@require_POST
def run_publish(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    run = _run_for(request, pk)
    _require_role(request, COORDINATOR_ONLY)
    confirmed = request.POST.get("confirm_unserved") == "yes"
    try:
        created = publish_run(
            run, request.user, days=publishable_days(run), confirm_unserved=confirmed
        )
    except PublishError as exc:
        messages.error(request, str(exc))
        return redirect("planning-run", pk=run.pk)
    if created:
        messages.success(
            request,
            _("Veröffentlicht für %(days)s.")
            % {"days": ", ".join(f"{p.date:%d.%m.%Y}" for p in created)},
        )
    else:
        messages.info(request, _("Dieser Planungslauf ist bereits veröffentlicht."))
    return redirect("planning-run", pk=run.pk)


urlpatterns = [
    path("", start, name="start"),
    path("planung/", planning, name="planning"),
    path("planung/laeufe/<int:pk>/", run_detail, name="planning-run"),
    path("planung/laeufe/<int:pk>/veroeffentlichen/", run_publish, name="planning-run-publish"),
]
