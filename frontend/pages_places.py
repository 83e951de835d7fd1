"""Venues and closure periods, under /gruppen/orte/ and /gruppen/schliesszeiten/.

Coordinators and staff manage venues; closures are saved by coordinators and read by
staff, as in the API. A closure's effect ("7 Termine fallen aus") is shown before it is
saved: the first submit checks and previews, the second saves. Writes go through the
API's serializers (`frontend.writes`).
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.lib import clock
from backend.offers.api import ClosureSerializer, VenueSerializer
from backend.offers.models import ClosurePeriod, Venue
from backend.offers.services import sessions_closed_by, sessions_reopened_by
from backend.organisations.access import COORDINATOR_ONLY, STAFF_ROLES, TenantHttpRequest
from frontend import maps
from frontend.inputs import DATE_FORMATS, DATE_INPUT
from frontend.pages_groups import PER_PAGE
from frontend.pages_provider import _require_role
from frontend.writes import payload, save_form, save_through, validate_through

# --- venues --------------------------------------------------------------------------


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "name",
            "street",
            "postcode",
            "town",
            "latitude",
            "longitude",
            "accessibility_notes",
        ]
        widgets = {"accessibility_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Let the API decide whether coordinates are needed (an address may be geocoded).
        for name in ("latitude", "longitude"):
            self.fields[name].required = False
            self.fields[name].widget.attrs["step"] = "any"

    def _post_clean(self) -> None:
        """The API serializer checks the model's rules (see `save_through`)."""


def venue_map(venue: Venue) -> dict[str, Any] | None:
    if not venue.has_coordinates:
        return None
    assert venue.latitude is not None and venue.longitude is not None
    marker = maps.Marker(venue.latitude, venue.longitude, label=venue.name, kind="venue", text="")
    return maps.MapData(
        markers=[marker], label=_("Lage von %(name)s") % {"name": venue.name}
    ).as_json()


@login_required
def venue_list(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    query = request.GET.get("q", "").strip()
    venues = request.org.venues.order_by("name", "pk")
    if query:
        venues = venues.filter(Q(name__icontains=query) | Q(town__icontains=query))
    page = Paginator(venues, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "pager_query": urlencode({"q": query}) if query else "",
        "nav": "venues",
    }
    return render(request, "frontend/groups/venues.html", context)


def _venue_page(request: TenantHttpRequest, form: VenueForm, status: int = 200) -> HttpResponse:
    venue = form.instance if form.instance.pk else None
    context = {"form": form, "venue": venue, "nav": "venues"}
    if venue is not None:
        context["map"] = venue_map(Venue.objects.get(pk=venue.pk))  # as saved, not as typed
    return render(request, "frontend/groups/venue_form.html", context, status=status)


@login_required
def venue_edit(request: TenantHttpRequest, pk: int | None = None) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    venue = get_object_or_404(request.org.venues.all(), pk=pk) if pk else None
    form = VenueForm(request.POST or None, instance=venue)
    if request.method != "POST":
        return _venue_page(request, form)
    saved = save_form(VenueSerializer, request, form, instance=venue)
    if saved is None:
        return _venue_page(request, form, status=400)
    messages.success(request, _("Der Ort „%(name)s“ wurde gespeichert.") % {"name": saved.name})
    return redirect("venue", pk=saved.pk)


# --- closures ------------------------------------------------------------------------


class ClosureForm(forms.ModelForm):
    class Meta:
        model = ClosurePeriod
        fields = ["name", "start_date", "end_date"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = DATE_FORMATS  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        """The API serializer checks the model's rules."""


def _closures_page(
    request: TenantHttpRequest, form: ClosureForm, preview: Any = None, status: int = 200
) -> HttpResponse:
    today = clock.today()
    closures = request.org.closures.all()
    context = {
        "form": form,
        "preview": preview,
        "coming": closures.filter(end_date__gte=today),
        "past": closures.filter(end_date__lt=today).order_by("-start_date")[:10],
        "can_edit": request.role in COORDINATOR_ONLY,
        "nav": "closures",
    }
    return render(request, "frontend/groups/closures.html", context, status=status)


@login_required
def closures(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    if request.method != "POST":
        return _closures_page(request, ClosureForm())
    _require_role(request, COORDINATOR_ONLY)
    form = ClosureForm(request.POST)
    if not form.is_valid():
        return _closures_page(request, form, status=400)
    data = payload(form)
    if "confirm" not in request.POST:
        if validate_through(ClosureSerializer, request, form, data) is None:
            return _closures_page(request, form, status=400)
        return _closures_page(request, form, preview=_effect(request, data))
    cancelled = sessions_closed_by(request.org.pk, data["start_date"], data["end_date"]).count()
    closure = save_through(
        ClosureSerializer, request, form, data, inject={"organisation": request.org}
    )
    if closure is None:
        return _closures_page(request, form, status=400)
    messages.success(
        request,
        ngettext(
            "Die Schließzeit „%(name)s“ ist gespeichert; %(n)s Termin wurde abgesagt.",
            "Die Schließzeit „%(name)s“ ist gespeichert; %(n)s Termine wurden abgesagt.",
            cancelled,
        )
        % {"name": closure.name, "n": cancelled},
    )
    return redirect("closures")


@login_required
@require_POST
def closure_remove(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    closure = get_object_or_404(request.org.closures.all(), pk=pk)
    reopened = len(sessions_reopened_by(closure))
    with transaction.atomic():
        closure.delete()  # the sessions it cancelled are reinstated (offers.receivers)
    messages.success(
        request,
        ngettext(
            "Die Schließzeit „%(name)s“ ist entfernt; %(n)s Termin findet wieder statt.",
            "Die Schließzeit „%(name)s“ ist entfernt; %(n)s Termine finden wieder statt.",
            reopened,
        )
        % {"name": closure.name, "n": reopened},
    )
    return redirect("closures")


def _effect(request: TenantHttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    sessions = sessions_closed_by(request.org.pk, data["start_date"], data["end_date"])
    listed = list(sessions.select_related("offer").order_by("starts_at"))
    return {"sessions": listed, "count": len(listed)}


urlpatterns = [
    path("orte/", venue_list, name="venues"),
    path("orte/neu/", venue_edit, name="venue-new"),
    path("orte/<int:pk>/", venue_edit, name="venue"),
    path("schliesszeiten/", closures, name="closures"),
    path("schliesszeiten/<int:pk>/entfernen/", closure_remove, name="closure-remove"),
]
