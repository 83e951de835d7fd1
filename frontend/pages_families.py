"""Families pages for coordinators and staff, under /familien/.

- `/familien/`: the families, with search, a group filter and pages;
- `/familien/neu/`: a new family from first contact to a planned ride (contact, address,
  language, a child with needs, consents, enrolment with transport and pickup address);
- `/familien/<id>/`: one family (children, enrolments, consents with one-click
  withdrawal, absences, next pickups, the family's link and letter, and its plan of help:
  other offers and partners involved, only with the consent "Hilfeplan").

Everything starts from the user's organisation (`attach_tenant`), so another
organisation's family answers 404; drivers and users without an organisation get 403.
Writes go through the models' validation (ModelForms) and `backend/families/services.py`.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.families import services
from backend.families.models import Absence, ConsentPurpose, ConsentRecord, Family, Involvement
from backend.feeds import letter
from backend.feeds import services as feeds
from backend.feeds.models import FeedLink
from backend.feeds.services import TOKEN_PATTERN, IssuedLink
from backend.lib import clock
from backend.lib.address import CoordinateSource
from backend.organisations.access import STAFF_ROLES, TenantHttpRequest
from backend.selfservice.family import next_pickups, report_family_absence, upcoming_sessions
from frontend.families_forms import (
    CONSENT_EFFECTS,
    AbsenceForm,
    ChildForm,
    ConsentForm,
    EnrolmentForm,
    FamilyForm,
    InvolvementForm,
    MemberForm,
    NewConsentsForm,
)
from frontend.pages_provider import _require_role
from frontend.responses import no_store

FAMILIES_PER_PAGE = 25
UPCOMING_SHOWN = 6  # sessions offered for reporting an absence


def _family_for(request: TenantHttpRequest, pk: int) -> Family:
    families = request.org.families.filter(anonymised_at__isnull=True)
    return get_object_or_404(families, pk=pk)


# --- the list --------------------------------------------------------------------------


def search_families(families: QuerySet[Family], query: str, offer: str) -> QuerySet[Family]:
    if query:
        families = families.filter(
            Q(reference__icontains=query)
            | Q(contact_name__icontains=query)
            | Q(town__icontains=query)
            | Q(participants__first_name__icontains=query)
        )
    if offer.isdigit():
        families = families.filter(participants__enrolments__offer_id=int(offer))
    return families.distinct()


@login_required
def family_list(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    query = request.GET.get("q", "").strip()[:100]
    offer = request.GET.get("gruppe", "").strip()[:20]
    families = request.org.families.filter(anonymised_at__isnull=True).order_by("reference")
    found = search_families(families, query, offer).annotate(
        children=Count("participants", filter=Q(participants__kind="child"), distinct=True)
    )
    page = Paginator(found, FAMILIES_PER_PAGE).get_page(request.GET.get("page"))
    today = clock.today()
    transport = set(
        ConsentRecord.objects.for_org(request.org)
        .filter(purpose=ConsentPurpose.TRANSPORT, family__in=[f.pk for f in page])
        .filter(given_on__lte=today)
        .exclude(withdrawn_on__lte=today)
        .values_list("family_id", flat=True)
    )
    context = {
        "query": query,
        "offer": offer,
        "offers": request.org.group_offers.order_by("title"),
        "pager_query": urlencode({k: v for k, v in (("q", query), ("gruppe", offer)) if v}),
        "page": page,
        "transport": transport,
    }
    return no_store(render(request, "frontend/families/list.html", context))


# --- a new family ----------------------------------------------------------------------


def _new_forms(request: TenantHttpRequest) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    return {
        "family_form": FamilyForm(data, org=request.org, prefix="family"),
        "child_form": ChildForm(data, prefix="child"),
        "enrolment_form": EnrolmentForm(data, org=request.org, prefix="enrolment"),
        "consents_form": NewConsentsForm(data, prefix="consent"),
    }


@login_required
def family_new(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    forms = _new_forms(request)
    if request.method != "POST":
        return no_store(render(request, "frontend/families/new.html", forms))
    if not all([form.is_valid() for form in forms.values()]):
        return no_store(render(request, "frontend/families/new.html", forms, status=400))
    enrolment_form = forms["enrolment_form"]
    enrolment = enrolment_form.instance if enrolment_form.wanted else None
    family = services.create_family(
        forms["family_form"].instance,
        [(forms["child_form"].instance, enrolment)],
        forms["consents_form"].records(request.user),
    )
    _after_save(request, family, enrolment is not None and enrolment.transport != "none")
    messages.success(request, _("Familie %(ref)s ist angelegt.") % {"ref": family.reference})
    return redirect("families-detail", pk=family.pk)


def _after_save(request: TenantHttpRequest, family: Family, wants_transport: bool) -> None:
    # Addresses are placed when saved (backend/lib/address.py); one that cannot be placed
    # was already refused on its field by the form's validation.
    if wants_transport and not family.has_consent(ConsentPurpose.TRANSPORT, clock.today()):
        messages.warning(
            request,
            _("Ohne Einwilligung „Fahrdienst“ wird niemand aus dieser Familie gefahren."),
        )


# --- one family ------------------------------------------------------------------------


def _detail_context(request: TenantHttpRequest, family: Family, **forms: Any) -> dict[str, Any]:
    today = clock.today()
    participants = family.participants.prefetch_related("enrolments__offer")
    consents = list(family.consents.select_related("recorded_by"))
    absences = (
        Absence.objects.filter(participant__family=family)
        .filter(session__starts_at__gte=clock.at(today))
        .select_related("participant", "session__offer")
        .order_by("session__starts_at")
    )
    names = {p.pk: p.first_name for p in participants}
    return {
        "family": family,
        "participants": participants,
        "consents": [
            {"record": c, "active": c.is_active_on(today), "effect": CONSENT_EFFECTS[c.purpose]}
            for c in consents
        ],
        "absences": absences,
        "upcoming": [
            (entry.session, [(seat, names.get(seat.participant_id, "")) for seat in entry.seats])
            for entry in upcoming_sessions(family, clock.now())[:UPCOMING_SHOWN]
        ],
        "pickups": [
            (pickup, names.get(pickup.ride.participant_id, ""))
            for pickup in next_pickups(family, clock.now())
        ],
        "calendar_consent": family.has_consent(ConsentPurpose.CALENDAR, today),
        "link": family.feed_links.filter(revoked_at__isnull=True).first(),
        "approximate": family.coordinates_source == CoordinateSource.APPROXIMATE,
        "consent_form": forms.get("consent_form") or ConsentForm(prefix="consent"),
        "member_form": forms.get("member_form") or MemberForm(prefix="member"),
        "enrolment_form": forms.get("enrolment_form")
        or EnrolmentForm(org=request.org, prefix="enrolment"),
        "can_export": request.role == "coordinator",
        "bundle_consent": family.has_consent(ConsentPurpose.BUNDLE, today),
        "involvements": family.involvements.select_related("offer"),
        "involvement_form": forms.get("involvement_form")
        or InvolvementForm(org=request.org, prefix="help"),
    }


def _detail(request: TenantHttpRequest, family: Family, status: int = 200, **forms: Any):
    context = _detail_context(request, family, **forms)
    return no_store(render(request, "frontend/families/detail.html", context, status=status))


@login_required
def family_detail(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    return _detail(request, _family_for(request, pk))


ADDRESS_FIELDS = ("street", "postcode", "town")


@login_required
def family_edit(request: TenantHttpRequest, pk: int) -> HttpResponse:
    """Contact, address and language. A new address is placed again (old coordinates go)."""
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    if request.method != "POST":
        form = FamilyForm(instance=family, org=request.org, prefix="family")
        return no_store(render(request, "frontend/families/edit.html", {"form": form}))
    form = FamilyForm(request.POST, instance=family, org=request.org, prefix="family")
    if not form.is_valid():
        context = {"form": form}
        return no_store(render(request, "frontend/families/edit.html", context, status=400))
    family = form.save(commit=False)
    if any(name in form.changed_data for name in ADDRESS_FIELDS):
        family.latitude = family.longitude = None
    family.save()
    _after_save(request, family, wants_transport=False)
    messages.success(request, _("Die Angaben sind gespeichert."))
    return redirect("families-detail", pk=family.pk)


@login_required
@require_POST
def consent_add(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    form = ConsentForm(request.POST, prefix="consent", instance=ConsentRecord(family=family))
    if not form.is_valid():
        return _detail(request, family, status=400, consent_form=form)
    consent = form.save(commit=False)
    consent.recorded_by = request.user
    consent.save()
    messages.success(
        request, _("Einwilligung „%(p)s“ ist erfasst.") % {"p": consent.get_purpose_display()}
    )
    return redirect("families-detail", pk=family.pk)


@login_required
@require_POST
def consent_withdraw(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    consents = ConsentRecord.objects.for_org(request.org).filter(family__anonymised_at__isnull=True)
    consent = get_object_or_404(consents, pk=pk)
    if consent.withdrawn_on is not None:
        messages.info(request, _("Diese Einwilligung war schon widerrufen."))
    else:
        services.withdraw_consent(consent, clock.today())
        messages.success(
            request,
            _("Einwilligung „%(p)s“ ist widerrufen. %(effect)s")
            % {"p": consent.get_purpose_display(), "effect": CONSENT_EFFECTS[consent.purpose]},
        )
    return redirect("families-detail", pk=consent.family_id)


@login_required
@require_POST
def involvement_add(request: TenantHttpRequest, pk: int) -> HttpResponse:
    """A new entry of the family's plan of help; only with the consent for this purpose."""
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    form = InvolvementForm(
        request.POST, org=request.org, prefix="help", instance=Involvement(family=family)
    )
    if not family.has_consent(ConsentPurpose.BUNDLE, clock.today()):
        form.add_error(None, _("Dafür braucht es die Einwilligung „Hilfeplan (Hilfegebinde)“."))
        return _detail(request, family, status=400, involvement_form=form)
    if not form.is_valid():
        return _detail(request, family, status=400, involvement_form=form)
    involvement = form.save(commit=False)
    involvement.recorded_by = request.user
    involvement.save()
    messages.success(request, _("„%(name)s“ steht im Hilfeplan.") % {"name": involvement.title})
    return redirect(f"{reverse('families-detail', args=[family.pk])}#hilfeplan")


