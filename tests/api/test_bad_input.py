"""Every endpoint answers invalid data with 400, names the field, and stores nothing."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model

from backend.accounts.models import Invitation
from backend.families.models import Absence, ConsentRecord, Enrolment, Family, Participant
from backend.fleet.models import Availability, Driver, Vehicle
from backend.offers.models import Attendance, ClosurePeriod, GroupOffer, Session, Venue
from backend.organisations.models import Membership, Organisation


@dataclass(frozen=True)
class Bad:
    what: str
    method: str
    url: str  # "{a.venue}" style placeholders, filled from api_world
    payload: dict[str, Any]
    field: str
    model: type[Model]


def _fill(value: Any, w: dict) -> Any:
    """'@a.venue' → pk of organisation A's venue; other values pass through."""
    if isinstance(value, str) and value.startswith("@"):
        side, name = value[1:].split(".")
        return w[side][name].pk
    if isinstance(value, dict):
        return {k: _fill(v, w) for k, v in value.items()}
    return value


VENUE = {"name": "Jugendhaus", "town": "Bitburg", "latitude": 49.9, "longitude": 6.5}
OFFER = {
    "title": "Gruppe",
    "venue": "@a.venue",
    "rrule": "FREQ=WEEKLY;BYDAY=WE",
    "start_time": "15:00",
    "first_date": "2026-12-02",
}
FAMILY = {"reference": "F-X", "contact_name": "Kontakt"}
CHILD = {"family": "@a.family", "first_name": "Ida", "birth_year": 2019, "birth_month": 4}
ENROL = {"participant": "@a.child", "offer": "@a.parents_offer", "joined_on": "2026-12-01"}
DRIVER = {"name": "Carla", "latitude": 50.0, "longitude": 6.4}
SLOT = {"driver": "@a.other_driver", "weekday": 2, "start_time": "14:00", "end_time": "18:00"}
VEHICLE = {"label": "Bus", "seats": 8}

