"""A small hand-made history with known answers (October 2026, provider A).

Children of A: Mila (base world, born 05/2018, Wolsfeld, since 01.09.2026, shuttle),
Ben (born 01/2020, Bitburg, joined 10.10.2026), his sister Lea (born 03/2012, Bitburg,
01.01.–15.10.2026) and Tom (other family in Bitburg, left 15.09.2026: not in October).
Sessions: 06., 13., 27.10. held, 20.10. cancelled ("Herbstferien"); counted on 06.10.
(5 children, 2 adults; Mila ticked) and 13.10. (3 children; Mila and Ben ticked).
Transport: 06.10. 4 rides, 2 children, 20 km, 1 h, 6 € + 20 €; 13.10. 2 rides, 1 child,
10 km, 0,5 h, 3 € + 10 €, one child unserved (no driver, two requests). Fixed: 31 € a month.
"""

import datetime as dt
from decimal import Decimal

from backend.families.models import Enrolment, Family, Participant, Presence
from backend.lib import clock
from backend.offers.models import Attendance, Session
from backend.reports.models import TransportDay

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _session(offer, day: dt.date, status="scheduled", reason="") -> Session:
    start = clock.at(day, dt.time(15, 0))
    return Session.objects.create(
        offer=offer,
        occurrence_date=day,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1, minutes=30),
        venue=offer.venue,
        status=status,
        cancel_reason=reason,
    )


def _family(org, ref: str, town: str, postcode: str) -> Family:
    return Family.objects.create(
        organisation=org,
        reference=ref,
        contact_name=f"Kontakt {ref}",
        street="Hauptstraße 9",
        postcode=postcode,
        town=town,
        latitude=49.97,
        longitude=6.52,
    )


def _child(family, offer, name, born, joined, left=None, transport="none") -> Participant:
    child = Participant.objects.create(
        family=family, first_name=name, birth_year=born[0], birth_month=born[1]
    )
    Enrolment.objects.create(
        participant=child, offer=offer, joined_on=joined, left_on=left, transport=transport
    )
    return child


def build(world) -> dict:
    a = world["a"]
    org, offer, mila = a["org"], a["offer"], a["child"]
    offer.first_date = dt.date(2026, 1, 6)
    offer.save(update_fields=["first_date"])
    siblings = _family(org, "F-A-2", "Bitburg", "54634")
    other = _family(org, "F-A-3", "Bitburg", "54634")
    ben = _child(siblings, offer, "Ben", (2020, 1), dt.date(2026, 10, 10))
    _child(siblings, offer, "Lea", (2012, 3), dt.date(2026, 1, 1), dt.date(2026, 10, 15))
    _child(other, offer, "Tom", (2015, 6), dt.date(2025, 1, 1), dt.date(2026, 9, 15))
    first, second = _session(offer, dt.date(2026, 10, 6)), _session(offer, dt.date(2026, 10, 13))
    _session(offer, dt.date(2026, 10, 20), "cancelled", "Herbstferien")
    _session(offer, dt.date(2026, 10, 27))
    Attendance.objects.create(session=first, children=5, adults=2, walk_ins=6)
    Presence.objects.create(participant=mila, session=first)
    Attendance.objects.create(session=second, children=3, adults=0, walk_ins=1)
    Presence.objects.create(participant=mila, session=second)
    Presence.objects.create(participant=ben, session=second)
    org.fixed_costs_per_month = Decimal("31.00")
    org.save(update_fields=["fixed_costs_per_month"])
    TransportDay.objects.create(
        organisation=org,
        date=dt.date(2026, 10, 6),
        offer=offer,
        rides=4,
        children_driven=2,
        distance_m=20_000,
        driving_s=3600,
        vehicle_cost=Decimal("6.00"),
        driver_cost=Decimal("20.00"),
    )
    TransportDay.objects.create(
        organisation=org,
        date=dt.date(2026, 10, 13),
        offer=offer,
        rides=2,
        children_driven=1,
        children_unserved=1,
        unserved_reasons={"driver": 2},
        distance_m=10_000,
        driving_s=1800,
        vehicle_cost=Decimal("3.00"),
        driver_cost=Decimal("10.00"),
    )
    b = world["b"]
    TransportDay.objects.create(
        organisation=b["org"],
        date=dt.date(2026, 10, 6),
        offer=b["offer"],
        rides=99,
        children_driven=77,
        distance_m=999_000,
        vehicle_cost=Decimal("999.00"),
    )
    return {"org": org, "offer": offer}
