"""Attendance pages for coordinators and staff, under /anwesenheit/ (made for a phone).

- `/anwesenheit/`: the sessions of the last two weeks that have begun, recorded or not;
- `/anwesenheit/<session id>/`: tick off the enrolled participants who came and count
  the walk-ins; stored as the session's anonymous `Attendance` plus a `Presence` per
  participant (`backend/families/services.record_attendance`).

Sessions are found from the user's organisation only; another organisation's session
answers 404, drivers and users without an organisation get 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from backend.families import services
from backend.families.models import Absence, Presence
from backend.lib import clock
from backend.offers.models import Attendance, Session
from backend.organisations.access import STAFF_ROLES, TenantHttpRequest
from frontend.families_forms import AttendanceForm
from frontend.pages_provider import _require_role

DAYS_BACK = 14


def _sessions(request: TenantHttpRequest):
    return Session.objects.for_org(request.org).select_related("offer", "venue")


@login_required
def session_list(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    now = clock.now()
    since = clock.at(clock.today() - dt.timedelta(days=DAYS_BACK))
    sessions = (
        _sessions(request)
        .filter(starts_at__gte=since, starts_at__lte=now)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("-starts_at")
    )
    recorded = {a.session_id: a for a in Attendance.objects.filter(session__in=list(sessions))}
    rows = [(session, recorded.get(session.pk)) for session in sessions]
    return render(request, "frontend/attendance/list.html", {"rows": rows, "days": DAYS_BACK})


def _form_page(
    request: TenantHttpRequest, session: Session, form: AttendanceForm, status: int = 200
) -> HttpResponse:
    absent = set(Absence.objects.filter(session=session).values_list("participant_id", flat=True))
    context = {"session": session, "form": form, "absent": absent}
    return render(request, "frontend/attendance/session.html", context, status=status)


@login_required
def session_attendance(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    session = get_object_or_404(_sessions(request), pk=pk)
    enrolled = services.enrolled_on(session)
    if request.method != "POST":
        present = [p.participant for p in Presence.objects.filter(session=session)]
        attendance = Attendance.objects.filter(session=session).first()
        children, adults = services.presence_counts(attendance, present)
        initial = {"present": present, "walk_in_children": children, "walk_in_adults": adults}
        return _form_page(request, session, AttendanceForm(initial=initial, enrolled=enrolled))
    form = AttendanceForm(request.POST, enrolled=enrolled)
    if not form.is_valid():
        return _form_page(request, session, form, status=400)
    data = form.cleaned_data
    try:
        attendance = services.record_attendance(
            session, data["present"], data["walk_in_children"], data["walk_in_adults"], request.user
        )
    except ValidationError as exc:
        _name_fields(form, exc)
        return _form_page(request, session, form, status=400)
    messages.success(
        request,
        _(
            "Gespeichert: %(children)s Kinder, %(adults)s Erwachsene (davon %(walk_ins)s ohne Anmeldung)."
        )
        % {
            "children": attendance.children,
            "adults": attendance.adults,
            "walk_ins": attendance.walk_ins,
        },
    )
    return redirect("attendance")


# The Attendance rules name its own fields; on this page they are the walk-in counts.
_FIELDS = {"children": "walk_in_children", "adults": "walk_in_adults", "walk_ins": None}


def _name_fields(form: AttendanceForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        name = _FIELDS.get(field, field if field in form.fields else None)
        for error in errors:
            form.add_error(name, error)


urlpatterns = [
    path("", session_list, name="attendance"),
    path("<int:pk>/", session_attendance, name="attendance-session"),
]
