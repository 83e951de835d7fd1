"""Retention: families whose last enrolment ended long ago are anonymised.

A family is *due* when none of its enrolments is open and the last one ended more
than RETENTION_MONTHS ago (a family without any enrolment: created that long ago).
Anonymising keeps what the anonymous figures need — the organisation, the kind and
year of birth of each participant, enrolments with offer, dates and transport mode,
absences, presences and attendance counts — and removes everything that points to a person:
names, contact data, addresses and coordinates (also those copied into past route
stops), notes, needs, calendar links, who recorded what. `lotse retention` runs it
daily; `--dry-run` lists what it would do without changing anything.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from backend.families.models import (
    Absence,
    ConsentRecord,
    Enrolment,
    Family,
    Involvement,
    Participant,
    Presence,
)
from backend.feeds.services import revoke_family_links
from backend.organisations.models import Organisation
from backend.planning.models import Stop
from backend.privacy import audit
from backend.privacy.models import AuditEntry
from backend.publishing.services import withdraw_family_from_published

logger = logging.getLogger(__name__)

ANONYMOUS_NAME = "anonym"
# Children keep their birth year; the month is set to mid-year (the constraint needs one).
ANONYMOUS_BIRTH_MONTH = 7


def cutoff(today: dt.date) -> dt.date:
    return today - relativedelta(months=settings.RETENTION_MONTHS)


def audit_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.AUDIT_LOG_DAYS)


@dataclass(frozen=True)
class DueFamily:
    family_id: int
    reference: str
    organisation: str
    last_active: dt.date | None
    participants: int
    consents: int
    addresses: int  # home address, pickup addresses and route stops


@dataclass(frozen=True)
class RetentionReport:
    cutoff: dt.date
    families: tuple[DueFamily, ...]
    expired_audit_entries: int
    dry_run: bool


def due_families(today: dt.date, org: Organisation | None = None) -> QuerySet[Family]:
    """Families to anonymise on `today`, oldest first."""
    families = Family.objects.filter(anonymised_at__isnull=True)
    if org is not None:
        families = families.filter(organisation=org)
    open_enrolment = Q(participants__enrolments__pk__isnull=False) & Q(
        participants__enrolments__left_on__isnull=True
    )
    annotated = families.annotate(
        open_enrolments=Count("participants__enrolments", filter=open_enrolment),
        enrolments=Count("participants__enrolments"),
        last_left=Max("participants__enrolments__left_on"),
    ).filter(open_enrolments=0)
    limit = cutoff(today)
    ended = Q(enrolments__gt=0, last_left__lt=limit)
    never = Q(enrolments=0, created_at__date__lt=limit)
    return annotated.filter(ended | never).select_related("organisation").order_by("last_left")


def _addresses(family: Family) -> int:
    home = 1 if (family.street or family.postcode or family.latitude is not None) else 0
    pickups = Enrolment.objects.filter(participant__family=family).exclude(
        pickup_street="", pickup_postcode="", pickup_latitude__isnull=True
    )
    stops = Stop.objects.filter(family=family)
    return home + pickups.count() + stops.count()


def describe(family: Family) -> DueFamily:
    return DueFamily(
        family_id=family.pk,
        reference=family.reference,
        organisation=family.organisation.name,
        last_active=getattr(family, "last_left", None),
        participants=family.participants.count(),
        consents=family.consents.count(),
        addresses=_addresses(family),
    )


@transaction.atomic
def anonymise(family: Family, now: dt.datetime) -> None:
    """Remove everything personal from `family`, keep the anonymous facts. Idempotent."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.anonymised_at is not None:
        return
    reference = family.reference
    Participant.objects.filter(family=family).update(
        first_name=ANONYMOUS_NAME,
        driver_note="",
        needs_child_seat=False,
        needs_booster=False,
        needs_wheelchair=False,
        needs_escort=False,
        max_ride_minutes=None,
    )
    Participant.objects.filter(family=family, kind=Participant.Kind.CHILD).update(
        birth_month=ANONYMOUS_BIRTH_MONTH
    )
    Enrolment.objects.filter(participant__family=family).update(
        pickup_street="",
        pickup_postcode="",
        pickup_town="",
        pickup_latitude=None,
        pickup_longitude=None,
    )
    ConsentRecord.objects.filter(family=family).update(recorded_by=None)
    ConsentRecord.objects.filter(family=family, withdrawn_on__isnull=True).update(
        withdrawn_on=timezone.localdate(now)
    )
    Absence.objects.filter(participant__family=family).update(reported_by=None)
    Involvement.objects.filter(family=family).delete()  # the plan of help is all personal
    # Coming rides go from every published sheet, PDF and feed at once (and the days
    # are re-planned); past routes stay for the figures, without the address.
    withdraw_family_from_published(family, from_day=timezone.localdate(now))
    Presence.objects.filter(participant__family=family).update(recorded_by=None)
    _blur_stops(family)
    revoke_family_links(family, now)
    Family.objects.filter(pk=family.pk).update(
        reference=f"ANON-{family.pk}",
        contact_name="",
        phone="",
        email="",
        street="",
        postcode="",
        town="",
        latitude=None,
        longitude=None,
        show_first_names_in_calendar=False,
        referral_note="",  # free text; the kind stays for the district's anonymous figures
        anonymised_at=now,
        updated_at=now,
    )
    audit.record(
        AuditEntry.Action.ANONYMISE,
        [(family.pk, family.organisation_id, reference)],
        detail=f"ANON-{family.pk}",
    )
    logger.info("family %s anonymised", family.pk)


def _blur_stops(family: Family) -> None:
    """Past route stops keep their place in the route, not the address."""
    for stop in Stop.objects.filter(family=family).only("pk", "latitude", "longitude"):
        Stop.objects.filter(pk=stop.pk).update(
            address="",
            family=None,
            latitude=round(stop.latitude, 1),
            longitude=round(stop.longitude, 1),
        )


def run(
    today: dt.date, now: dt.datetime, *, dry_run: bool, org: Organisation | None = None
) -> RetentionReport:
    """Anonymise what is due and delete expired audit entries (or only list them)."""
    families = tuple(describe(f) for f in due_families(today, org))
    expired = AuditEntry.objects.filter(at__lt=audit_cutoff(now))
    if org is not None:
        expired = expired.filter(organisation=org)
    count = expired.count()
    if not dry_run:
        for item in families:
            anonymise(Family(pk=item.family_id), now)
        expired.delete()
    return RetentionReport(cutoff(today), families, count, dry_run)
