"""Art. 15 GDPR: everything Lotse stores about one family, as JSON and as a German PDF.

One function collects the data (`family_data`); the JSON answer and the PDF render the
same dictionary, so the two never disagree. Secrets (feed tokens) are never included;
who looked at the data is included as actions and dates (Art. 15(1)(c)), without the
names of the organisation's staff.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from backend.families.models import (
    Absence,
    ConsentRecord,
    Enrolment,
    Family,
    Involvement,
    Participant,
    Presence,
)
from backend.feeds.models import FeedLink
from backend.planning.models import Stop
from backend.privacy import audit
from backend.privacy.models import AuditEntry
from backend.publishing.queries import published_routes

FORMAT = "lotse-auskunft-1"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _family(family: Family) -> dict:
    return {
        "reference": family.reference,
        "contact_name": family.contact_name,
        "phone": family.phone,
        "email": family.email,
        "street": family.street,
        "postcode": family.postcode,
        "town": family.town,
        "latitude": family.latitude,
        "longitude": family.longitude,
        "preferred_language": family.get_preferred_language_display(),
        "show_first_names_in_calendar": family.show_first_names_in_calendar,
        "referral_kind": family.get_referral_kind_display(),
        "referral_note": family.referral_note,
        "created_at": _iso(family.created_at),
        "updated_at": _iso(family.updated_at),
    }


def _enrolment(enrolment: Enrolment) -> dict:
    pickup = ", ".join(
        part
        for part in (
            enrolment.pickup_street,
            f"{enrolment.pickup_postcode} {enrolment.pickup_town}".strip(),
        )
        if part
    )
    return {
        "offer": enrolment.offer.title,
        "joined_on": _iso(enrolment.joined_on),
        "left_on": _iso(enrolment.left_on),
        "transport": enrolment.get_transport_display(),
        "pickup_address": pickup,
    }


def _participant(participant: Participant) -> dict:
    needs = [
        label
        for wanted, label in (
            (participant.needs_child_seat, "Kindersitz"),
            (participant.needs_booster, "Sitzerhöhung"),
            (participant.needs_wheelchair, "Rollstuhlplatz"),
            (participant.needs_escort, "Begleitperson"),
        )
        if wanted
    ]
    return {
        "first_name": participant.first_name,
        "kind": participant.get_kind_display(),
        "birth_year": participant.birth_year,
        "birth_month": participant.birth_month,
        "needs": needs,
        "max_ride_minutes": participant.max_ride_minutes,
        "driver_note": participant.driver_note,
        "enrolments": [_enrolment(e) for e in participant.enrolments.all()],
    }


def _consent(consent: ConsentRecord) -> dict:
    return {
        "purpose": consent.get_purpose_display(),
        "given_on": _iso(consent.given_on),
        "withdrawn_on": _iso(consent.withdrawn_on),
    }


def _involvement(entry: Involvement) -> dict:
    return {
        "name": entry.title,
        "sector": entry.get_sector_display(),
        "contact": entry.contact,
        "since": _iso(entry.since),
        "note": entry.note,
    }


def _absence(absence: Absence) -> dict:
    return {
        "participant": absence.participant.first_name,
        "session": _iso(timezone.localtime(absence.session.starts_at)),
        "reported_by": absence.get_source_display(),
        "reported_at": _iso(absence.reported_at),
    }


def _presence(presence: Presence) -> dict:
    return {
        "participant": presence.participant.first_name,
        "session": _iso(timezone.localtime(presence.session.starts_at)),
    }


def _rides(family: Family) -> list[dict]:
    routes = published_routes(family.organisation, dt.date.min, dt.date.max)
    stops = (
        Stop.objects.filter(family=family, route__in=routes)
        .select_related("route__driver")
        .order_by("planned_at")
    )
    return [
        {
            "date": _iso(stop.route.date),
            "time": timezone.localtime(stop.planned_at).strftime("%H:%M"),
            "address": stop.address,
            "driver": stop.route.driver.name,
        }
        for stop in stops
    ]


def _access(family: Family) -> list[dict]:
    entries = AuditEntry.objects.filter(family=family).order_by("at")
    return [
        {"at": _iso(e.at), "action": e.get_action_display(), "channel": e.get_channel_display()}
        for e in entries
    ]


def kept_until(family: Family, today: dt.date) -> str:
    """When the retention rule will anonymise this family (as a sentence)."""
    enrolments = Enrolment.objects.filter(participant__family=family)
    if enrolments.filter(left_on__isnull=True).exists():
        return f"solange eine Teilnahme läuft, danach {settings.RETENTION_MONTHS} Monate"
    ends = [e.left_on for e in enrolments if e.left_on is not None]
    start = max(ends) if ends else timezone.localdate(family.created_at)
    return f"{start + relativedelta(months=settings.RETENTION_MONTHS):%d.%m.%Y}"


def family_data(family: Family, now: dt.datetime) -> dict:
    """Everything stored about `family` (see the module docstring)."""
    org = family.organisation
    participants = Participant.objects.filter(family=family).prefetch_related("enrolments__offer")
    absences = Absence.objects.filter(participant__family=family).select_related(
        "participant", "session"
    )
    presences = Presence.objects.filter(participant__family=family).select_related(
        "participant", "session"
    )
    links = FeedLink.objects.filter(family=family)
    return {
        "format": FORMAT,
        "generated_at": _iso(now),
        "controller": {
            "name": org.name,
            "email": org.contact_email,
            "phone": org.contact_phone,
            "website": org.website,
        },
        "purposes": [
            "Teilnahme an den Gruppenangeboten",
            "Fahrdienst (mit Einwilligung)",
            "Kalender-Abo (mit Einwilligung)",
            "Hilfeplan: andere begleitende Angebote und Partner (mit Einwilligung)",
        ],
        "kept_until": kept_until(family, timezone.localdate(now)),
        "family": _family(family),
        "participants": [_participant(p) for p in participants],
        "consents": [_consent(c) for c in family.consents.all()],
        "plan_of_help": [_involvement(i) for i in family.involvements.select_related("offer")],
        "absences": [_absence(a) for a in absences],
        "presences": [_presence(p) for p in presences],
        "calendar_links": [
            {"created_at": _iso(link.created_at), "revoked_at": _iso(link.revoked_at)}
            for link in links
        ],
        "rides": _rides(family),
        "access_log": _access(family),
        "audit_log_days": settings.AUDIT_LOG_DAYS,
    }


def filename(family: Family, now: dt.datetime, extension: str) -> str:
    return f"auskunft-{family.reference}-{timezone.localdate(now):%Y-%m-%d}.{extension}"


def render_pdf(data: dict) -> bytes:
    with translation.override("de"):
        html = render_to_string("privacy/export.html", {"data": data})
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _private(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def export_response(request: HttpRequest, family: Family, kind: str) -> HttpResponse:
    """The export as a download, logged in the audit log. `kind` is "json" or "pdf"."""
    now = timezone.now()
    data = family_data(family, now)
    if kind == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
    else:
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    audit.record(
        AuditEntry.Action.EXPORT, [audit.family_ref(family)], request=request, detail=kind.upper()
    )
    return _private(response, filename(family, now, kind))
