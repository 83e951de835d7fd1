"""The "Datenschutz" area of the provider pages (coordinators only), under /datenschutz/.

- `/datenschutz/`: find a family and download its Art. 15 export (JSON or PDF);
- `/datenschutz/aufbewahrung/`: what the retention rule would anonymise (dry run);
- `/datenschutz/protokoll/`: the audit log, filtered and paginated.

The export URLs (`privacy-export` with the family id and "json"/"pdf") are meant to be
linked from the family pages too. Everything starts from the coordinator's
organisation; another organisation's family answers 404.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy

from backend.organisations.access import COORDINATOR_ONLY, TenantHttpRequest
from backend.privacy import export, retention
from backend.privacy.models import AuditEntry
from frontend.inputs import DATE_INPUT
from frontend.pages_provider import _require_role
from frontend.responses import no_store

FAMILIES_PER_PAGE = 25
ENTRIES_PER_PAGE = 50


@login_required
def families(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    query = request.GET.get("q", "").strip()[:100]
    found = request.org.families.order_by("reference")
    if query:
        found = found.filter(
            Q(reference__icontains=query)
            | Q(contact_name__icontains=query)
            | Q(town__icontains=query)
        )
    page = Paginator(found, FAMILIES_PER_PAGE).get_page(request.GET.get("page"))
    pager = urlencode({"q": query}) if query else ""
    context = {"query": query, "pager_query": pager, "page": page, "nav": "families"}
    return no_store(render(request, "frontend/privacy/families.html", context))


@login_required
def family_export(request: TenantHttpRequest, pk: int, kind: str) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    if kind not in ("json", "pdf"):
        raise Http404
    family = get_object_or_404(request.org.families.select_related("organisation"), pk=pk)
    return export.export_response(request, family, kind)


@login_required
def retention_preview(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    report = None
    if request.GET.get("probelauf"):
        now = timezone.now()
        report = retention.run(timezone.localdate(now), now, dry_run=True, org=request.org)
    context = {
        "report": report,
        "nav": "retention",
        "settings_months": settings.RETENTION_MONTHS,
        "audit_days": settings.AUDIT_LOG_DAYS,
    }
    return no_store(render(request, "frontend/privacy/retention.html", context))


class AuditFilter(forms.Form):
    family = forms.CharField(label=gettext_lazy("Familie (Kennung)"), required=False, max_length=40)
    user = forms.CharField(label=gettext_lazy("Benutzer*in"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=gettext_lazy("Aktion"),
        required=False,
        choices=[("", gettext_lazy("alle"))] + AuditEntry.Action.choices,
    )
    date_from = forms.DateField(label=gettext_lazy("von"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=gettext_lazy("bis"), required=False, widget=DATE_INPUT)

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        data = self.cleaned_data
        if data["family"]:
            entries = entries.filter(family_reference__iexact=data["family"].strip())
        if data["user"]:
            entries = entries.filter(username__iexact=data["user"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries


@login_required
def audit_log(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    form = AuditFilter(request.GET)
    entries = request.org.audit_entries.all()
    entries = form.apply(entries) if form.is_valid() else entries.none()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "nav": "audit",
        "audit_days": settings.AUDIT_LOG_DAYS,
    }
    status = 200 if form.is_valid() else 400
    return no_store(render(request, "frontend/privacy/audit_log.html", context, status=status))


urlpatterns = [
    path("", families, name="privacy"),
    path("familien/<int:pk>/auskunft.<str:kind>", family_export, name="privacy-export"),
    path("aufbewahrung/", retention_preview, name="privacy-retention"),
    path("protokoll/", audit_log, name="privacy-audit"),
]
