"""Fahrdienst pages under /fahrdienst/: drivers (certificate of conduct, weekly
availability, home base, vehicle, login) and vehicles.

Coordinators manage the fleet; staff read it; drivers use their own sheets under
/fahrer/ and get 403 here, as in the API. Every lookup starts from the requesting
user's organisation (another organisation's driver answers 404), and every write goes
through the API's serializers (`frontend.writes`).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dates import WEEKDAYS as WEEKDAY_LABELS
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.fleet.api import AvailabilitySerializer, DriverSerializer, VehicleSerializer
from backend.fleet.models import Availability, Driver, Vehicle
from backend.fleet.services import invite_driver
from backend.lib import clock
from backend.organisations.access import COORDINATOR_ONLY, STAFF_ROLES, TenantHttpRequest
from frontend.inputs import DATE_FORMATS, DATE_INPUT, TIME_INPUT
from frontend.pages_provider import _require_role
from frontend.responses import no_store
from frontend.writes import save_form

CERTIFICATE_LABELS = {
    "valid": gettext_lazy("Führungszeugnis gültig"),
    "expiring": gettext_lazy("Führungszeugnis läuft bald ab"),
    "expired": gettext_lazy("Führungszeugnis abgelaufen"),
    "missing": gettext_lazy("Führungszeugnis fehlt"),
}
CERTIFICATE_STYLES = {"valid": "ok", "expiring": "warn", "expired": "warn", "missing": "warn"}


class NoModelRules(forms.ModelForm):
    def _post_clean(self) -> None:
        """The API serializer checks the model's rules (see `frontend.writes`)."""


def _can_edit(request: TenantHttpRequest) -> bool:
    return request.role in COORDINATOR_ONLY


def certificate(driver: Driver) -> dict[str, Any]:
    state = driver.certificate_state(clock.today())
    return {
        "state": state,
        "label": CERTIFICATE_LABELS[state],
        "style": CERTIFICATE_STYLES[state],
        "expires": driver.certificate_expires_on,
    }


def windows(driver: Driver) -> list[dict[str, Any]]:
    """The driver's weekly times, e.g. "Di 13:00–19:00"."""
    return [
        {"window": w, "day": WEEKDAYS_ABBR[w.weekday], "weekday": WEEKDAY_LABELS[w.weekday]}
        for w in driver.availability.all()
    ]


# --- drivers -------------------------------------------------------------------------


