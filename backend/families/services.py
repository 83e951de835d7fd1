"""Writes that touch families and must have side effects elsewhere."""

import datetime as dt

from django.db import transaction

from backend.families.models import Absence, ConsentRecord, Participant
from backend.families.signals import absence_reported, absence_withdrawn, consent_withdrawn
from backend.offers.models import Session


@transaction.atomic
def withdraw_consent(consent: ConsentRecord, on: dt.date) -> ConsentRecord:
    """Withdraw at once. Listeners (feeds, transport) react after commit."""
    if consent.withdrawn_on is None:
        consent.withdrawn_on = max(on, consent.given_on)
        consent.save(update_fields=["withdrawn_on"])
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
