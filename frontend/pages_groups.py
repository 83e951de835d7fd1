"""Group pages under /gruppen/: group offers with their coming sessions (cancel, move,
reinstate), venues and the organisation's closure periods.

Coordinators and staff manage groups, sessions and venues; only coordinators save
closure periods (staff read them), as in the API. Every lookup starts from the
requesting user's organisation, so another organisation's group answers 404. Every
write goes through the API's serializers (`frontend.writes`), so a rule is written once.
"""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.dates import WEEKDAYS as WEEKDAY_LABELS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.lib import clock
from backend.lib.schedule import WEEKDAYS, parse_weekly_rrule
from backend.offers.api import CancelSerializer, GroupOfferSerializer, MoveSerializer
from backend.offers.models import Audience, GroupOffer, Sector, Session, Venue
from backend.offers.services import materialise_sessions
from backend.organisations.access import STAFF_ROLES, TenantHttpRequest
from frontend.inputs import DATE_FORMATS, DATE_INPUT, TIME_INPUT
from frontend.pages_provider import _require_role
from frontend.writes import add_errors, payload, save_through

PER_PAGE = 20
SESSION_WEEKS_SHOWN = 12


# --- the group form ------------------------------------------------------------------


class GroupForm(forms.ModelForm):
    """A group offer without RRULE: weekday and "every n weeks" become the rule."""

    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Wochentag"),
        coerce=int,
        choices=sorted(WEEKDAY_LABELS.items()),
    )
    interval = forms.IntegerField(
        label=gettext_lazy("Alle … Wochen"),
        initial=1,
        help_text=gettext_lazy("1 = jede Woche, 2 = alle zwei Wochen"),
    )
    sectors = forms.MultipleChoiceField(
        label=gettext_lazy("Bereiche"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GroupOffer
        fields = [
            "title",
            "calendar_title",
            "venue",
            "audience",
            "weekday",
            "interval",
            "start_time",
            "duration_minutes",
            "first_date",
            "last_date",
            "min_age",
            "max_age",
            "capacity",
            "paired_offer",
            "registration_required",
            "holiday_region",
            "sectors",
            "public_description",
        ]
        labels = {"venue": gettext_lazy("Ort")}
        widgets = {
            "start_time": TIME_INPUT,
            "first_date": DATE_INPUT,
            "last_date": DATE_INPUT,
            "public_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, request: TenantHttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = request.org
        self.fields["venue"].queryset = org.venues.all()  # type: ignore[attr-defined]
        parents = org.group_offers.filter(audience=Audience.PARENTS)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            weekday, interval = parse_weekly_rrule(self.instance.rrule)
            self.initial.update(weekday=weekday, interval=interval)
        self.fields["paired_offer"].queryset = parents  # type: ignore[attr-defined]
        for name in ("first_date", "last_date"):
            self.fields[name].input_formats = DATE_FORMATS  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        """The API serializer checks the model's rules (see `save_group`)."""

    def rrule(self) -> str:
        weekday, interval = self.cleaned_data["weekday"], self.cleaned_data["interval"]
        rule = f"FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]}"
        return (
            rule if interval == 1 else f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={WEEKDAYS[weekday]}"
        )


def save_group(request: TenantHttpRequest, form: GroupForm) -> GroupOffer | None:
    """Save through the API's serializer; sessions for the horizon follow at once."""
    data = payload(form)
    data["rrule"] = form.rrule()
    del data["weekday"], data["interval"]
    instance = form.instance if form.instance.pk else None
    offer = save_through(
        GroupOfferSerializer,
        request,
        form,
        data,
        instance=instance,
        field_map={"rrule": "interval"},
        inject=None if instance else {"organisation": request.org},
    )
    if offer is not None:
        materialise_sessions(offer, clock.today(), settings.SESSION_HORIZON_WEEKS)
    return offer


# --- groups --------------------------------------------------------------------------


@login_required
def group_list(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    query = request.GET.get("q", "").strip()
    groups = request.org.group_offers.select_related("venue").order_by("title", "pk")
    if query:
        groups = groups.filter(
            Q(title__icontains=query)
            | Q(calendar_title__icontains=query)
            | Q(venue__town__icontains=query)
        )
    if request.GET.get("ended") != "1":
        groups = groups.exclude(last_date__lt=clock.today())
    page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page"))
    ended = request.GET.get("ended") == "1"
    pager = urlencode({k: v for k, v in {"q": query, "ended": "1" if ended else ""}.items() if v})
    context = {"page": page, "query": query, "ended": ended, "pager_query": pager, "nav": "groups"}
    return render(request, "frontend/groups/list.html", context)


def _group_form_page(
    request: TenantHttpRequest, form: GroupForm, status: int = 200
) -> HttpResponse:
    context = {"form": form, "group": form.instance if form.instance.pk else None, "nav": "groups"}
    return render(request, "frontend/groups/form.html", context, status=status)


@login_required
def group_new(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    if request.method != "POST":
        initial = {"first_date": clock.today(), "interval": 1, "duration_minutes": 90}
        return _group_form_page(request, GroupForm(request=request, initial=initial))
    form = GroupForm(request.POST, request=request)
    offer = save_group(request, form) if form.is_valid() else None
    if offer is None:
        return _group_form_page(request, form, status=400)
    messages.success(request, _("Die Gruppe „%(title)s“ wurde angelegt.") % {"title": offer.title})
    return redirect("group", pk=offer.pk)


@login_required
def group_edit(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    offer = get_object_or_404(request.org.group_offers.all(), pk=pk)
    if request.method != "POST":
        return _group_form_page(request, GroupForm(instance=offer, request=request))
    form = GroupForm(request.POST, instance=offer, request=request)
    saved = save_group(request, form) if form.is_valid() else None
    if saved is None:
        return _group_form_page(request, form, status=400)
    messages.success(request, _("Die Änderungen wurden gespeichert."))
    return redirect("group", pk=offer.pk)


def coming_sessions(offer: GroupOffer) -> list[Session]:
    today = clock.today()
    until = today + dt.timedelta(weeks=SESSION_WEEKS_SHOWN)
    sessions = offer.sessions.filter(starts_at__gte=clock.at(today), starts_at__lt=clock.at(until))
    return list(sessions.select_related("venue").order_by("starts_at"))


@login_required
def group_detail(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    offer = get_object_or_404(
        request.org.group_offers.select_related("venue", "paired_offer"), pk=pk
    )
    context = {
        "group": offer,
        "sessions": coming_sessions(offer),
        "weeks": SESSION_WEEKS_SHOWN,
        "sector_labels": [Sector(s).label for s in offer.sectors if s in Sector.values],
        "nav": "groups",
    }
    return render(request, "frontend/groups/detail.html", context)


# --- sessions: cancel, move, reinstate -----------------------------------------------


def _session_for(request: TenantHttpRequest, pk: int) -> Session:
    sessions = Session.objects.for_org(request.org).select_related("offer", "venue")
    return get_object_or_404(sessions, pk=pk)


def _when(session: Session) -> str:
    return clock.local(session.starts_at).strftime("%d.%m.%Y %H:%M")


@login_required
@require_POST
def session_cancel(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    session = _session_for(request, pk)
    params = CancelSerializer(data={"reason": request.POST.get("reason", "").strip()})
    if session.is_cancelled:
        messages.error(request, _("Der Termin ist bereits abgesagt."))
    elif not params.is_valid():
        messages.error(
            request, _("Bitte einen Grund für die Absage angeben (höchstens 200 Zeichen).")
        )
    else:
        session.cancel(params.validated_data["reason"])
        messages.success(
            request, _("Der Termin am %(when)s ist abgesagt.") % {"when": _when(session)}
        )
    return redirect("group", pk=session.offer_id)


@login_required
@require_POST
def session_reinstate(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    session = _session_for(request, pk)
    if not session.is_cancelled:
        messages.error(request, _("Der Termin ist nicht abgesagt."))
    else:
        session.reinstate()
        messages.success(
            request, _("Der Termin am %(when)s findet wieder statt.") % {"when": _when(session)}
        )
    return redirect("group", pk=session.offer_id)


class MoveForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Datum"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    start = forms.TimeField(label=gettext_lazy("Beginn"), widget=TIME_INPUT)
    end = forms.TimeField(label=gettext_lazy("Ende"), widget=TIME_INPUT)
    venue: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Ort"), queryset=Venue.objects.none()
    )

    def __init__(self, *args: Any, request: TenantHttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = request.org.venues.all()  # type: ignore[attr-defined]


@login_required
def session_move(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    session = _session_for(request, pk)
    if request.method != "POST":
        starts, ends = clock.local(session.starts_at), clock.local(session.ends_at)
        initial = {
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "venue": session.venue,
        }
        form = MoveForm(initial=initial, request=request)
    else:
        form = MoveForm(request.POST, request=request)
        if form.is_valid() and _move(request, session, form):
            messages.success(
                request, _("Der Termin wurde auf %(when)s verschoben.") % {"when": _when(session)}
            )
            return redirect("group", pk=session.offer_id)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "session": session, "nav": "groups"}
    return render(request, "frontend/groups/move.html", context, status=status)


def _move(request: TenantHttpRequest, session: Session, form: MoveForm) -> bool:
    """The API's MoveSerializer checks the times and the venue; the model moves."""
    data = form.cleaned_data
    params = MoveSerializer(
        data={
            "starts_at": clock.at(data["day"], data["start"]),
            "ends_at": clock.at(data["day"], data["end"]),
            "venue": data["venue"].pk,
        },
        context={"request": request},
    )
    if not params.is_valid():
        add_errors(form, params.errors, {"starts_at": "start", "ends_at": "end"})
        return False
    moved = params.validated_data
    session.move(moved["starts_at"], moved["ends_at"], moved["venue"])
    return True


urlpatterns = [
    path("", group_list, name="groups"),
    path("neu/", group_new, name="group-new"),
    path("<int:pk>/", group_detail, name="group"),
    path("<int:pk>/bearbeiten/", group_edit, name="group-edit"),
    path("termine/<int:pk>/absagen/", session_cancel, name="session-cancel"),
    path("termine/<int:pk>/verschieben/", session_move, name="session-move"),
    path("termine/<int:pk>/wieder-ansetzen/", session_reinstate, name="session-reinstate"),
]
