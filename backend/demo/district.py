"""Loading the fictional demo district (fixtures/demo_district.json).

The fixture is plain data. Dates that must move with the calendar (join dates,
consents, certificates, children's ages) are stored relative to `today`, so the
demo looks the same on any day. Every object is found again by a natural key
(organisation slug, venue name, offer title, family reference, username, ...),
so loading twice changes nothing.
"""

import datetime as dt
import json
import logging
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from backend.district.models import Partner, RegisterOffer
from backend.families.models import ConsentRecord, Enrolment, Family, Participant
from backend.fleet.models import Availability, Driver, Vehicle
from backend.gaps.places import load_municipalities
from backend.lib.schedule import WEEKDAYS
from backend.offers.models import Audience, ClosurePeriod, GroupOffer, Session, Venue
from backend.offers.services import materialise_sessions
from backend.organisations.models import Membership, Organisation

logger = logging.getLogger(__name__)

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_district.json"
SUMMARY_WEEKS = 4
M = TypeVar("M", bound=models.Model)
METRES_PER_DEGREE = 111_320


class DemoDataError(Exception):
    """The fixture cannot be loaded; nothing was stored."""


@dataclass(frozen=True)
class DemoSummary:
    today: dt.date
    organisations: int
    groups: int
    child_groups: int
    paired_groups: int
    sessions_next_4_weeks: int
    families: int
    children: int
    adults: int
    drivers: int
    vehicles: int

    def lines(self) -> list[str]:
        return [
            f"Demo-Landkreis geladen (heute = {self.today:%d.%m.%Y}):",
            f"  Organisationen:               {self.organisations}",
            f"  Gruppen:                      {self.groups} "
            f"({self.child_groups} für Kinder, {self.paired_groups} mit Elterngruppe)",
            f"  Termine in den nächsten 4 Wochen: {self.sessions_next_4_weeks}",
            f"  Familien:                     {self.families}",
            f"  Kinder:                       {self.children} (und {self.adults} Erwachsene)",
            f"  Fahrer*innen:                 {self.drivers} ({self.vehicles} Fahrzeuge)",
        ]


def read_fixture(path: Path = FIXTURE) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DemoDataError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise DemoDataError(f"{path} is not valid JSON: {exc}") from None