@login_required
def driver_list(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    drivers = request.org.drivers.select_related("vehicle", "user").prefetch_related("availability")
    query = request.GET.get("q", "").strip()
    if query:
        drivers = drivers.filter(Q(name__icontains=query) | Q(town__icontains=query))
    state = request.GET.get("zeugnis", "")
    rows: list[dict[str, Any]] = [
        {"driver": d, "certificate": certificate(d), "windows": windows(d)}
        for d in drivers.order_by("-is_active", "name")
    ]
    if state in CERTIFICATE_LABELS:
        rows = [row for row in rows if row["certificate"]["state"] == state]
    context = {
        "rows": rows,
        "query": query,
        "state": state,
        "states": CERTIFICATE_LABELS.items(),
        "can_edit": _can_edit(request),
        "nav": "drivers",
    }
    return render(request, "frontend/fleet/drivers.html", context)


class DriverForm(NoModelRules):
    class Meta:
        model = Driver
        fields = [
            "name",
            "phone",
            "street",
            "postcode",
            "town",
            "latitude",
            "longitude",
            "vehicle",
            "provides_escort",
            "volunteer",
            "certificate_date",
            "is_active",
        ]
        widgets = {"certificate_date": DATE_INPUT}

    def __init__(self, *args: Any, request: TenantHttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = request.org.vehicles.all()  # type: ignore[attr-defined]
        self.fields["certificate_date"].input_formats = DATE_FORMATS  # type: ignore[attr-defined]
        for name in ("latitude", "longitude"):
            self.fields[name].required = False  # the API says whether they are needed
            self.fields[name].widget.attrs["step"] = "any"
            self.fields[name].help_text = _("Der Wohnort ist Start und Ziel der Touren.")


class WindowForm(forms.ModelForm):
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Wochentag"), coerce=int, choices=sorted(WEEKDAY_LABELS.items())
    )

    class Meta:
        model = Availability
        fields = ["weekday", "start_time", "end_time"]
        widgets = {"start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def _post_clean(self) -> None:
        """The API serializer checks the model's rules."""


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-Mail (freiwillig)"),
        required=False,
        help_text=gettext_lazy("Leer lassen, um den Link selbst weiterzugeben."),
    )


def _driver_page(
    request: TenantHttpRequest, driver: Driver | None, status: int = 200, **forms_: Any
) -> HttpResponse:
    context: dict[str, Any] = {"driver": driver, "can_edit": _can_edit(request), "nav": "drivers"}
    context.setdefault("form", DriverForm(instance=driver, request=request))
    context.update(forms_)
    if driver is not None:
        context["certificate"] = certificate(driver)
        context["windows"] = windows(driver)
        context.setdefault("window_form", WindowForm())
        context.setdefault("login_form", LoginForm())
        context["invitation"] = _open_invitation(driver)
    response = render(request, "frontend/fleet/driver.html", context, status=status)
    return no_store(response)  # may show a one-time link


def _open_invitation(driver: Driver) -> Any:
    invitation = driver.invitation
    return invitation if invitation and invitation.is_open(timezone.now()) else None


def _driver_for(request: TenantHttpRequest, pk: int) -> Driver:
    return get_object_or_404(request.org.drivers.select_related("vehicle", "user"), pk=pk)


@login_required
def driver_edit(request: TenantHttpRequest, pk: int | None = None) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    driver = _driver_for(request, pk) if pk else None
    if request.method != "POST":
        if driver is None and not _can_edit(request):
            raise PermissionDenied
        return _driver_page(request, driver)
    _require_role(request, COORDINATOR_ONLY)
    form = DriverForm(request.POST, instance=driver, request=request)
    saved = save_form(DriverSerializer, request, form, instance=driver)
    if saved is None:
        return _driver_page(request, driver, status=400, form=form)
    messages.success(request, _("„%(name)s“ wurde gespeichert.") % {"name": saved.name})
    return redirect("driver", pk=saved.pk)


@login_required
@require_POST
def window_add(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    driver = _driver_for(request, pk)
    form = WindowForm(request.POST)
    extra = {"driver": driver.pk}
    saved = save_form(AvailabilitySerializer, request, form, extra=extra, in_org=False)
    if saved is None:
        return _driver_page(request, driver, status=400, window_form=form)
    messages.success(request, _("Die Zeit wurde hinzugefügt."))
    return redirect("driver", pk=driver.pk)


@login_required
@require_POST
def window_remove(request: TenantHttpRequest, pk: int) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    window = get_object_or_404(Availability.objects.for_org(request.org), pk=pk)
    window.delete()
    messages.success(request, _("Die Zeit wurde entfernt."))
    return redirect("driver", pk=window.driver_id)


@login_required
@require_POST
def driver_login(request: TenantHttpRequest, pk: int) -> HttpResponse:
    """A one-time link for the driver's own login, shown once (like the team page's)."""
    _require_role(request, COORDINATOR_ONLY)
    driver = _driver_for(request, pk)
    if driver.user_id is not None:
        messages.info(request, _("Diese Fahrer*in hat schon einen Zugang."))
        return redirect("driver", pk=driver.pk)
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _driver_page(request, driver, status=400, login_form=form)
    issued = invite_driver(driver, form.cleaned_data["email"], request.user)
    if form.cleaned_data["email"]:
        messages.success(
            request, _("Die Einladung wurde an %(email)s geschickt.") % form.cleaned_data
        )
    return _driver_page(request, driver, issued=issued)


# --- vehicles ------------------------------------------------------------------------


class VehicleForm(NoModelRules):
    class Meta:
        model = Vehicle
        fields = [
            "label",
            "seats",
            "child_seats",
            "boosters",
            "wheelchair_places",
            "cost_per_km",
            "is_active",
        ]


@login_required
def vehicle_list(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, STAFF_ROLES)
    vehicles = request.org.vehicles.order_by("-is_active", "label")
    context = {"vehicles": vehicles, "can_edit": _can_edit(request), "nav": "vehicles"}
    return render(request, "frontend/fleet/vehicles.html", context)


@login_required
def vehicle_edit(request: TenantHttpRequest, pk: int | None = None) -> HttpResponse:
    _require_role(request, COORDINATOR_ONLY)
    vehicle = get_object_or_404(request.org.vehicles.all(), pk=pk) if pk else None
    form = VehicleForm(request.POST or None, instance=vehicle)
    if request.method == "POST":
        saved = save_form(VehicleSerializer, request, form, instance=vehicle)
        if saved is not None:
            messages.success(request, _("„%(label)s“ wurde gespeichert.") % {"label": saved.label})
            return redirect("vehicles")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "vehicle": vehicle, "nav": "vehicles"}
    return render(request, "frontend/fleet/vehicle_form.html", context, status=status)


urlpatterns = [
    path("", driver_list, name="fleet"),
    path("fahrer/neu/", driver_edit, name="driver-new"),
    path("fahrer/<int:pk>/", driver_edit, name="driver"),
    path("fahrer/<int:pk>/zeiten/", window_add, name="driver-window-add"),
    path("zeiten/<int:pk>/entfernen/", window_remove, name="driver-window-remove"),
    path("fahrer/<int:pk>/zugang/", driver_login, name="driver-login"),
    path("fahrzeuge/", vehicle_list, name="vehicles"),
    path("fahrzeuge/neu/", vehicle_edit, name="vehicle-new"),
    path("fahrzeuge/<int:pk>/", vehicle_edit, name="vehicle"),
]