CASES = [
    Bad(
        "org detour too big",
        "patch",
        "/api/organisations/{a.org}/",
        {"detour_factor": 5},
        "detour_factor",
        Organisation,
    ),
    Bad(
        "org website not a url",
        "patch",
        "/api/organisations/{a.org}/",
        {"website": "kein link"},
        "website",
        Organisation,
    ),
    Bad(
        "org dispatch phone not a number",
        "patch",
        "/api/organisations/{a.org}/",
        {"dispatch_phone": "bei Anna anrufen"},
        "dispatch_phone",
        Organisation,
    ),
    Bad(
        "org negative driver cost",
        "patch",
        "/api/organisations/{a.org}/",
        {"driver_cost_per_hour": "-3.00"},
        "driver_cost_per_hour",
        Organisation,
    ),
    Bad(
        "org fixed costs not a number",
        "patch",
        "/api/organisations/{a.org}/",
        {"fixed_costs_per_month": "viel"},
        "fixed_costs_per_month",
        Organisation,
    ),
    Bad(
        "invitation wrong role",
        "post",
        "/api/invitations/",
        {"role": "boss", "email": "neu@example.org"},
        "role",
        Invitation,
    ),
    Bad("invitation missing role", "post", "/api/invitations/", {}, "role", Invitation),
    Bad(
        "invitation bad e-mail",
        "post",
        "/api/invitations/",
        {"role": "staff", "email": "kein-at"},
        "email",
        Invitation,
    ),
    Bad(
        "membership demote last coordinator",
        "patch",
        "/api/memberships/{alice_membership}/",
        {"role": "staff"},
        "role",
        Membership,
    ),
    Bad("venue missing name", "post", "/api/venues/", {**VENUE, "name": ""}, "name", Venue),
    Bad(
        "venue latitude wrong type",
        "post",
        "/api/venues/",
        {**VENUE, "latitude": "north"},
        "latitude",
        Venue,
    ),
    Bad(
        "venue latitude out of range",
        "post",
        "/api/venues/",
        {**VENUE, "latitude": 91},
        "latitude",
        Venue,
    ),
    Bad(
        "venue longitude out of range",
        "post",
        "/api/venues/",
        {**VENUE, "longitude": -181},
        "longitude",
        Venue,
    ),
    Bad(
        "venue without address or coordinates",
        "post",
        "/api/venues/",
        {"name": "Ohne Karte"},
        "postcode",
        Venue,
    ),
    Bad(
        "venue unknown postcode",
        "post",
        "/api/venues/",
        {"name": "Nirgendwo", "street": "Weg 1", "postcode": "00000", "town": "X"},
        "postcode",
        Venue,
    ),
    Bad(
        "venue half coordinates",
        "post",
        "/api/venues/",
        {"name": "Halb", "postcode": "54634", "latitude": 50.0},
        "longitude",
        Venue,
    ),
    Bad(
        "family unknown postcode",
        "post",
        "/api/families/",
        {**FAMILY, "street": "Weg 1", "postcode": "00000", "town": "X"},
        "postcode",
        Family,
    ),
    Bad(
        "family address change to unknown postcode",
        "patch",
        "/api/families/{a.family}/",
        {"postcode": "5463"},
        "postcode",
        Family,
    ),
    Bad(
        "venue update out of range",
        "patch",
        "/api/venues/{a.venue}/",
        {"latitude": 100},
        "latitude",
        Venue,
    ),
    Bad(
        "closure end before start",
        "post",
        "/api/closures/",
        {"name": "X", "start_date": "2027-07-10", "end_date": "2027-07-01"},
        "end_date",
        ClosurePeriod,
    ),
    Bad(
        "closure missing start",
        "post",
        "/api/closures/",
        {"name": "X", "end_date": "2027-07-01"},
        "start_date",
        ClosurePeriod,
    ),
    Bad(
        "closure date wrong type",
        "post",
        "/api/closures/",
        {"name": "X", "start_date": 7, "end_date": "2027-07-01"},
        "start_date",
        ClosurePeriod,
    ),
    Bad(
        "offer invalid rrule",
        "post",
        "/api/group-offers/",
        {**OFFER, "rrule": "FREQ=DAILY"},
        "rrule",
        GroupOffer,
    ),
    Bad(
        "offer rrule garbage",
        "post",
        "/api/group-offers/",
        {**OFFER, "rrule": "jeden Dienstag"},
        "rrule",
        GroupOffer,
    ),
    Bad(
        "offer rrule two weekdays",
        "post",
        "/api/group-offers/",
        {**OFFER, "rrule": "FREQ=WEEKLY;BYDAY=MO,TU"},
        "rrule",
        GroupOffer,
    ),
    Bad(
        "offer negative capacity",
        "post",
        "/api/group-offers/",
        {**OFFER, "capacity": -1},
        "capacity",
        GroupOffer,
    ),
    Bad(
        "offer capacity wrong type",
        "post",
        "/api/group-offers/",
        {**OFFER, "capacity": "viele"},
        "capacity",
        GroupOffer,
    ),
    Bad(
        "offer last before first",
        "post",
        "/api/group-offers/",
        {**OFFER, "last_date": "2026-11-01"},
        "last_date",
        GroupOffer,
    ),
    Bad(
        "offer max age below min",
        "post",
        "/api/group-offers/",
        {**OFFER, "min_age": 10, "max_age": 6},
        "max_age",
        GroupOffer,
    ),
    Bad(
        "offer foreign venue",
        "post",
        "/api/group-offers/",
        {**OFFER, "venue": "@b.venue"},
        "venue",
        GroupOffer,
    ),
    Bad(
        "offer missing venue",
        "post",
        "/api/group-offers/",
        {k: v for k, v in OFFER.items() if k != "venue"},
        "venue",
        GroupOffer,
    ),
    Bad(
        "offer start time invalid",
        "post",
        "/api/group-offers/",
        {**OFFER, "start_time": "25:00"},
        "start_time",
        GroupOffer,
    ),
    Bad(
        "offer unknown sector",
        "post",
        "/api/group-offers/",
        {**OFFER, "sectors": ["sport"]},
        "sectors",
        GroupOffer,
    ),
    Bad(
        "offer paired with a children's group",
        "post",
        "/api/group-offers/",
        {**OFFER, "paired_offer": "@a.offer"},
        "paired_offer",
        GroupOffer,
    ),
    Bad(
        "offer paired with foreign offer",
        "post",
        "/api/group-offers/",
        {**OFFER, "paired_offer": "@b.parents_offer"},
        "paired_offer",
        GroupOffer,
    ),
    Bad(
        "offer paired with itself",
        "patch",
        "/api/group-offers/{a.parents_offer}/",
        {"paired_offer": "@a.parents_offer"},
        "paired_offer",
        GroupOffer,
    ),
    Bad(
        "offer update last before first",
        "patch",
        "/api/group-offers/{a.offer}/",
        {"last_date": "2026-01-01"},
        "last_date",
        GroupOffer,
    ),
    Bad(
        "materialise weeks too many",
        "post",
        "/api/group-offers/{a.offer}/materialise/",
        {"weeks": 1000},
        "weeks",
        Session,
    ),
    Bad(
        "session cancel without reason",
        "post",
        "/api/sessions/{a.session}/cancel/",
        {},
        "reason",
        Session,
    ),
    Bad(
        "session move end before start",
        "post",
        "/api/sessions/{a.session}/move/",
        {"starts_at": "2026-11-24T16:00:00+01:00", "ends_at": "2026-11-24T15:00:00+01:00"},
        "ends_at",
        Session,
    ),
    Bad(
        "session move foreign venue",
        "post",
        "/api/sessions/{a.session}/move/",
        {
            "starts_at": "2026-11-24T16:00:00+01:00",
            "ends_at": "2026-11-24T17:00:00+01:00",
            "venue": "@b.venue",
        },
        "venue",
        Session,
    ),
    Bad(
        "session move wrong type",
        "post",
        "/api/sessions/{a.session}/move/",
        {"starts_at": "morgen", "ends_at": "2026-11-24T17:00:00+01:00"},
        "starts_at",
        Session,
    ),
    Bad(
        "session reinstate not cancelled",
        "post",
        "/api/sessions/{a.session}/reinstate/",
        {},
        "status",
        Session,
    ),
    Bad(
        "attendance more walk-ins than total",
        "post",
        "/api/attendance/",
        {"session": "@a.cancelled_session", "children": 1, "adults": 0, "walk_ins": 3},
        "walk_ins",
        Attendance,
    ),
    Bad(
        "attendance negative",
        "post",
        "/api/attendance/",
        {"session": "@a.cancelled_session", "children": -1},
        "children",
        Attendance,
    ),
    Bad(
        "attendance second for session",
        "post",
        "/api/attendance/",
        {"session": "@a.session", "children": 1},
        "session",
        Attendance,
    ),
    Bad(
        "attendance foreign session",
        "post",
        "/api/attendance/",
        {"session": "@b.session", "children": 1},
        "session",
        Attendance,
    ),
    Bad(
        "family missing contact",
        "post",
        "/api/families/",
        {"reference": "F-X"},
        "contact_name",
        Family,
    ),
    Bad(
        "family duplicate reference",
        "post",
        "/api/families/",
        {**FAMILY, "reference": "F-A-1"},
        "reference",
        Family,
    ),
    Bad(
        "family latitude without longitude",
        "post",
        "/api/families/",
        {**FAMILY, "latitude": 50.0},
        "longitude",
        Family,
    ),
    Bad(
        "family latitude out of range",
        "post",
        "/api/families/",
        {**FAMILY, "latitude": 95, "longitude": 6},
        "latitude",
        Family,
    ),
    Bad(
        "family bad email",
        "post",
        "/api/families/",
        {**FAMILY, "email": "keine-adresse"},
        "email",
        Family,
    ),
    Bad(
        "family unknown language",
        "post",
        "/api/families/",
        {**FAMILY, "preferred_language": "xx"},
        "preferred_language",
        Family,
    ),
    Bad(
        "consent unknown purpose",
        "post",
        "/api/consents/",
        {"family": "@a.family", "purpose": "marketing", "given_on": "2026-11-01"},
        "purpose",
        ConsentRecord,
    ),
    Bad(
        "consent foreign family",
        "post",
        "/api/consents/",
        {"family": "@b.family", "purpose": "calendar", "given_on": "2026-11-01"},
        "family",
        ConsentRecord,
    ),
    Bad(
        "consent date wrong type",
        "post",
        "/api/consents/",
        {"family": "@a.family", "purpose": "calendar", "given_on": "gestern"},
        "given_on",
        ConsentRecord,
    ),
    Bad(
        "consent withdraw bad date",
        "post",
        "/api/consents/{a.consent}/withdraw/",
        {"on": "bald"},
        "on",
        ConsentRecord,
    ),
    Bad(
        "child without birth month",
        "post",
        "/api/participants/",
        {**CHILD, "birth_month": None},
        "birth_year",
        Participant,
    ),
    Bad(
        "child birth month 13",
        "post",
        "/api/participants/",
        {**CHILD, "birth_month": 13},
        "birth_month",
        Participant,
    ),
    Bad(
        "child ride time too long",
        "post",
        "/api/participants/",
        {**CHILD, "max_ride_minutes": 1000},
        "max_ride_minutes",
        Participant,
    ),
    Bad(
        "child foreign family",
        "post",
        "/api/participants/",
        {**CHILD, "family": "@b.family"},
        "family",
        Participant,
    ),
    Bad(
        "enrolment left before joined",
        "post",
        "/api/enrolments/",
        {**ENROL, "left_on": "2026-11-01"},
        "left_on",
        Enrolment,
    ),
    Bad(
        "enrolment foreign participant",
        "post",
        "/api/enrolments/",
        {**ENROL, "participant": "@b.child"},
        "participant",
        Enrolment,
    ),
    Bad(
        "enrolment foreign offer",
        "post",
        "/api/enrolments/",
        {**ENROL, "offer": "@b.offer"},
        "offer",
        Enrolment,
    ),
    Bad(
        "enrolment unknown transport",
        "post",
        "/api/enrolments/",
        {**ENROL, "transport": "taxi"},
        "transport",
        Enrolment,
    ),
    Bad(
        "enrolment pickup half coordinates",
        "post",
        "/api/enrolments/",
        {**ENROL, "pickup_longitude": 6.5},
        "pickup_latitude",
        Enrolment,
    ),
    Bad(
        "enrolment pickup unknown postcode",
        "post",
        "/api/enrolments/",
        {**ENROL, "pickup_street": "Schulweg 1", "pickup_postcode": "00000"},
        "pickup_postcode",
        Enrolment,
    ),
    Bad(
        "absence unknown source",
        "post",
        "/api/absences/",
        {"participant": "@a.child", "session": "@a.session", "source": "nachbar"},
        "source",
        Absence,
    ),
    Bad(
        "absence not enrolled",
        "post",
        "/api/absences/",
        {"participant": "@a.sibling", "session": "@a.session"},
        "participant",
        Absence,
    ),
    Bad(
        "absence foreign session",
        "post",
        "/api/absences/",
        {"participant": "@a.child", "session": "@b.session"},
        "session",
        Absence,
    ),
    Bad(
        "absence missing participant",
        "post",
        "/api/absences/",
        {"session": "@a.session"},
        "participant",
        Absence,
    ),
    Bad(
        "driver without address or coordinates",
        "post",
        "/api/drivers/",
        {"name": "Carla"},
        "postcode",
        Driver,
    ),
    Bad(
        "driver unknown postcode",
        "post",
        "/api/drivers/",
        {"name": "Carla", "postcode": "99999"},
        "postcode",
        Driver,
    ),
    Bad(
        "driver foreign vehicle",
        "post",
        "/api/drivers/",
        {**DRIVER, "vehicle": "@b.vehicle"},
        "vehicle",
        Driver,
    ),
    Bad(
        "driver certificate in future",
        "post",
        "/api/drivers/",
        {**DRIVER, "certificate_date": "2099-01-01"},
        "certificate_date",
        Driver,
    ),
    Bad(
        "driver user already linked",
        "post",
        "/api/drivers/",
        {**DRIVER, "user": "@users.dave"},
        "user",
        Driver,
    ),
    Bad(
        "availability end before start",
        "post",
        "/api/availability/",
        {**SLOT, "end_time": "13:00"},
        "end_time",
        Availability,
    ),
    Bad(
        "availability weekday 7",
        "post",
        "/api/availability/",
        {**SLOT, "weekday": 7},
        "weekday",
        Availability,
    ),
    Bad(
        "availability foreign driver",
        "post",
        "/api/availability/",
        {**SLOT, "driver": "@b.driver"},
        "driver",
        Availability,
    ),
    Bad(
        "vehicle negative seats",
        "post",
        "/api/vehicles/",
        {**VEHICLE, "seats": -1},
        "seats",
        Vehicle,
    ),
    Bad("vehicle no seats", "post", "/api/vehicles/", {**VEHICLE, "seats": 0}, "seats", Vehicle),
    Bad(
        "vehicle negative child seats",
        "post",
        "/api/vehicles/",
        {**VEHICLE, "child_seats": -2},
        "child_seats",
        Vehicle,
    ),
    Bad(
        "vehicle cost wrong type",
        "post",
        "/api/vehicles/",
        {**VEHICLE, "cost_per_km": "billig"},
        "cost_per_km",
        Vehicle,
    ),
]


def _url(template: str, w: dict) -> str:
    class Side:
        def __init__(self, side: dict):
            self.side = side

        def __getattr__(self, name: str) -> int:
            return self.side[name].pk

    alice_membership = w["users"]["alice"].memberships.get().pk
    return template.format(a=Side(w["a"]), b=Side(w["b"]), alice_membership=alice_membership)


def _rows(model: type[Model]) -> list[dict]:
    return list(model.objects.order_by("pk").values())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.what)
def test_bad_input_is_rejected_per_field(case: Bad, api_world, clients):
    payload = _fill(case.payload, api_world)
    before = _rows(case.model)
    url = _url(case.url, api_world)
    response = getattr(clients["alice"], case.method)(url, payload, format="json")
    assert response.status_code == 400, response.content
    assert case.field in response.json(), response.json()
    assert _rows(case.model) == before
