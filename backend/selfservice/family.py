"""The family's self-service: its page (upcoming sessions, next pickups) and absences.

The page (`/familie/<token>/`, frontend/pages_family.py) is reached with the family's
feed token, so everything here starts from that family and never looks anything up
outside it.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.families.models import Absence, Family, Participant
from backend.families.services import report_absence, withdraw_absence
from backend.feeds.content import family_sessions, participant_labels
from backend.lib import clock
from backend.offers.models import Session
from backend.planning.models import StopPassenger
from backend.publishing.queries import Ride, family_rides

UPCOMING_DAYS = 28
PICKUP_DAYS = 14


@dataclass(frozen=True)
class Seat:
    """One family member's place in one session."""

    participant_id: int
    label: str
    absent: bool
    # The family reported the absence itself, so it may take it back (until the start).
    can_take_back: bool = False


@dataclass(frozen=True)
class UpcomingSession:
    session: Session
    seats: list[Seat]


@dataclass(frozen=True)
class Pickup:
    ride: Ride
    label: str
    venue: str
    # The pickup time of the plan published before, if the current plan moved it.
    previous_at: dt.datetime | None = None

    @property
    def is_there(self) -> bool:
        return self.ride.direction == StopPassenger.Direction.THERE


def _labels(family: Family) -> dict[int, str]:
    return participant_labels(family, list(family.participants.all()))


def upcoming_sessions(family: Family, now: dt.datetime) -> list[UpcomingSession]:
    """The family's sessions of the next four weeks that have not started yet."""
    sessions = Session.objects.filter(
        starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS)
    )
    labels = _labels(family)
    entries = family_sessions(family, sessions)
    own = set(
        Absence.objects.filter(
            participant__family=family,
            session__in=[e.session.pk for e in entries],
            source=Absence.Source.FAMILY,
        ).values_list("participant_id", "session_id")
    )
    return [
        UpcomingSession(
            entry.session,
            [
                Seat(p, labels[p], p in entry.absent, (p, entry.session.pk) in own)
                for p in entry.enrolled
            ],
        )
        for entry in entries
    ]


def next_pickups(family: Family, now: dt.datetime) -> list[Pickup]:
    """Published rides of the next two weeks, without absences and cancelled sessions."""
    today = clock.local(now).date()
    rides = [
        r
        for r in family_rides(family, today, today + dt.timedelta(days=PICKUP_DAYS))
        if r.pickup_at >= now
    ]
    sessions = {
        s.pk: s
        for s in Session.objects.filter(pk__in={r.session_id for r in rides}).select_related(
            "venue"
        )
    }
    absent = set(
        Absence.objects.filter(participant__family=family, session__in=list(sessions)).values_list(
            "participant_id", "session_id"
        )
    )
    labels = _labels(family)
    before = previous_pickups(family, {clock.local(r.pickup_at).date() for r in rides})
    return [
        Pickup(
            ride,
            labels.get(ride.participant_id, ""),
            sessions[ride.session_id].venue.name,
            _moved_from(before.get(_request(ride)), ride.pickup_at),
        )
        for ride in rides
        if ride.session_id in sessions
        and not sessions[ride.session_id].is_cancelled
        and (ride.participant_id, ride.session_id) not in absent
    ]


RideKey = tuple[int, int, str]  # participant, session, direction


def _request(ride: Ride) -> RideKey:
    return (ride.participant_id, ride.session_id, ride.direction)


def _moved_from(old: dt.datetime | None, new: dt.datetime) -> dt.datetime | None:
    """The old pickup time if it shows as another minute than the new one."""
    if old is None or clock.local(old).strftime("%H:%M") == clock.local(new).strftime("%H:%M"):
        return None
    return old


def previous_pickups(family: Family, days: set[dt.date]) -> dict[RideKey, dt.datetime]:
    """Per ride, the family's pickup time in the plan published before the current one.

    For each of `days` the publication superseded last is the one the current plan
    replaced; a ride it did not have is new, not moved.
    """
    runs = []
    for day in days:
        before = (
            family.organisation.publications.filter(date=day, superseded_at__isnull=False)
            .order_by("-superseded_at", "-pk")
            .first()
        )
        if before is not None:
            runs.append((before.run_id, day))
    found: dict[RideKey, dt.datetime] = {}
    for run_id, day in runs:
        rows = StopPassenger.objects.filter(
            participant__family=family,
            stop__route__run_id=run_id,
            stop__route__date=day,
            action=StopPassenger.Action.BOARD,
        ).values_list("participant_id", "session_id", "direction", "stop__planned_at")
        found.update({(p, s, d): at for p, s, d, at in rows})
    return found


def report_family_absence(
    family: Family,
    session_id: int,
    participant_id: int,
    now: dt.datetime,
    *,
    source: str = Absence.Source.FAMILY,
    user: User | None = None,
) -> tuple[Absence, bool]:
    """Report an absence from the subscribe page (or staff's on the family's page, with
    `source` and `user`). Only the family's own upcoming sessions."""
    upcoming = {u.session.pk: u for u in upcoming_sessions(family, now)}
    entry = upcoming.get(session_id)
    if entry is None:
        raise ValidationError(
            {"session": _("Dieser Termin kann hier nicht (mehr) abgemeldet werden.")}
        )
    if entry.session.is_cancelled:
        raise ValidationError({"session": _("Dieser Termin fällt ohnehin aus.")})
    if participant_id not in {seat.participant_id for seat in entry.seats}:
        raise ValidationError({"participant": _("Diese Person ist für den Termin nicht dabei.")})
    participant: Participant = family.participants.get(pk=participant_id)
    return report_absence(participant, entry.session, source=source, user=user)


def take_back_family_absence(
    family: Family, session_id: int, participant_id: int, now: dt.datetime
) -> bool:
    """Take back an absence the family reported, until the session starts.

    Returns False when there was nothing to take back (already taken back). An absence
    reported by the provider's staff stays: the family is told to call instead.
    """
    upcoming = {u.session.pk: u for u in upcoming_sessions(family, now)}
    entry = upcoming.get(session_id)
    if entry is None:
        raise ValidationError(
            {"session": _("Dieser Termin hat schon begonnen oder ist nicht Ihrer.")}
        )
    seat = next((s for s in entry.seats if s.participant_id == participant_id), None)
    if seat is None:
        raise ValidationError({"participant": _("Diese Person ist für den Termin nicht dabei.")})
    if not seat.absent:
        return False
    if not seat.can_take_back:
        raise ValidationError(
            {
                "participant": _(
                    "Diese Abmeldung hat die Einrichtung eingetragen; bitte rufen Sie dort an."
                )
            }
        )
    absence = Absence.objects.get(participant_id=participant_id, session_id=session_id)
    withdraw_absence(absence)
    return True
