"""Finding listed offers: one search for the JSON API, the guide's pages and the brochure.

`SearchForm` reads the query (the same parameter names everywhere), `Criteria` is what
it means, and `find_offers` answers with the offers and how far each one is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from geopy.distance import geodesic

from backend.geo.geocoding import GeocodingError
from backend.geo.places import Place, locate_place
from backend.offers.models import Audience, GroupOffer, GroupOfferQuerySet, Sector

DEFAULT_RADIUS_KM = 20
MAX_RADIUS_KM = 200
YES_NO = [("", _("egal")), ("yes", _("ja")), ("no", _("nein"))]
WEEKDAY_NAMES = [
    _("Montag"),
    _("Dienstag"),
    _("Mittwoch"),
    _("Donnerstag"),
    _("Freitag"),
    _("Samstag"),
    _("Sonntag"),
]
WEEKDAYS = [("", _("jeder Tag"))] + [(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)]


@dataclass(frozen=True)
class Criteria:
    """What a person looks for. None (or empty) means "any"."""

    age: int | None = None
    place: Place | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    weekday: int | None = None
    sector: str = ""
    audience: str = ""
    registration_required: bool | None = None
    shuttle_offered: bool | None = None
    town: str = ""
    provider: str = ""  # an organisation's slug


@dataclass(frozen=True)
class Hit:
    offer: GroupOffer
    distance_km: float | None  # from the searched place; None without one


def listed_offers() -> GroupOfferQuerySet:
    """Every offer the public may see, with what the guide shows of it."""
    return (
        GroupOffer.objects.public()
        .select_related("venue", "organisation")
        .order_by("venue__town", "title", "pk")
    )


def find_offers(criteria: Criteria, offers: GroupOfferQuerySet | None = None) -> list[Hit]:
    """The listed offers that fit, nearest first when a place is given."""
    query = _narrow(offers if offers is not None else listed_offers(), criteria)
    hits = []
    for offer in query:
        if criteria.weekday is not None and offer.weekday != criteria.weekday:
            continue  # the weekday lives in the RRULE
        distance = _distance(offer, criteria.place)
        if distance is not None and distance > criteria.radius_km:
            continue
        hits.append(Hit(offer, distance))
    if criteria.place is not None:
        hits.sort(key=lambda hit: hit.distance_km or 0.0)
    return hits


def _narrow(query: GroupOfferQuerySet, c: Criteria) -> GroupOfferQuerySet:
    if c.age is not None:
        # An age is asked for a child: groups for children or families whose range holds it.
        query = query.exclude(audience=Audience.PARENTS)
        query = query.exclude(min_age__gt=c.age).exclude(max_age__lt=c.age)
    if c.sector:
        # JSON list membership that works on SQLite and PostgreSQL alike.
        query = query.filter(sectors__icontains=f'"{c.sector}"')
    if c.audience:
        query = query.filter(audience=c.audience)
    if c.registration_required is not None:
        query = query.filter(registration_required=c.registration_required)
    if c.shuttle_offered is not None:
        query = query.filter(shuttle_offered=c.shuttle_offered)
    if c.town:
        query = query.filter(venue__town__iexact=c.town)
    if c.provider:
        query = query.filter(organisation__slug=c.provider)
    return query


def _distance(offer: GroupOffer, place: Place | None) -> float | None:
    venue = offer.venue
    if place is None or venue.latitude is None or venue.longitude is None:
        return None
    metres = geodesic((place.latitude, place.longitude), (venue.latitude, venue.longitude)).m
    return round(metres / 1000, 1)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SearchForm(forms.Form):
    """The guide's search; the API takes the same parameters (`?age=7&place=54634`)."""

    age = forms.IntegerField(label=_("Alter des Kindes"), min_value=0, max_value=99, required=False)
    place = forms.CharField(label=_("PLZ oder Ort"), max_length=80, required=False)
    radius_km = forms.IntegerField(
        label=_("Umkreis (km)"), min_value=1, max_value=MAX_RADIUS_KM, required=False
    )
    weekday = forms.TypedChoiceField(
        label=_("Wochentag"), choices=WEEKDAYS, coerce=int, empty_value=None, required=False
    )
    sector = forms.ChoiceField(
        label=_("Bereich"), choices=[("", _("alle Bereiche")), *Sector.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("Für wen"), choices=[("", _("alle")), *Audience.choices], required=False
    )
    registration_required = forms.ChoiceField(
        label=_("Anmeldung nötig"),
        choices=YES_NO,
        required=False,
    )
    shuttle_offered = forms.ChoiceField(
        label=_("Fahrdienst"),
        choices=YES_NO,
        required=False,
    )
    town = forms.CharField(label=_("Ort der Gruppe"), max_length=80, required=False)
    provider = forms.SlugField(label=_("Träger"), max_length=80, required=False)

    def clean_place(self) -> Place | None:
        text = self.cleaned_data["place"]
        if not text.strip():
            return None
        try:
            return locate_place(text)
        except GeocodingError as exc:
            raise forms.ValidationError(str(exc)) from None

    def criteria(self) -> Criteria:
        """Call after is_valid()."""
        data = self.cleaned_data
        return Criteria(
            age=data["age"],
            place=data["place"],
            radius_km=data["radius_km"] or DEFAULT_RADIUS_KM,
            weekday=data["weekday"],
            sector=data["sector"],
            audience=data["audience"],
            registration_required=_yes_no(data["registration_required"]),
            shuttle_offered=_yes_no(data["shuttle_offered"]),
            town=data["town"].strip(),
            provider=data["provider"],
        )