def load_demo(today: dt.date, *, weeks: int = 12, path: Path = FIXTURE) -> DemoSummary:
    """Create or update the demo district and its sessions for `weeks` weeks from `today`."""
    data = read_fixture(path)
    try:
        with transaction.atomic():
            orgs = _load(data, today)
            for office in [o for o in orgs if o.kind == Organisation.Kind.COORDINATION]:
                load_municipalities(office)  # the district's places for the gap analysis
            for offer in GroupOffer.objects.filter(organisation__in=orgs):
                materialise_sessions(offer, today, weeks)
    except (ValidationError, IntegrityError) as exc:
        raise DemoDataError(f"invalid demo data: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoDataError(f"malformed demo data: {exc!r}") from None
    summary = summarise([o.slug for o in orgs], today)
    logger.info("demo district loaded: %d organisations", summary.organisations)
    return summary


def summarise(slugs: list[str], today: dt.date) -> DemoSummary:
    orgs = Organisation.objects.filter(slug__in=slugs)
    offers = GroupOffer.objects.filter(organisation__in=orgs)
    child_offers = offers.filter(audience=Audience.CHILDREN)
    participants = Participant.objects.filter(family__organisation__in=orgs)
    sessions = Session.objects.filter(
        offer__in=offers,
        occurrence_date__gte=today,
        occurrence_date__lt=today + dt.timedelta(weeks=SUMMARY_WEEKS),
    )
    return DemoSummary(
        today=today,
        organisations=orgs.count(),
        groups=offers.count(),
        child_groups=child_offers.count(),
        paired_groups=child_offers.filter(paired_offer__isnull=False).count(),
        sessions_next_4_weeks=sessions.count(),
        families=Family.objects.filter(organisation__in=orgs).count(),
        children=participants.filter(kind=Participant.Kind.CHILD).count(),
        adults=participants.filter(kind=Participant.Kind.ADULT).count(),
        drivers=Driver.objects.filter(organisation__in=orgs).count(),
        vehicles=Vehicle.objects.filter(organisation__in=orgs).count(),
    )


# --- Loading -------------------------------------------------------------------------------


def _upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the object by its natural key, set `values`, validate and save it."""
    obj = model._default_manager.filter(**lookup).first()
    existing = obj is not None
    if obj is None:
        obj = model(**lookup)
    for field, value in values.items():
        setattr(obj, field, value)
    # Field checks here. Related objects were just saved by this loader, and unique and
    # check constraints are enforced by the database on save: skip their extra queries.
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    obj.save(update_fields=list(values) if existing else None)
    return obj


def _days(today: dt.date, offset: int | None) -> dt.date | None:
    return None if offset is None else today + dt.timedelta(days=offset)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _birth(today: dt.date, age: list[int]) -> tuple[int, int]:
    """Birth (year, month) of someone who is `age` = [years, months] old on `today`."""
    months = today.year * 12 + (today.month - 1) - (age[0] * 12 + age[1])
    return months // 12, months % 12 + 1


def _place(villages: dict, village: str, offset_m: list[int]) -> dict[str, Any]:
    """Address fields for a home near the village centre, `offset_m` = [north, east] metres."""
    centre = villages[village]
    lat = centre["lat"] + offset_m[0] / METRES_PER_DEGREE
    lon = centre["lon"] + offset_m[1] / (METRES_PER_DEGREE * math.cos(math.radians(centre["lat"])))
    return {
        "postcode": centre["postcode"],
        "town": village,
        "latitude": round(lat, 6),
        "longitude": round(lon, 6),
    }


def _load(data: dict, today: dt.date) -> list[Organisation]:
    admin = data["admin"]
    _user(admin["username"], admin["password"], email=admin["email"], superuser=True)
    orgs = []
    listed: dict[str, GroupOffer] = {}  # "slug:key": every provider's groups, for partners
    for spec in data["organisations"]:
        org = _organisation(spec)
        users = _users(org, spec["users"])
        if spec["school_holidays"]:
            _closures(org, data["school_holidays_rp"])
        venues = {v["key"]: _venue(org, v) for v in spec["venues"]}
        offers = _offers(org, spec["groups"], venues)
        listed.update({f"{org.slug}:{key}": offer for key, offer in offers.items()})
        vehicles = {v["label"]: _vehicle(org, v) for v in spec["vehicles"]}
        for driver in spec["drivers"]:
            _driver(org, driver, vehicles, data["villages"], today)
        _link_driver_users(org, spec["users"], users)
        recorder = next(users[u["username"]] for u in spec["users"] if u["role"] == "coordinator")
        for family in spec["families"]:
            _family(org, family, offers, data["villages"], today, recorder)
        _register(org, spec.get("register", {}), listed)
        orgs.append(org)
    return orgs


def _organisation(spec: dict) -> Organisation:
    fields = ["name", "kind", "contact_name", "contact_email", "contact_phone", "website", "town"]
    values = {f: spec[f] for f in fields}
    values["dispatch_phone"] = spec.get("dispatch_phone", "")
    # The shuttle's cost model (reports); absent in a fixture: no such costs.
    for field in ["driver_cost_per_hour", "driver_allowance_per_trip", "fixed_costs_per_month"]:
        values[field] = Decimal(spec.get(field, "0"))
    return _upsert(Organisation, {"slug": spec["slug"]}, values)


def _user(
    username: str, password: str, *, email: str = "", superuser: bool = False, **names: str
) -> User:
    found = User.objects.filter(username=username).first()
    created = found is None
    user = User(username=username) if found is None else found
    if created:
        # Only on creation: hashing is slow, and a changed demo password is left alone.
        user.set_password(password)
    user.email = email
    user.is_staff = user.is_superuser = superuser
    user.first_name = names.get("first_name", "")
    user.last_name = names.get("last_name", "")
    fields = ["email", "is_staff", "is_superuser", "first_name", "last_name"]
    user.save(update_fields=None if created else fields)
    return user


def _users(org: Organisation, specs: list[dict]) -> dict[str, User]:
    users = {}
    for spec in specs:
        user = _user(
            spec["username"],
            spec["password"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
        )
        _upsert(Membership, {"user": user, "organisation": org}, {"role": spec["role"]})
        users[spec["username"]] = user
    return users


def _closures(org: Organisation, periods: list[dict]) -> None:
    for period in periods:
        _upsert(
            ClosurePeriod,
            {"organisation": org, "name": period["name"]},
            {
                "start_date": dt.date.fromisoformat(period["from"]),
                "end_date": dt.date.fromisoformat(period["to"]),
            },
        )


def _venue(org: Organisation, spec: dict) -> Venue:
    return _upsert(
        Venue,
        {"organisation": org, "name": spec["name"]},
        {
            "street": spec["street"],
            "postcode": spec["postcode"],
            "town": spec["town"],
            "latitude": spec["lat"],
            "longitude": spec["lon"],
            "accessibility_notes": spec["accessibility_notes"],
        },
    )


def _offers(org: Organisation, specs: list[dict], venues: dict[str, Venue]) -> dict:
    offers: dict[str, GroupOffer] = {}
    # Parents' groups come first in the fixture, so `paired_offer` can refer back.
    for spec in specs:
        paired = spec.get("paired_offer")
        offers[spec["key"]] = _upsert(
            GroupOffer,
            {"organisation": org, "title": spec["title"]},
            {
                "venue": venues[spec["venue"]],
                "public_description": spec["public_description"],
                "audience": spec["audience"],
                "min_age": spec["min_age"],
                "max_age": spec["max_age"],
                "rrule": spec["rrule"],
                "start_time": _time(spec["start_time"]),
                "duration_minutes": spec["duration_minutes"],
                "first_date": dt.date.fromisoformat(spec["first_date"]),
                "capacity": spec["capacity"],
                "registration_required": spec["registration_required"],
                "sectors": spec["sectors"],
                "holiday_region": "RP",
                "paired_offer": offers[paired] if paired else None,
                # The demo's groups are in the public guide, with a shuttle; the
                # addresses are invented, so they may be shown.
                "listed": True,
                "listing_approved": True,
                "show_address": True,
                "shuttle_offered": spec.get("shuttle_offered", True),
            },
        )
    return offers


def _vehicle(org: Organisation, spec: dict) -> Vehicle:
    fields = ["seats", "child_seats", "boosters", "wheelchair_places"]
    values = {f: spec[f] for f in fields}
    values["cost_per_km"] = Decimal(spec["cost_per_km"])
    return _upsert(Vehicle, {"organisation": org, "label": spec["label"]}, values)


def _driver(
    org: Organisation, spec: dict, vehicles: dict, villages: dict, today: dt.date
) -> Driver:
    driver = _upsert(
        Driver,
        {"organisation": org, "name": spec["name"]},
        {
            "phone": spec["phone"],
            "street": spec["street"],
            **_place(villages, spec["village"], spec["offset_m"]),
            "vehicle": vehicles[spec["vehicle"]],
            "provides_escort": spec["provides_escort"],
            "certificate_date": _days(today, spec["certificate_days_from_today"]),
            "volunteer": spec.get("volunteer", False),
        },
    )
    windows = [
        (WEEKDAYS.index(w["weekday"]), _time(w["from"]), _time(w["to"]))
        for w in spec["availability"]
    ]
    keep = []
    for weekday, start, end in windows:
        window = _upsert(
            Availability,
            {"driver": driver, "weekday": weekday, "start_time": start},
            {"end_time": end},
        )
        keep.append(window.pk)
    driver.availability.exclude(pk__in=keep).delete()
    return driver


def _link_driver_users(org: Organisation, specs: list[dict], users: dict[str, User]) -> None:
    for spec in specs:
        if "driver" in spec:
            driver = org.drivers.get(name=spec["driver"])
            driver.user = users[spec["username"]]
            driver.save(update_fields=["user"])


def _family(
    org: Organisation,
    spec: dict,
    offers: dict[str, GroupOffer],
    villages: dict,
    today: dt.date,
    recorder: User,
) -> Family:
    family = _upsert(
        Family,
        {"organisation": org, "reference": spec["reference"]},
        {
            "contact_name": spec["contact_name"],
            "phone": spec["phone"],
            "email": spec["email"],
            "preferred_language": spec["preferred_language"],
            "show_first_names_in_calendar": spec["show_first_names_in_calendar"],
            "referral_kind": spec.get("referral", "unknown"),
            "referral_note": spec.get("referral_note", ""),
            "street": spec["street"],
            **_place(villages, spec["village"], spec["offset_m"]),
        },
    )
    for consent in spec["consents"]:
        _upsert(
            ConsentRecord,
            {"family": family, "purpose": consent["purpose"]},
            {
                "given_on": _days(today, consent["given"]),
                "withdrawn_on": _days(today, consent.get("withdrawn")),
                "recorded_by": recorder,
            },
        )
    for participant in spec["participants"]:
        _participant(family, participant, offers, today)
    return family


def _participant(family: Family, spec: dict, offers: dict, today: dt.date) -> Participant:
    birth_year, birth_month = _birth(today, spec["age"]) if "age" in spec else (None, None)
    participant = _upsert(
        Participant,
        {"family": family, "first_name": spec["first_name"]},
        {
            "kind": spec["kind"],
            "birth_year": birth_year,
            "birth_month": birth_month,
            "needs_child_seat": spec.get("needs_child_seat", False),
            "needs_booster": spec.get("needs_booster", False),
            "needs_wheelchair": spec.get("needs_wheelchair", False),
            "needs_escort": spec.get("needs_escort", False),
            "max_ride_minutes": spec.get("max_ride_minutes"),
            "driver_note": spec.get("driver_note", ""),
        },
    )
    for enrolment in spec["enrolments"]:
        _enrolment(participant, enrolment, offers, today)
    return participant


def _enrolment(participant: Participant, spec: dict, offers: dict, today: dt.date) -> Enrolment:
    pickup = spec.get("pickup") or {}
    offer = offers[spec["group"]]
    joined = today + dt.timedelta(days=spec["joined"])
    earlier = (
        Enrolment.objects.filter(participant=participant, offer=offer)
        .values_list("joined_on", flat=True)
        .first()
    )
    if earlier is not None and earlier < joined:
        # Loaded again on a later day: the join date stays, as the demo's history
        # (presences, backend/demo/history.py) stands on it.
        joined = earlier
    return _upsert(
        Enrolment,
        {"participant": participant, "offer": offer},
        {
            "joined_on": joined,
            "left_on": _days(today, spec.get("left")),
            "transport": spec["transport"],
            "pickup_street": pickup.get("street", ""),
            "pickup_postcode": pickup.get("postcode", ""),
            "pickup_town": pickup.get("town", ""),
            "pickup_latitude": pickup.get("lat"),
            "pickup_longitude": pickup.get("lon"),
        },
    )


def _register(office: Organisation, spec: dict, listed: dict[str, GroupOffer]) -> None:
    """The coordination office's register: offers outside Lotse and network partners."""
    address = ["street", "postcode", "town"]
    offers = {}
    for entry in spec.get("offers", []):
        fields = ["sector", "audience", "target_group", "min_age", "max_age", "provider_name"]
        fields += ["contact_phone", "contact_email", "website", "note", *address]
        values = {f: entry[f] for f in fields}
        values.update(latitude=entry["lat"], longitude=entry["lon"])
        offers[entry["name"]] = _upsert(
            RegisterOffer, {"organisation": office, "name": entry["name"]}, values
        )
    for entry in spec.get("partners", []):
        fields = ["kind", "sector", "contact_name", "contact_phone", "contact_email", *address]
        values = {f: entry[f] for f in fields}
        values.update(latitude=entry["lat"], longitude=entry["lon"])
        partner = _upsert(Partner, {"organisation": office, "name": entry["name"]}, values)
        partner.register_offers.set([offers[name] for name in entry["register_offers"]])
        partner.lotse_offers.set([listed[key] for key in entry["lotse_offers"]])
