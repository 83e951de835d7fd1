"""REST API of this app: drivers, their weekly availability, and vehicles.

Coordinators manage the fleet, staff read it, and a driver sees only their own record.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from backend.api.filters import TenantFilterSet
from backend.api.serializers import (
    ADDRESS_FIELDS,
    AddressSerializer,
    ModelCleanMixin,
    ensure_unique,
)
from backend.fleet.models import Availability, Driver, Vehicle
from backend.lib import clock
from backend.lib.address import HOME
from backend.organisations.access import (
    ALL_ROLES,
    COORDINATOR_ONLY,
    TenantRelatedField,
    TenantViewSet,
)
from backend.organisations.models import Role

# --- Vehicles ---------------------------------------------------------------


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = [
            "id",
            "label",
            "seats",
            "child_seats",
            "boosters",
            "wheelchair_places",
            "cost_per_km",
            "is_active",
        ]


class VehicleFilter(TenantFilterSet):
    min_seats = django_filters.NumberFilter(field_name="seats", lookup_expr="gte")
    wheelchair = django_filters.BooleanFilter(
        method="filter_wheelchair", label=_("mit Rollstuhlplatz")
    )

    class Meta:
        model = Vehicle
        fields = ["is_active", "min_seats", "wheelchair"]

    def filter_wheelchair(self, queryset, name, value):
        return (
            queryset.filter(wheelchair_places__gt=0)
            if value
            else queryset.filter(wheelchair_places=0)
        )


class VehicleViewSet(TenantViewSet):
    queryset = Vehicle.objects.none()
    serializer_class = VehicleSerializer
    write_roles = COORDINATOR_ONLY
    filterset_class = VehicleFilter
    ordering_fields = ["label", "seats"]

    def scope(self, org):
        return org.vehicles.all()


# --- Availability -----------------------------------------------------------


class AvailabilitySerializer(ModelCleanMixin, serializers.ModelSerializer):
    driver = TenantRelatedField(queryset=Driver.objects.none(), scope=lambda org: org.drivers.all())

    class Meta:
        model = Availability
        fields = ["id", "driver", "weekday", "start_time", "end_time"]


class AvailabilityFilter(TenantFilterSet):
    class Meta:
        model = Availability
        fields = ["driver", "weekday"]


class AvailabilityViewSet(TenantViewSet):
    """Weekly time windows (0 = Monday) in which a driver can drive."""

    queryset = Availability.objects.none()
    serializer_class = AvailabilitySerializer
    write_roles = COORDINATOR_ONLY
    filterset_class = AvailabilityFilter
    ordering_fields = ["weekday", "start_time"]

    def scope(self, org):
        return Availability.objects.for_org(org)


# --- Drivers ----------------------------------------------------------------


class WindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Availability
        fields = ["id", "weekday", "start_time", "end_time"]
        read_only_fields = fields


class DriverSerializer(AddressSerializer):
    user = TenantRelatedField(
        queryset=get_user_model().objects.none(),
        scope=lambda org: get_user_model().objects.filter(memberships__organisation=org),
        allow_null=True,
        required=False,
        help_text="Konto der Fahrer*in (Mitglied der Organisation), für die eigene Ansicht.",
    )
    vehicle = TenantRelatedField(
        queryset=Vehicle.objects.none(),
        scope=lambda org: org.vehicles.all(),
        allow_null=True,
        required=False,
    )
    certificate_status = serializers.SerializerMethodField(
        help_text="Erweitertes Führungszeugnis (§72a SGB VIII): missing, expired oder valid."
    )
    availability = WindowSerializer(many=True, read_only=True)

    class Meta:
        model = Driver
        fields = [
            "id",
            "name",
            "phone",
            "user",
            *ADDRESS_FIELDS,
            "vehicle",
            "provides_escort",
            "volunteer",
            "certificate_date",
            "certificate_status",
            "is_active",
            "availability",
        ]
        # Routes start and end at the driver's home: without coordinates they come from
        # the address (the model places it on save, or answers 400 on `postcode`).
        read_only_fields = [HOME.source]

    def get_certificate_status(self, driver: Driver) -> str:
        return driver.certificate_status(clock.today())

    def validate_user(self, user):
        if user is None:
            return None
        others = self.context["request"].org.drivers.filter(user=user)
        ensure_unique(others, self.instance, _("Dieses Konto gehört schon zu einer Fahrer*in."))
        return user

    def validate_certificate_date(self, value):
        if value is not None and value > clock.today():
            raise serializers.ValidationError(_("Das Datum liegt in der Zukunft."))
        return value


class DriverFilter(TenantFilterSet):
    class Meta:
        model = Driver
        fields = ["is_active", "vehicle", "provides_escort"]


class DriverViewSet(TenantViewSet):
    """Drivers. A driver's own token lists only their own record."""

    queryset = Driver.objects.none()
    serializer_class = DriverSerializer
    read_roles = ALL_ROLES
    write_roles = COORDINATOR_ONLY
    filterset_class = DriverFilter
    ordering_fields = ["name", "certificate_date"]

    def scope(self, org):
        drivers = org.drivers.prefetch_related("availability")
        if self.request.role == Role.DRIVER:
            return drivers.filter(user=self.request.user)
        return drivers


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("drivers", DriverViewSet, basename="driver")
    router.register("availability", AvailabilityViewSet, basename="availability")
    router.register("vehicles", VehicleViewSet, basename="vehicle")