@login_required
@require_POST
def involvement_remove(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    entries = Involvement.objects.for_org(request.org).filter(family__anonymised_at__isnull=True)
    involvement = get_object_or_404(entries.select_related("offer"), pk=pk)
    involvement.delete()
    messages.success(
        request, _("„%(name)s“ ist aus dem Hilfeplan entfernt.") % {"name": involvement.title}
    )
    return redirect(f"{reverse('families-detail', args=[involvement.family_id])}#hilfeplan")


@login_required
@require_POST
def absence_add(request: TenantHttpRequest, pk: int) -> HttpResponse:
    """Staff report that a family member misses an upcoming session (e.g. by phone)."""
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    form = AbsenceForm(request.POST)
    reported = None
    if form.is_valid():
        with contextlib.suppress(ValidationError):  # not an upcoming seat of this family
            reported = report_family_absence(
                family,
                form.cleaned_data["session"],
                form.cleaned_data["participant"],
                clock.now(),
                source=Absence.Source.STAFF,
                user=request.user,
            )
    if reported is None:
        messages.error(request, _("Dieser Termin kann hier nicht (mehr) abgemeldet werden."))
        return redirect("families-detail", pk=family.pk)
    absence, created = reported
    if created:
        messages.success(
            request,
            _("%(name)s ist für %(when)s abgemeldet.")
            % {
                "name": absence.participant.first_name,
                "when": date_format(clock.local(absence.session.starts_at), "D, d.m. H:i"),
            },
        )
    return redirect("families-detail", pk=family.pk)


@login_required
@require_POST
def member_add(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    member_form = MemberForm(request.POST, prefix="member")
    enrolment_form = EnrolmentForm(request.POST, org=request.org, prefix="enrolment")
    if not all([member_form.is_valid(), enrolment_form.is_valid()]):
        forms = {"member_form": member_form, "enrolment_form": enrolment_form}
        return _detail(request, family, status=400, **forms)
    enrolment = enrolment_form.instance if enrolment_form.wanted else None
    with transaction.atomic():
        member = services.add_participant(family, member_form.instance, enrolment)
    _after_save(request, family, enrolment is not None and enrolment.transport != "none")
    messages.success(request, _("%(name)s ist eingetragen.") % {"name": member.first_name})
    return redirect("families-detail", pk=family.pk)


# --- the family's link and letter -----------------------------------------------------


class LetterForm(forms.Form):
    token = forms.RegexField(regex=rf"^{TOKEN_PATTERN}$", max_length=64)


def _link_page(request: TenantHttpRequest, family: Family, issued: IssuedLink) -> HttpResponse:
    url = issued.urls["subscribe_url"]
    context = {
        "family": family,
        "url": url,
        "token": issued.token,
        "qr_svg": mark_safe(segno.make(url, error="m").svg_inline(scale=4)),  # noqa: S308
        "rotated": issued.link.rotated_at is not None,
        "languages": letter.letter_languages(family),
    }
    return no_store(render(request, "frontend/families/link.html", context))


@login_required
@require_POST
def link_issue(request: TenantHttpRequest, pk: int) -> HttpResponse:
    """Create the family's link, or rotate it (the old link and letter stop working)."""
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    active = family.feed_links.filter(revoked_at__isnull=True).first()
    try:
        if active is None:
            issued = feeds.create_link(
                request.org,
                FeedLink.Kind.FAMILY,
                family=family,
                user=request.user,
                day=clock.today(),
            )
        else:
            issued = feeds.rotate_link(active, clock.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("families-detail", pk=family.pk)
    return _link_page(request, family, issued)


@login_required
@require_POST
def link_letter(request: TenantHttpRequest, pk: int) -> HttpResponse:
    """The letter for the link just issued; a rotated or revoked link's token makes none."""
    _require_role(request, STAFF_ROLES)
    family = _family_for(request, pk)
    form = LetterForm(request.POST)
    link = (
        feeds.find_link(form.data.get("token", ""), kind=FeedLink.Kind.FAMILY)
        if form.is_valid()
        else None
    )
    if (
        link is None
        or link.family_id != family.pk
        or not feeds.has_calendar_consent(family, clock.today())
    ):
        messages.error(request, _("Dieser Link gilt nicht mehr. Bitte den Link neu erstellen."))
        return redirect("families-detail", pk=family.pk)
    pdf = letter.letter_pdf(family, link, form.cleaned_data["token"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{family.pk}.pdf"'
    return no_store(response)


urlpatterns = [
    path("", family_list, name="families"),
    path("neu/", family_new, name="families-new"),
    path("<int:pk>/", family_detail, name="families-detail"),
    path("<int:pk>/bearbeiten/", family_edit, name="families-edit"),
    path("<int:pk>/einwilligung/", consent_add, name="families-consent-add"),
    path("<int:pk>/abmelden/", absence_add, name="families-absence"),
    path("<int:pk>/hilfeplan/", involvement_add, name="families-involvement-add"),
    path("hilfeplan/<int:pk>/entfernen/", involvement_remove, name="families-involvement-remove"),
    path("<int:pk>/mitglied/", member_add, name="families-member-add"),
    path("<int:pk>/link/", link_issue, name="families-link"),
    path("<int:pk>/brief/", link_letter, name="families-letter"),
    path("einwilligungen/<int:pk>/widerrufen/", consent_withdraw, name="families-consent-withdraw"),
]
