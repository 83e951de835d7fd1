"""What the public sees of one offer: one view-model for the guide's pages and the brochure.

Only what a provider publishes: the offer, its venue's town (the street where the
provider allows it), its schedule, the next dates, and the organisation's public
contact. Nothing of families, children, drivers or staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from backend.guide.search import WEEKDAY_NAMES, Hit
from backend.lib import clock
from backend.lib.schedule import parse_weekly_rrule
from backend.offers.models import Audience, GroupOffer, Sector, Session

NEXT_DATES = 6


@dataclass(frozen=True)
class Date:
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool
    moved_elsewhere: str  # the other venue's town when the session was moved there


@dataclass(frozen=True)
class Card:
    id: int
    title: str
    description: str
    easy_language: str
    audience: str
    ages: str
    town: str
    street: str  # empty unless the provider allows it
    postcode: str
    venue_name: str
    accessibility: str
    when: str
    free: bool
    registration_required: bool
    join_anytime: bool
    shuttle_offered: bool
    sectors: list[str]
    provider: str
    contact_name: str
    phone: str
    email: str
    website: str
    distance_km: float | None
    latitude: float | None
    longitude: float | None

    @property
    def path(self) -> str:
        return reverse("guide-offer", kwargs={"offer_id": self.id})

    @property
    def url(self) -> str:
        return settings.SITE_URL + self.path

    @property
    def feed_path(self) -> str:
        return reverse("feeds:group-feed", kwargs={"offer_id": self.id})


def ages(offer: GroupOffer) -> str:
    return age_range(offer.min_age, offer.max_age)


def age_range(low: int | None, high: int | None) -> str:
    """ "6 bis 12 Jahre", "ab 6 Jahren", "jedes Alter": for offers of any kind."""
    if low is not None and high is not None:
        return _("%(low)s bis %(high)s Jahre") % {"low": low, "high": high}
    if low is not None:
        return _("ab %(low)s Jahren") % {"low": low}
    if high is not None:
        return _("bis %(high)s Jahre") % {"high": high}
    return _("jedes Alter")


def when(offer: GroupOffer) -> str:
    weekday, interval = parse_weekly_rrule(offer.rrule)
    start = clock.at(clock.today(), offer.start_time)
    end = start + dt.timedelta(minutes=offer.duration_minutes)
    times = _("%(start)s–%(end)s Uhr") % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    if get_language_bidi():
        times = f"\u2066{times}\u2069"  # left-to-right isolate: 15:00–16:30 stays in order
    day = WEEKDAY_NAMES[weekday]
    if interval == 1:
        return _("jeden %(day)s, %(times)s") % {"day": day, "times": times}
    return _("alle %(n)s Wochen am %(day)s, %(times)s") % {
        "n": interval,
        "day": day,
        "times": times,
    }


def card(hit: Hit) -> Card:
    offer = hit.offer
    venue, org = offer.venue, offer.organisation
    return Card(
        id=offer.pk,
        title=offer.display_calendar_title,
        description=offer.public_description,
        easy_language=offer.easy_language,
        audience=str(Audience(offer.audience).label),
        ages=ages(offer),
        town=venue.town,
        street=venue.street if offer.show_address else "",
        postcode=venue.postcode if offer.show_address else "",
        venue_name=venue.name if offer.show_address else "",
        accessibility=venue.accessibility_notes,
        when=when(offer),
        free=offer.free_of_charge,
        registration_required=offer.registration_required,
        join_anytime=offer.join_anytime,
        shuttle_offered=offer.shuttle_offered,
        sectors=[str(Sector(s).label) for s in offer.sectors if s in Sector.values],
        provider=org.name,
        contact_name=org.contact_name,
        phone=org.contact_phone,
        email=org.contact_email,
        website=org.website,
        distance_km=hit.distance_km,
        # Without the provider's leave, the map shows the place only roughly (about 1 km).
        latitude=_coordinate(venue.latitude, offer.show_address),
        longitude=_coordinate(venue.longitude, offer.show_address),
    )


def _coordinate(value: float | None, exact: bool) -> float | None:
    if value is None or exact:
        return value
    return round(value, 2)


def next_dates(offer: GroupOffer, count: int = NEXT_DATES) -> list[Date]:
    """The next sessions from now, cancelled ones included (without the reason: staff
    may have written something personal there)."""
    sessions = (
        Session.objects.filter(offer=offer, ends_at__gte=clock.now())
        .select_related("venue")
        .order_by("starts_at")[:count]
    )
    return [
        Date(
            s.starts_at,
            s.ends_at,
            s.is_cancelled,
            s.venue.town if s.venue_id != offer.venue_id else "",
        )
        for s in sessions
    ]


def day_label(moment: dt.datetime) -> str:
    return date_format(clock.local(moment), "l, j. F Y")
