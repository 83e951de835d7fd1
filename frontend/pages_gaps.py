"""The coordination office's district pages from the gaps app, under /bezirk/:

- `/bezirk/luecken/`: where offers are missing: a threshold (minutes by car), an age band
  and an audience (GET form); a map of the municipalities coloured by the travel time to
  the nearest fitting offer and a sortable table of those beyond the threshold;
- `/bezirk/luecken/einwohner/` (POST): the population CSV import (coordinators);
- `/bezirk/hilfen/`: how many families are supported across how many sectors (anonymous).

Only members of a coordination office see these pages; a provider's login gets 403.
Nothing here is personal: municipalities and public offers, figures as "< 5".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from backend.gaps import bundles
from backend.gaps.analysis import Reach
from backend.gaps.models import AGE_BANDS, Municipality
from backend.gaps.population import PopulationImportError, import_population
from backend.gaps.sources import DistrictGaps, audience_for, band_for, district_gaps
from backend.lib import clock
from backend.offers.models import Audience
from backend.organisations.access import (
    TenantHttpRequest,
    require_office,
)
from backend.organisations.models import Role
from frontend import maps
from frontend.responses import no_store

MAX_UPLOAD_BYTES = 200_000
SORTS = ("zeit", "-zeit", "name", "-name", "kinder", "-kinder")
COLOURS = {"near": "#228833", "beyond": "#ee6677", "far": "#aa3377", "none": "#222222"}


class GapForm(forms.Form):
    minuten = forms.IntegerField(
        label=gettext_lazy("Fahrzeit höchstens (Minuten)"),
        min_value=5,
        max_value=180,
        initial=30,
        required=False,
    )
    alter = forms.ChoiceField(
        label=gettext_lazy("Alter"),
        choices=[(key, f"{a}–{b}") for key, a, b in AGE_BANDS],
        initial="6-9",
        required=False,
    )
    fuer = forms.ChoiceField(
        label=gettext_lazy("Angebot für"),
        choices=Audience.choices,
        initial=Audience.CHILDREN,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def choice(self) -> tuple[int, str, str]:
        """The threshold, band and audience asked for, or the defaults where invalid."""
        self.is_valid()  # each valid field counts; an invalid one keeps its default
        data = getattr(self, "cleaned_data", {})
        return (
            data.get("minuten") or 30,
            data.get("alter") or "6-9",
            data.get("fuer") or Audience.CHILDREN,
        )


class PopulationUploadForm(forms.Form):
    datei = forms.FileField(label=gettext_lazy("CSV-Datei mit Einwohnerzahlen"))


def _tint(reach: Reach, threshold: int) -> str:
    if reach.seconds is None:
        return COLOURS["none"]
    if not reach.beyond(threshold):
        return COLOURS["near"]
    return COLOURS["far"] if reach.beyond(threshold * 3 // 2) else COLOURS["beyond"]


def gap_map(gaps: DistrictGaps, threshold: int) -> maps.MapData:
    markers = [
        maps.Marker(
            r.place.lat,
            r.place.lon,
            f"{r.place.name}: "
            + (
                _("%(m)d Min.") % {"m": r.minutes}
                if r.minutes is not None
                else _("kein passendes Angebot")
            ),
            "place",
            "–" if r.minutes is None else str(r.minutes),
            _tint(r, threshold),
        )
        for r in gaps.analysis.reaches
    ]
    venues: dict[tuple[float, float], list[str]] = {}
    for offer in gaps.fitting():
        venues.setdefault((offer.lat, offer.lon), []).append(offer.label)
    markers += [
        maps.Marker(lat, lon, "; ".join(labels), "venue", "★")
        for (lat, lon), labels in venues.items()
    ]
    return maps.MapData(markers=markers, label=_("Karte der Gemeinden nach Fahrzeit"))


def source_label(source: str) -> str:
    """Which travel times the page shows, in words."""
    if source == "osrm":
        return _("über das Straßennetz (OSRM)")
    if source.startswith("geodesic (OSRM failed"):
        return _("Luftlinie × Umwegfaktor (der Routenserver hat nicht geantwortet)")
    return _("Luftlinie × Umwegfaktor")


def _rows(gaps: DistrictGaps, threshold: int, band: str, sort: str) -> list[dict[str, Any]]:
    rows = []
    for reach in gaps.analysis.beyond(threshold):
        municipality: Municipality = gaps.municipalities[int(reach.place.key)]
        rows.append(
            {
                "reach": reach,
                "municipality": municipality,
                "children": municipality.children_in(band),
            }
        )
    key = sort.lstrip("-")
    far = 10**9  # no fitting offer sorts as the farthest
    order = {
        "zeit": lambda r: r["reach"].seconds if r["reach"].seconds is not None else far,
        "name": lambda r: r["municipality"].name.casefold(),
        "kinder": lambda r: r["children"] if r["children"] is not None else -1,
    }[key]
    # Time and children read best largest first; a second click turns the order round.
    descending = sort.startswith("-") == (key == "name")
    return sorted(rows, key=order, reverse=descending)


def _gaps_context(request: TenantHttpRequest, **extra: Any) -> dict[str, Any]:
    form = GapForm(request.GET or None)
    threshold, band, audience = form.choice()
    sort = request.GET.get("sort", "zeit")
    sort = sort if sort in SORTS else "zeit"
    gaps = district_gaps(request.org, band_for(band), audience_for(audience), clock.today())
    rows = _rows(gaps, threshold, band, sort)
    known = [r["children"] for r in rows if r["children"] is not None]
    query = request.GET.copy()
    query.pop("sort", None)
    return {
        "form": form,
        "threshold": threshold,
        "band_label": band.replace("-", "–"),
        "audience_label": Audience(audience).label,
        "source_label": source_label(gaps.source),
        "offer_count": len(gaps.offers),
        "gaps": gaps,
        "rows": rows,
        "children_beyond": sum(known) if known else None,
        "map": gap_map(gaps, threshold).as_json(),
        "sort": sort,
        "query": query.urlencode(),
        "upload_form": extra.pop("upload_form", None) or PopulationUploadForm(),
        "can_upload": request.role == Role.COORDINATOR,
        **extra,
    }


@login_required
@require_safe
def gap_view(request: TenantHttpRequest) -> HttpResponse:
    require_office(request)
    context = _gaps_context(request)
    return no_store(render(request, "frontend/gaps/gaps.html", context))


@login_required
@require_POST
def population_upload(request: TenantHttpRequest) -> HttpResponse:
    require_office(request, frozenset({Role.COORDINATOR}))
    form = PopulationUploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["datei"]
        if upload.size > MAX_UPLOAD_BYTES:
            errors = [_("Die Datei ist zu groß (höchstens 200 KB).")]
        else:
            try:
                summary = import_population(request.org, upload.read())
            except PopulationImportError as exc:
                errors = exc.errors
            else:
                messages.success(
                    request, _("Einwohnerzahlen übernommen: %(s)s") % {"s": summary.line()}
                )
                return redirect("gaps")
    context = _gaps_context(request, upload_form=form, upload_errors=errors)
    return no_store(render(request, "frontend/gaps/gaps.html", context, status=400))


@login_required
@require_safe
def bundle_counts(request: TenantHttpRequest) -> HttpResponse:
    require_office(request)
    context = {"counts": bundles.families_by_sectors()}
    return no_store(render(request, "frontend/gaps/bundles.html", context))


urlpatterns = [
    path("luecken/", gap_view, name="gaps"),
    path("luecken/einwohner/", population_upload, name="gaps-population"),
    path("hilfen/", bundle_counts, name="gaps-bundles"),
]
