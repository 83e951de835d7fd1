"""The family's self-service: its page (upcoming sessions, next pickups) and absences.

The page (`/familie/<token>/`, frontend/pages_family.py) is reached with the family's
feed token, so everything here starts from that family and never looks anything up
outside it.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.families.models import Absence, Family, Participant
from backend.families.services import report_absence
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


@dataclass(frozen=True)
class UpcomingSession:
    session: Session
    seats: list[Seat]


@dataclass(frozen=True)
class Pickup:
    ride: Ride
    label: str
    venue: str

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
    return [
        UpcomingSession(
            entry.session, [Seat(p, labels[p], p in entry.absent) for p in entry.enrolled]
        )
        for entry in family_sessions(family, sessions)
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
    return [
        Pickup(ride, labels.get(ride.participant_id, ""), sessions[ride.session_id].venue.name)
        for ride in rides
        if ride.session_id in sessions
        and not sessions[ride.session_id].is_cancelled
        and (ride.participant_id, ride.session_id) not in absent
    ]


def report_family_absence(
    family: Family, session_id: int, participant_id: int, now: dt.datetime
) -> tuple[Absence, bool]:
    """Report an absence from the subscribe page. Only the family's own upcoming sessions."""
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
    return report_absence(participant, entry.session, source=Absence.Source.FAMILY)
