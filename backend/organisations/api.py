"""REST API of this app: the requesting user's organisation and its memberships."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers

from backend.api.filters import TenantFilterSet
from backend.api.viewsets import PatchOnlyMixin, TenantGenericViewSet
from backend.organisations.access import ALL_ROLES, COORDINATOR_ONLY
from backend.organisations.models import Membership, Organisation
from backend.organisations.services import check_role_change, remove_member


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "contact_name",
            "contact_email",
            "contact_phone",
            "dispatch_phone",
            "website",
            "town",
            "detour_factor",
            "average_speed_kmh",
            "auto_replan_on_absence",
            "planning_time_limit",
            "driver_cost_per_hour",
            "driver_allowance_per_trip",
            "fixed_costs_per_month",
            "shares_with_office",
            "created_at",
        ]
        # The short name and the kind identify the tenant; only an admin changes them.
        read_only_fields = ["slug", "kind", "created_at"]


class OrganisationViewSet(
    TenantGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, PatchOnlyMixin
):
    """Your own organisation. Coordinators may change its settings."""

    queryset = Organisation.objects.none()
    serializer_class = OrganisationSerializer
    read_roles = ALL_ROLES
    write_roles = COORDINATOR_ONLY
    ordering_fields = ["name"]

    def scope(self, org):
        return Organisation.objects.filter(pk=org.pk)


class MembershipSerializer(serializers.ModelSerializer):
    user: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = ["created_at"]

    def validate_role(self, role):
        if self.instance is not None:
            try:
                check_role_change(self.instance, role)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return role


class MembershipFilter(TenantFilterSet):
    class Meta:
        model = Membership
        fields = ["role"]


class MembershipViewSet(
    TenantGenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
):
    """Who acts for the organisation, and in which role. Coordinators only.

    New members come only by invitation (`/api/invitations/`): an existing account
    can never be added, so nothing here reveals whether a username exists.
    """

    queryset = Membership.objects.none()
    serializer_class = MembershipSerializer
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY
    filterset_class = MembershipFilter
    ordering_fields = ["created_at", "role"]
    ordering = ["created_at"]

    def scope(self, org):
        return org.memberships.select_related("user")

    def perform_destroy(self, instance: Membership) -> None:
        try:
            remove_member(instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"detail": exc.messages[0]}) from None


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("memberships", MembershipViewSet, basename="membership")
