"""The coordination office's pages, under /bezirk/.

- `/bezirk/`: the district's offers (the office's register and the providers' listed
  offers) and network partners, grouped by sector or municipality, on a map, with CSV
  and XLSX export;
- `/bezirk/angebote/…`, `/bezirk/partner/…`: adding, changing and removing register
  entries;
- `/bezirk/zugangswege/`: anonymous counts of new families per referral path and quarter.

Only members (coordinator or staff) of a coordination office get in; everyone else gets
403, and another office's entry answers 404. Nothing here reads a family, child, driver
or route: offers come from `backend.district.sharing`, figures from
`backend.district.referrals`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backend.district import export, referrals
from backend.district.models import Partner, RegisterOffer
from backend.district.overview import Overview, overview
from backend.lib import clock
from backend.organisations.access import (
    TenantHttpRequest,
    require_office,
)
from backend.organisations.models import Organisation
from frontend import maps
from frontend.district_forms import OverviewFilter, PartnerForm, RegisterOfferForm

OFFER_COLOUR = maps.PALETTE[0]
LOTSE_COLOUR = maps.PALETTE[2]
PARTNER_COLOUR = maps.PALETTE[5]
MIXED_COLOUR = maps.PALETTE[6]


# --- the overview ----------------------------------------------------------------------


def _filtered(request: TenantHttpRequest, office: Organisation) -> tuple[OverviewFilter, Overview]:
    everything = overview(office)
    form = OverviewFilter(request.GET or None, towns=everything.towns)
    return form, everything.narrowed(sector=form.value("bereich"), town=form.value("ort"))


def district_map(found: Overview) -> maps.MapData:
    """One marker per place: "A" an offer, "P" a partner, a number for several there."""
    places: dict[tuple[float, float], list[tuple[str, str]]] = {}
    for o in found.offers:
        if o.latitude is not None and o.longitude is not None:
            kind = "register" if o.from_register else "lotse"
            places.setdefault((o.latitude, o.longitude), []).append((kind, f"{o.name} ({o.town})"))
    for p in found.partners:
        if p.latitude is not None and p.longitude is not None:
            places.setdefault((p.latitude, p.longitude), []).append(
                ("partner", f"{p.name} – {p.kind} ({p.town})")
            )
    markers = [_marker(lat, lon, entries) for (lat, lon), entries in places.items()]
    return maps.MapData(markers=markers, label=_("Karte der Angebote und Partner im Bezirk"))


def _marker(lat: float, lon: float, entries: list[tuple[str, str]]) -> maps.Marker:
    kinds = {kind for kind, _label in entries}
    colours = {"register": OFFER_COLOUR, "lotse": LOTSE_COLOUR, "partner": PARTNER_COLOUR}
    colour = colours[next(iter(kinds))] if len(kinds) == 1 else MIXED_COLOUR
    single = "P" if "partner" in kinds else "A"
    text = str(len(entries)) if len(entries) > 1 else single
    label = "; ".join(label for _kind, label in entries)
    return maps.Marker(lat, lon, label, "place", text, colour)


@login_required
@require_safe
def district(request: TenantHttpRequest) -> HttpResponse:
    office = require_office(request)
    form, found = _filtered(request, office)
    grouping = form.value("nach") or "bereich"
    query = urlencode({k: form.value(k) for k in ("bereich", "ort") if form.value(k)})
    context = {
        "form": form,
        "overview": found,
        "groups": found.by_town() if grouping == "ort" else found.by_sector(),
        "grouping": grouping,
        "map": district_map(found).as_json(),
        "export_query": f"?{query}" if query else "",
        "colours": {"register": OFFER_COLOUR, "lotse": LOTSE_COLOUR, "partner": PARTNER_COLOUR},
    }
    return render(request, "frontend/district/overview.html", context)


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", export.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.as_xlsx,
    ),
}


@login_required
@require_safe
def district_export(request: TenantHttpRequest, fmt: str) -> HttpResponse:
    office = require_office(request)
    if fmt not in EXPORTS:
        raise Http404
    _form, found = _filtered(request, office)
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(found), content_type=content_type)
    name = f"bestandsaufnahme-{clock.today():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- register entries ------------------------------------------------------------------


def _entry_page(
    request: TenantHttpRequest, form: Any, what: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "entry": form.instance if form.instance.pk else None, "what": what}
    return render(request, "frontend/district/entry_form.html", context, status=status)


def _edit(
    request: TenantHttpRequest,
    model: type[RegisterOffer] | type[Partner],
    form_class: type[RegisterOfferForm] | type[PartnerForm],
    what: str,
    pk: int | None,
) -> HttpResponse:
    office = require_office(request)
    entry = get_object_or_404(model.objects.for_org(office), pk=pk) if pk else None
    form = form_class(request.POST or None, office=office, instance=entry)
    if request.method != "POST":
        return _entry_page(request, form, what)
    if not form.is_valid():
        return _entry_page(request, form, what, status=400)
    with transaction.atomic():  # the entry and its links, or nothing
        saved = form.save()
    messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": saved.name})
    return redirect("district")


def _delete(
    request: TenantHttpRequest, model: type[RegisterOffer] | type[Partner], pk: int
) -> HttpResponse:
    office = require_office(request)
    entry = get_object_or_404(model.objects.for_org(office), pk=pk)
    with transaction.atomic():
        entry.delete()
    messages.success(request, _("„%(name)s“ ist entfernt.") % {"name": entry})
    return redirect("district")


@login_required
def offer_edit(request: TenantHttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, RegisterOffer, RegisterOfferForm, "offer", pk)


@login_required
@require_POST
def offer_delete(request: TenantHttpRequest, pk: int) -> HttpResponse:
    return _delete(request, RegisterOffer, pk)


@login_required
def partner_edit(request: TenantHttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, Partner, PartnerForm, "partner", pk)


@login_required
@require_POST
def partner_delete(request: TenantHttpRequest, pk: int) -> HttpResponse:
    return _delete(request, Partner, pk)


# --- referral paths --------------------------------------------------------------------


@login_required
@require_safe
def referral_paths(request: TenantHttpRequest) -> HttpResponse:
    require_office(request)
    context = {"table": referrals.referral_table()}
    return render(request, "frontend/district/referrals.html", context)


urlpatterns = [
    path("", district, name="district"),
    path("bestand.<str:fmt>", district_export, name="district-export"),
    path("angebote/neu/", offer_edit, name="district-offer-new"),
    path("angebote/<int:pk>/", offer_edit, name="district-offer"),
    path("angebote/<int:pk>/entfernen/", offer_delete, name="district-offer-delete"),
    path("partner/neu/", partner_edit, name="district-partner-new"),
    path("partner/<int:pk>/", partner_edit, name="district-partner"),
    path("partner/<int:pk>/entfernen/", partner_delete, name="district-partner-delete"),
    path("zugangswege/", referral_paths, name="district-referrals"),
]
