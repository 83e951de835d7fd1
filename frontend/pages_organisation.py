"""The coordinators' organisation page at /organisation/: the organisation's contact
details and settings, with the way to its members (team) and its privacy duties.

Staff and drivers never see it (403): it holds the settings that change how the whole
organisation plans. Every write goes through the API's `OrganisationSerializer`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from backend.organisations.access import COORDINATOR_ONLY, TenantHttpRequest
from backend.organisations.api import OrganisationSerializer
from backend.organisations.models import Organisation
from frontend.inputs import website_field
from frontend.pages_provider import _require_role
from frontend.writes import save_form


class OrganisationForm(forms.ModelForm):
    website = website_field()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "town",
            "auto_replan_on_absence",
            "driver_cost_per_hour",
            "driver_allowance_per_trip",
            "fixed_costs_per_month",
            "shares_with_office",
        ]

    def validate_unique(self) -> None:
        """Checked by the API serializer, like every other rule."""


@login_required
def organisation(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    org = request.org
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=org.pk))
    if request.method == "POST":
        saved = save_form(OrganisationSerializer, request, form, instance=org)
        if saved is not None:
            messages.success(request, _("Die Einstellungen wurden gespeichert."))
            return redirect("organisation")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "members": org.memberships.count()}
    return render(request, "frontend/organisation/settings.html", context, status=status)


urlpatterns = [path("", organisation, name="organisation")]
