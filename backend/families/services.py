"""Writes that touch families and must have side effects elsewhere."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backend.families.models import (
    Absence,
    ConsentPurpose,
    ConsentRecord,
    Enrolment,
    Family,
    Participant,
    Presence,
)
from backend.families.signals import absence_reported, absence_withdrawn, consent_withdrawn
from backend.lib import clock
from backend.offers.models import Attendance, Session


@transaction.atomic
def withdraw_consent(consent: ConsentRecord, on: dt.date) -> ConsentRecord:
    """Withdraw at once. Listeners (feeds, transport) react after commit."""
    if consent.withdrawn_on is None:
        consent.withdrawn_on = max(on, consent.given_on)
        consent.save(update_fields=["withdrawn_on"])
        if consent.purpose == ConsentPurpose.BUNDLE and not consent.family.has_consent(
            ConsentPurpose.BUNDLE, consent.withdrawn_on
        ):
            # The plan of help was kept for this purpose only: it goes with the consent.
            consent.family.involvements.all().delete()
        transaction.on_commit(lambda: consent_withdrawn.send(sender=ConsentRecord, consent=consent))
    return consent


@transaction.atomic
def report_absence(
    participant: Participant, session: Session, source: str, user=None
) -> tuple[Absence, bool]:
    """Record that a participant will miss a session. Reporting twice is harmless."""
    absence, created = Absence.objects.get_or_create(
        participant=participant,
        session=session,
        defaults={"source": source, "reported_by": user},
    )
    if created:
        transaction.on_commit(lambda: absence_reported.send(sender=Absence, absence=absence))
    return absence, created


@transaction.atomic
def withdraw_absence(absence: Absence) -> None:
    """Delete an absence ("the child comes after all"). Listeners react after commit."""
    absence.delete()
    transaction.on_commit(lambda: absence_withdrawn.send(sender=Absence, absence=absence))


@transaction.atomic
def create_family(
    family: Family,
    participants: Sequence[tuple[Participant, Enrolment | None]],
    consents: Sequence[ConsentRecord],
) -> Family:
    """Store a new family with its participants, their enrolments and its consents.

    All rows are validated before (forms or serializers run the models' `clean()`);
    this writes them in one transaction, so a failure stores nothing.
    """
    family.save()
    for participant, enrolment in participants:
        add_participant(family, participant, enrolment)
    for consent in consents:
        consent.family = family
        consent.save()
    return family


@transaction.atomic
def add_participant(
    family: Family, participant: Participant, enrolment: Enrolment | None
) -> Participant:
    """A family member, with their enrolment in a group if there is one."""
    participant.family = family
    participant.save()
    if enrolment is not None:
        enrolment.participant = participant
        enrolment.save()
    return participant


def enrolled_on(session: Session) -> list[Participant]:
    """The participants whose enrolment in the session's offer is active on its day."""
    day = session.local_date
    enrolments = Enrolment.objects.filter(offer_id=session.offer_id).select_related(
        "participant__family"
    )
    found = {e.participant for e in enrolments if e.is_active_on(day)}
    return sorted(found, key=lambda p: (p.first_name.casefold(), p.family.reference, p.pk))


@transaction.atomic
def record_attendance(
    session: Session,
    present: Iterable[Participant],
    walk_in_children: int,
    walk_in_adults: int,
    user=None,
) -> Attendance:
    """Who came to `session`: the enrolled participants ticked off, plus walk-ins.

    The session's anonymous `Attendance` counts everyone (walk-ins included, as its
    `walk_ins`); `Presence` rows name the enrolled participants who came. Recording
    again replaces both. Raises ValidationError (nothing stored) when a participant
    is not enrolled on that day or the counts break the Attendance rules.
    """
    if session.is_cancelled:
        raise ValidationError({"session": _("Dieser Termin ist ausgefallen.")})
    if session.starts_at > clock.now():
        raise ValidationError({"session": _("Dieser Termin hat noch nicht begonnen.")})
    came = list({p.pk: p for p in present}.values())
    enrolled = {p.pk for p in enrolled_on(session)}
    strangers = [p for p in came if p.pk not in enrolled]
    if strangers:
        raise ValidationError(
            {"present": _("Ist an diesem Tag nicht für dieses Angebot angemeldet.")}
        )
    attendance = Attendance.objects.filter(session=session).first() or Attendance(session=session)
    counted = head_counts(session, came, walk_in_children, walk_in_adults)
    attendance.children, attendance.adults, attendance.walk_ins = (
        counted.children,
        counted.adults,
        counted.walk_ins,
    )
    attendance.full_clean(exclude=["session"])
    attendance.save()
    Presence.objects.filter(session=session).exclude(participant__in=came).delete()
    known = set(Presence.objects.filter(session=session).values_list("participant_id", flat=True))
    Presence.objects.bulk_create(
        Presence(session=session, participant=p, recorded_by=user)
        for p in came
        if p.pk not in known
    )
    return attendance


def head_counts(
    session: Session, came: Iterable[Participant], walk_in_children: int, walk_in_adults: int
) -> Attendance:
    """The anonymous counts of a session (unsaved): the enrolled who came, plus walk-ins."""
    present = list(came)
    children = sum(1 for p in present if p.kind == Participant.Kind.CHILD)
    return Attendance(
        session=session,
        children=children + walk_in_children,
        adults=len(present) - children + walk_in_adults,
        walk_ins=walk_in_children + walk_in_adults,
    )


def presence_counts(
    attendance: Attendance | None, present: Iterable[Participant]
) -> tuple[int, int]:
    """The walk-ins (children, adults) of a recorded attendance: the counts less the present."""
    if attendance is None:
        return 0, 0
    came = list(present)
    children = sum(1 for p in came if p.kind == Participant.Kind.CHILD)
    return max(attendance.children - children, 0), max(
        attendance.adults - (len(came) - children), 0
    )
