"""REST API of this app: the requesting user's organisation and its memberships."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers

from backend.api.filters import TenantFilterSet
from backend.api.serializers import ensure_unique
from backend.api.viewsets import PatchOnlyMixin, TenantGenericViewSet
from backend.organisations.access import ALL_ROLES, COORDINATOR_ONLY, TenantViewSet
from backend.organisations.models import Membership, Organisation, Role

LAST_COORDINATOR = _("Die Organisation braucht mindestens eine Koordination.")


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
            "website",
            "town",
            "detour_factor",
            "average_speed_kmh",
            "auto_replan_on_absence",
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


class AddableUserField(serializers.SlugRelatedField):
    """An active account, by username, that belongs to no *other* organisation.

    Otherwise a coordinator could add anyone's account to their organisation, and that
    person, now in two organisations, would have to pick one with a header on every
    request. Accounts for several organisations are set up by an administrator.
    """

    def get_queryset(self):
        org = getattr(self.context.get("request"), "org", None)
        if org is None:
            return get_user_model().objects.none()
        elsewhere = Membership.objects.filter(user=OuterRef("pk")).exclude(organisation=org)
        return get_user_model().objects.filter(is_active=True).exclude(Exists(elsewhere))


class MembershipSerializer(serializers.ModelSerializer):
    user = AddableUserField(
        slug_field="username",
        queryset=get_user_model().objects.none(),
        help_text="Benutzername eines bestehenden Kontos, das zu keiner anderen Organisation gehört.",
    )

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = ["created_at"]

    def validate_user(self, user):
        others = self.context["request"].org.memberships.filter(user=user)
        ensure_unique(others, self.instance, _("Dieses Konto gehört schon zur Organisation."))
        return user

    def validate_role(self, role):
        if (
            self.instance is not None
            and role != Role.COORDINATOR
            and is_last_coordinator(self.instance)
        ):
            raise serializers.ValidationError(LAST_COORDINATOR)
        return role


def is_last_coordinator(membership: Membership) -> bool:
    """True if removing or demoting this membership would leave no coordinator."""
    if membership.role != Role.COORDINATOR:
        return False
    others = membership.organisation.memberships.filter(role=Role.COORDINATOR)
    return not others.exclude(pk=membership.pk).exists()


class MembershipFilter(TenantFilterSet):
    class Meta:
        model = Membership
        fields = ["role"]


class MembershipViewSet(TenantViewSet):
    """Who acts for the organisation, and in which role. Coordinators only."""

    queryset = Membership.objects.none()
    serializer_class = MembershipSerializer
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY
    filterset_class = MembershipFilter
    ordering_fields = ["created_at", "role"]
    ordering = ["created_at"]

    def scope(self, org):
        return org.memberships.select_related("user")

    @transaction.atomic
    def perform_destroy(self, instance: Membership) -> None:
        if is_last_coordinator(instance):
            raise serializers.ValidationError({"detail": LAST_COORDINATOR})
        instance.delete()


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("memberships", MembershipViewSet, basename="membership")
