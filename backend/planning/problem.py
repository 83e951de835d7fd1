"""From the database to the planner's problem (`planner.Problem`), one day at a time.

Units: every time is an integer number of seconds since local midnight in the
configured time zone (wall clock), every duration is in seconds and every distance in
metres. `times.py` converts back to aware datetimes.

A request id maps back to what it serves: ``p{participant}-s{session}-there`` or
``-back``. Location ids name their origin: ``venue-{id}``, ``home-{family}``,
``pickup-e{enrolment}`` (a pickup address override) and ``base-d{driver}``;
two places at the same coordinates share the first id, so that siblings and
neighbours at one address become one stop. Vehicle ids are ``d{driver}`` (plus
``-2``, ``-3`` … for a driver's further availability windows that day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q

import planner
from backend.families.models import Absence, Enrolment, Participant
from backend.fleet.models import Availability, Driver
from backend.lib.clock import day_bounds
from backend.offers.models import Session
from backend.organisations.models import Organisation
from backend.planning.times import seconds_of_day

NO_HOME_COORDINATES = "no coordinates for the home address"
NO_PICKUP_COORDINATES = "no coordinates for the pickup address"
NO_VENUE_COORDINATES = "no coordinates for the venue"
NO_DRIVER = "no driver available that day (availability, valid certificate, vehicle, coordinates)"

_REQUEST_ID = re.compile(r"^p(?P<participant>\d+)-s(?P<session>\d+)-(?P<direction>there|back)$")


@dataclass(frozen=True)
class PlanningOptions:
    """Tunable rules of a run (the run's `options`). Minutes unless named otherwise."""

    there_earliest: int = 20  # arrive at the venue at most this long before the start …
    there_latest: int = 5  # … and at least this long before it
    back_earliest: int = 0  # picked up at the venue from this long after the end …
    back_latest: int = 15  # … until this long after it
    service_seconds: int = 60  # getting in or out of the car
    max_ride_young: int = 45  # maximum ride of children younger than `young_age`
    max_ride: int = 60  # maximum ride of everybody else
    young_age: int = 8
    stability: int = 5  # cost of moving a published pickup by one second (1 = 1 m detour)
    vehicle_change: int = 600  # a change of vehicle costs like a shift of this many seconds
    matrix: str = "auto"  # auto (OSRM if configured) | geodesic | osrm

    _RANGES = {
        "there_earliest": (0, 120),
        "there_latest": (0, 120),
        "back_earliest": (0, 120),
        "back_latest": (0, 120),
        "service_seconds": (0, 900),
        "max_ride_young": (5, 240),
        "max_ride": (5, 240),
        "young_age": (0, 18),
        "stability": (0, 1000),
        "vehicle_change": (0, 7200),
    }
    _MATRICES = ("auto", "geodesic", "osrm")

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        for name, (low, high) in self._RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                errors[name] = "Muss eine ganze Zahl sein."
            elif not low <= value <= high:
                errors[name] = f"Muss zwischen {low} und {high} liegen."
        if not errors and self.there_latest > self.there_earliest:
            errors["there_latest"] = "Darf nicht größer sein als there_earliest."
        if not errors and self.back_earliest > self.back_latest:
            errors["back_earliest"] = "Darf nicht größer sein als back_latest."
        if self.matrix not in self._MATRICES:
            errors["matrix"] = f"Erlaubt: {', '.join(self._MATRICES)}."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_dict(cls, data: Any) -> PlanningOptions:
        """Read run options; unknown keys and bad values raise a per-field ValidationError."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValidationError({"options": "Muss ein Objekt sein."})
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValidationError({key: "Unbekannte Option." for key in unknown})
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class RequestRef:
    """What a planner request stands for."""

    request_id: str
    participant_id: int
    session_id: int
    direction: str  # there | back
    family_id: int
    is_child: bool
    home: str  # location id of the home (or pickup override)
    venue: str  # location id of the venue


@dataclass(frozen=True)
class NotPlanned:
    """A request that cannot go to the planner, e.g. for lack of coordinates."""

    request_id: str
    participant_id: int
    session_id: int
    direction: str
    reason: str
    is_child: bool = True


@dataclass(frozen=True)
class Place:
    id: str
    lat: float
    lon: float
    address: str = ""
    family_id: int | None = None
    venue_id: int | None = None


@dataclass(frozen=True)
class PlanVehicle:
    id: str
    driver_id: int
    vehicle_id: int
    base: str


@dataclass
class DayProblem:
    """The planner problem of one day plus the keys to map its answer back."""

    day: dt.date
    problem: planner.Problem
    requests: dict[str, RequestRef]
    places: dict[str, Place]
    vehicles: dict[str, PlanVehicle]
    not_planned: list[NotPlanned] = field(default_factory=list)
    # Counts of what was left out on purpose (absent, no consent, drivers without certificate …).
    excluded: dict[str, int] = field(default_factory=dict)

    @property
    def points(self) -> list[tuple[float, float]]:
        return [
            (self.places[loc.id].lat, self.places[loc.id].lon) for loc in self.problem.locations
        ]

    def with_problem(self, **changes: Any) -> DayProblem:
        """A copy whose problem has `changes` (e.g. the matrix, the previous plan)."""
        return dataclasses.replace(self, problem=dataclasses.replace(self.problem, **changes))


def plan_of(
    routes: Iterable[planner.Route], unassigned: Iterable[planner.Unassigned] = ()
) -> planner.Plan:
    """A plan assembled without the solver (the published plan, a day with nothing to solve)."""
    routes, unassigned = tuple(routes), tuple(unassigned)
    served = {visit.request for route in routes for visit in route.visits}
    summary = planner.Summary(
        requests=len(served) + len(unassigned),
        served=len(served),
        distance=sum(route.distance for route in routes),
        duration=sum(route.duration for route in routes),
        vehicles_used=sum(1 for route in routes if route.visits),
        solve_seconds=0.0,
    )
    return planner.Plan(routes=routes, unassigned=unassigned, summary=summary)


def parse_request_id(request_id: str) -> tuple[int, int, str]:
    """(participant id, session id, direction) of a request id."""
    match = _REQUEST_ID.match(request_id)
    if match is None:
        raise ValueError(f"not a Lotse request id: {request_id!r}")
    return int(match["participant"]), int(match["session"]), match["direction"]


def request_id(participant_id: int, session_id: int, direction: str) -> str:
    return f"p{participant_id}-s{session_id}-{direction}"


class _Places:
    """Locations in insertion order; equal coordinates share the first id."""

    def __init__(self) -> None:
        self.by_id: dict[str, Place] = {}
        self.by_point: dict[tuple[float, float], str] = {}

    def add(self, place: Place) -> str:
        point = (round(place.lat, 6), round(place.lon, 6))
        if point in self.by_point:
            return self.by_point[point]
        self.by_point[point] = place.id
        self.by_id[place.id] = place
        return place.id


def build_day(org: Organisation, day: dt.date, options: PlanningOptions) -> DayProblem:
    """The planner problem of `org` on `day`, without matrix and previous plan (see runs.py)."""
    return _Builder(org, day, options).build()


class _Builder:
    def __init__(self, org: Organisation, day: dt.date, options: PlanningOptions):
        self.org, self.day, self.opt = org, day, options
        self.places = _Places()
        self.excluded: dict[str, int] = defaultdict(int)
        self.not_planned: list[NotPlanned] = []
        self.refs: dict[str, RequestRef] = {}
        self.requests: list[planner.Request] = []

    def build(self) -> DayProblem:
        sessions = self._sessions()
        for session in sessions:
            self._venue(session)
        by_offer = defaultdict(list)
        for session in sessions:
            by_offer[session.offer_id].append(session)
        absent = set(
            Absence.objects.filter(session__in=sessions).values_list("participant_id", "session_id")
        )
        for enrolment in self._enrolments(list(by_offer)):
            for session in by_offer[enrolment.offer_id]:
                self._enrolment(enrolment, session, absent)
        self._pair_parents(sessions)
        vehicles = self._vehicles()
        problem = planner.Problem(
            locations=tuple(
                planner.Location(p.id, lat=p.lat, lon=p.lon) for p in self.places.by_id.values()
            ),
            vehicles=tuple(v for v, _ in vehicles),
            requests=tuple(self.requests),
            objective=planner.Objective(distance=1, duration=0, vehicles=0, ride_time=0),
        )
        return DayProblem(
            day=self.day,
            problem=problem,
            requests=self.refs,
            places=dict(self.places.by_id),
            vehicles={ref.id: ref for _, ref in vehicles},
            not_planned=self.not_planned,
            excluded=dict(self.excluded),
        )

    # --- sessions and venues -------------------------------------------------

    def _sessions(self) -> list[Session]:
        start, end = day_bounds(self.day)
        return list(
            Session.objects.for_org(self.org)
            .filter(starts_at__gte=start, starts_at__lt=end, status=Session.Status.SCHEDULED)
            .select_related("offer", "venue")
            .order_by("starts_at", "pk")
        )

    def _venue(self, session: Session) -> str | None:
        venue = session.venue
        if venue.latitude is None or venue.longitude is None:
            return None
        return self.places.add(
            Place(
                f"venue-{venue.pk}",
                venue.latitude,
                venue.longitude,
                address=venue.address_line or venue.name,
                venue_id=venue.pk,
            )
        )

    # --- enrolments ------------------------------------------------------------

    def _enrolments(self, offer_ids: list[int]) -> list[Enrolment]:
        return list(
            Enrolment.objects.filter(offer_id__in=offer_ids, joined_on__lte=self.day)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=self.day))
            .exclude(transport="none")
            .select_related("participant__family")
            .prefetch_related("participant__family__consents")
            .order_by("participant_id", "pk")
        )

    def _enrolment(self, enrolment: Enrolment, session: Session, absent: set) -> None:
        participant = enrolment.participant
        family = participant.family
        if (participant.pk, session.pk) in absent:
            self.excluded["absent"] += 1
            return
        if not family.has_consent("transport", self.day):
            self.excluded["no_transport_consent"] += 1
            return
        directions = [
            d
            for d, wanted in (("there", enrolment.wants_there), ("back", enrolment.wants_back))
            if wanted
        ]
        venue = self._venue(session)
        home, reason = self._home(enrolment)
        if venue is None or home is None:
            for direction in directions:
                rid = request_id(participant.pk, session.pk, direction)
                self.not_planned.append(
                    NotPlanned(
                        rid,
                        participant.pk,
                        session.pk,
                        direction,
                        reason or NO_VENUE_COORDINATES,
                        participant.kind == Participant.Kind.CHILD,
                    )
                )
            return
        for direction in directions:
            self._request(participant, session, direction, home, venue)

    def _home(self, enrolment: Enrolment) -> tuple[str | None, str | None]:
        family = enrolment.participant.family
        if enrolment.pickup_street or enrolment.pickup_postcode or enrolment.has_pickup_override:
            if not enrolment.has_pickup_override:
                return None, NO_PICKUP_COORDINATES
            address = ", ".join(
                p
                for p in (
                    enrolment.pickup_street,
                    f"{enrolment.pickup_postcode} {enrolment.pickup_town}".strip(),
                )
                if p
            )
            place = Place(
                f"pickup-e{enrolment.pk}",
                enrolment.pickup_latitude,
                enrolment.pickup_longitude,
                address=address,
                family_id=family.pk,
            )
            return self.places.add(place), None
        if not family.has_coordinates:
            return None, NO_HOME_COORDINATES
        place = Place(
            f"home-{family.pk}",
            family.latitude,
            family.longitude,
            address=family.address_line,
            family_id=family.pk,
        )
        return self.places.add(place), None

    def _request(
        self, participant: Participant, session: Session, direction: str, home: str, venue: str
    ) -> None:
        opt = self.opt
        service = opt.service_seconds
        rid = request_id(participant.pk, session.pk, direction)
        if direction == "there":
            start = seconds_of_day(session.starts_at)
            window = (start - opt.there_earliest * 60, start - opt.there_latest * 60)
            pickup = planner.Stop(home, service=service)
            dropoff = planner.Stop(venue, window=window, service=service)
        else:
            end = seconds_of_day(session.ends_at)
            window = (end + opt.back_earliest * 60, end + opt.back_latest * 60)
            pickup = planner.Stop(venue, window=window, service=service)
            dropoff = planner.Stop(home, service=service)
        self.requests.append(
            planner.Request(
                id=rid,
                pickup=pickup,
                dropoff=dropoff,
                load=_load(participant),
                max_ride=self._max_ride(participant),
                skills=_skills(participant),
                bundle=f"p{participant.pk}-s{session.pk}",
            )
        )
        self.refs[rid] = RequestRef(
            rid,
            participant.pk,
            session.pk,
            direction,
            participant.family_id,
            participant.kind == Participant.Kind.CHILD,
            home,
            venue,
        )

    def _max_ride(self, participant: Participant) -> int:
        if participant.max_ride_minutes:
            return participant.max_ride_minutes * 60
        age = participant.age_on(self.day)
        young = (
            participant.kind == Participant.Kind.CHILD
            and age is not None
            and age < self.opt.young_age
        )
        return (self.opt.max_ride_young if young else self.opt.max_ride) * 60

    # --- paired parents' groups -------------------------------------------------

    def _pair_parents(self, sessions: list[Session]) -> None:
        """Adults riding to the paired parents' group share one bundle with their children."""
        by_id = {s.pk: s for s in sessions}

        def paired(a: Session, b: Session) -> bool:
            return a.offer.paired_offer_id == b.offer_id or b.offer.paired_offer_id == a.offer_id

        adults = [r for r in self.refs.values() if not r.is_child]
        children = [r for r in self.refs.values() if r.is_child]
        bundle_of: dict[tuple[int, int], str] = {}  # (participant, session) → bundle
        for adult in adults:
            mates = [
                c
                for c in children
                if c.family_id == adult.family_id
                and paired(by_id[adult.session_id], by_id[c.session_id])
            ]
            if not mates:
                continue
            anchor = min(c.session_id for c in mates)
            bundle = f"f{adult.family_id}-s{anchor}"
            for ref in [adult, *mates]:
                bundle_of[(ref.participant_id, ref.session_id)] = bundle
        for n, request in enumerate(self.requests):
            ref = self.refs[request.id]
            key = (ref.participant_id, ref.session_id)
            if key in bundle_of:
                self.requests[n] = dataclasses.replace(request, bundle=bundle_of[key])

    # --- drivers and vehicles ------------------------------------------------------

    def _vehicles(self) -> list[tuple[planner.Vehicle, PlanVehicle]]:
        windows = Availability.objects.filter(weekday=self.day.weekday()).order_by("start_time")
        drivers = (
            self.org.drivers.filter(is_active=True, vehicle__isnull=False, vehicle__is_active=True)
            .select_related("vehicle")
            .prefetch_related(Prefetch("availability", queryset=windows))
            .order_by("pk")
        )
        out: list[tuple[planner.Vehicle, PlanVehicle]] = []
        taken: set[int | None] = set()  # a vehicle drives for one driver a day
        for driver in drivers:
            available = list(driver.availability.all())
            if not available:
                continue
            if not driver.certificate_valid_on(self.day):
                self.excluded["drivers_without_valid_certificate"] += 1
                continue
            if not driver.has_coordinates:
                self.excluded["drivers_without_coordinates"] += 1
                continue
            if driver.vehicle_id in taken:
                self.excluded["drivers_sharing_a_vehicle"] += 1
                continue
            taken.add(driver.vehicle_id)
            out.extend(self._driver_vehicles(driver, available))
        return out

    def _driver_vehicles(
        self, driver: Driver, windows: list[Availability]
    ) -> list[tuple[planner.Vehicle, PlanVehicle]]:
        vehicle = driver.vehicle
        assert vehicle is not None  # _vehicles() plans drivers with a vehicle only
        base = self.places.add(
            Place(
                f"base-d{driver.pk}", driver.latitude, driver.longitude, address=driver.address_line
            )
        )
        skills = set()
        if vehicle.wheelchair_places > 0:
            skills.add("wheelchair")
        if driver.provides_escort:
            skills.add("escort")
        capacity = {
            "seats": vehicle.seats,
            "child_seats": vehicle.child_seats,
            "boosters": vehicle.boosters,
            "wheelchair": vehicle.wheelchair_places,
        }
        out = []
        for n, window in enumerate(windows, start=1):
            vid = f"d{driver.pk}" if n == 1 else f"d{driver.pk}-{n}"
            data = planner.Vehicle(
                id=vid,
                start=base,
                end=base,
                capacity=capacity,
                available=(_clock(window.start_time), _clock(window.end_time)),
                skills=frozenset(skills),
            )
            out.append((data, PlanVehicle(vid, driver.pk, vehicle.pk, base)))
        return out


def _clock(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def _load(participant: Participant) -> dict[str, int]:
    """Capacity used: a seat, plus a child seat or booster; a wheelchair place instead of a seat."""
    if participant.needs_wheelchair:
        return {"wheelchair": 1}
    load = {"seats": 1}
    if participant.kind == Participant.Kind.CHILD:
        if participant.needs_child_seat:
            load["child_seats"] = 1
        elif participant.needs_booster:
            load["boosters"] = 1
    return load


def _skills(participant: Participant) -> frozenset[str]:
    skills = set()
    if participant.needs_wheelchair:
        skills.add("wheelchair")
    if participant.needs_escort:
        skills.add("escort")
    return frozenset(skills)
