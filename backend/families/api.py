"""REST API of this app: families, consents, participants, enrolments and absences.

Drivers see none of it: these endpoints are for coordinators and staff only.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.api.filters import IdFilter, SessionRecordFilterSet, TenantFilterSet
from backend.api.serializers import (
    ADDRESS_FIELDS,
    AddressSerializer,
    ModelCleanMixin,
    ensure_unique,
)
from backend.api.viewsets import TenantGenericViewSet
from backend.families.models import (
    PICKUP,
    Absence,
    ConsentRecord,
    Enrolment,
    Family,
    Participant,
)
from backend.families.services import report_absence, withdraw_absence, withdraw_consent
from backend.lib import clock
from backend.lib.bounds import date_validators
from backend.offers.models import GroupOffer, Session
from backend.organisations.access import TenantRelatedField, TenantViewSet


def _families(org):
    return org.families.all()


def _participants(org):
    return Participant.objects.for_org(org)


# --- Families ---------------------------------------------------------------


class FamilySerializer(AddressSerializer):
    class Meta:
        model = Family
        fields = [
            "id",
            "reference",
            "contact_name",
            "phone",
            "email",
            "preferred_language",
            *ADDRESS_FIELDS,
            "show_first_names_in_calendar",
            "referral_kind",
            "referral_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["coordinates_source", "created_at", "updated_at"]

    def validate_reference(self, reference: str) -> str:
        others = self.context["request"].org.families.filter(reference=reference)
        ensure_unique(others, self.instance, _("Diese Kennung ist schon vergeben."))
        return reference


class FamilyFilter(TenantFilterSet):
    town = django_filters.CharFilter(lookup_expr="iexact")
    offer = IdFilter(
        field_name="participants__enrolments__offer", distinct=True, label=_("Angebot")
    )

    class Meta:
        model = Family
        fields = ["town", "preferred_language", "offer"]


class FamilyViewSet(TenantViewSet):
    queryset = Family.objects.none()
    serializer_class = FamilySerializer
    filterset_class = FamilyFilter
    ordering_fields = ["reference", "town", "created_at"]

    def scope(self, org):
        return org.families.all()


# --- Consents ---------------------------------------------------------------


class ConsentSerializer(ModelCleanMixin, serializers.ModelSerializer):
    family = TenantRelatedField(queryset=Family.objects.none(), scope=_families)
    recorded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    active_today = serializers.SerializerMethodField()

    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "family",
            "purpose",
            "given_on",
            "recorded_by",
            "withdrawn_on",
            "active_today",
        ]
        read_only_fields = ["withdrawn_on"]

    def get_active_today(self, consent: ConsentRecord) -> bool:
        return consent.is_active_on(clock.today())


class WithdrawSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, validators=date_validators(), help_text="Standard: heute."
    )


class ConsentFilter(TenantFilterSet):
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("gültig am (Datum)"))

    class Meta:
        model = ConsentRecord
        fields = ["family", "purpose", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(given_on__lte=value).exclude(withdrawn_on__lte=value)


class ConsentViewSet(
    TenantGenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """Consent records are evidence: they are created and withdrawn, never edited or deleted."""

    queryset = ConsentRecord.objects.none()
    serializer_class = ConsentSerializer
    filterset_class = ConsentFilter
    ordering_fields = ["given_on", "withdrawn_on"]

    def scope(self, org):
        return ConsentRecord.objects.for_org(org).select_related("recorded_by")

    def create_kwargs(self) -> dict:
        return {"recorded_by": self.request.user}

    @extend_schema(request=WithdrawSerializer, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw at once (default: today). Withdrawing twice changes nothing."""
        consent = self.get_object()
        params = WithdrawSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        on = params.validated_data.get("on") or clock.today()
        consent = withdraw_consent(consent, on)
        return Response(self.get_serializer(consent).data)


# --- Participants -----------------------------------------------------------


class ParticipantSerializer(ModelCleanMixin, serializers.ModelSerializer):
    family = TenantRelatedField(queryset=Family.objects.none(), scope=_families)

    class Meta:
        model = Participant
        fields = [
            "id",
            "family",
            "kind",
            "first_name",
            "birth_year",
            "birth_month",
            "needs_child_seat",
            "needs_booster",
            "needs_wheelchair",
            "needs_escort",
            "max_ride_minutes",
            "driver_note",
        ]


class ParticipantFilter(TenantFilterSet):
    offer = IdFilter(field_name="enrolments__offer", distinct=True, label=_("Angebot"))

    class Meta:
        model = Participant
        fields = ["family", "kind", "offer"]


class ParticipantViewSet(TenantViewSet):
    queryset = Participant.objects.none()
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    ordering_fields = ["first_name", "birth_year", "family__reference"]

    def scope(self, org):
        return _participants(org)


# --- Enrolments -------------------------------------------------------------


class EnrolmentSerializer(ModelCleanMixin, AddressSerializer):
    participant = TenantRelatedField(queryset=Participant.objects.none(), scope=_participants)
    offer = TenantRelatedField(
        queryset=GroupOffer.objects.none(), scope=lambda org: org.group_offers.all()
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "participant",
            "offer",
            "joined_on",
            "left_on",
            "transport",
            *PICKUP.names,
            "created_at",
        ]
        read_only_fields = ["pickup_coordinates_source", "created_at"]


class EnrolmentFilter(TenantFilterSet):
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("aktiv am (Datum)"))
    family = IdFilter(field_name="participant__family")

    class Meta:
        model = Enrolment
        fields = ["offer", "participant", "family", "transport", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(joined_on__lte=value).exclude(left_on__lt=value)


class EnrolmentViewSet(TenantViewSet):
    """Join anytime: an enrolment starts on any date and counts from `joined_on`."""

    queryset = Enrolment.objects.none()
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    ordering_fields = ["joined_on", "left_on", "created_at"]

    def scope(self, org):
        return Enrolment.objects.for_org(org)


# --- Absences ---------------------------------------------------------------


class AbsenceSerializer(serializers.ModelSerializer):
    participant = TenantRelatedField(queryset=Participant.objects.none(), scope=_participants)
    session = TenantRelatedField(
        queryset=Session.objects.none(),
        scope=lambda org: Session.objects.for_org(org),
    )
    reported_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Absence
        fields = ["id", "participant", "session", "source", "reported_by", "reported_at"]
        validators: list = []  # reporting twice is harmless: the service returns the first

    def validate(self, attrs: dict) -> dict:
        participant, session = attrs["participant"], attrs["session"]
        day = session.local_date
        enrolled = participant.enrolments.filter(offer_id=session.offer_id)
        if not any(e.is_active_on(day) for e in enrolled):
            raise serializers.ValidationError(
                {"participant": _("Ist an diesem Tag nicht für dieses Angebot angemeldet.")}
            )
        return attrs


class AbsenceFilter(SessionRecordFilterSet):
    class Meta:
        model = Absence
        fields = ["participant", "session", "offer", "source", "date_from", "date_to"]


class AbsenceViewSet(
    TenantGenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
):
    """'This child will not come.' Reporting again returns the existing absence (200)."""

    queryset = Absence.objects.none()
    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilter
    ordering_fields = ["reported_at", "session__starts_at"]

    def scope(self, org):
        return Absence.objects.for_org(org).select_related("reported_by")

    @extend_schema(responses={201: AbsenceSerializer, 200: AbsenceSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        absence, created = report_absence(
            data["participant"],
            data["session"],
            data.get("source", Absence.Source.STAFF),
            request.user,
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(absence).data, status=code)

    def perform_destroy(self, instance: Absence) -> None:
        withdraw_absence(instance)


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("families", FamilyViewSet, basename="family")
    router.register("consents", ConsentViewSet, basename="consent")
    router.register("participants", ParticipantViewSet, basename="participant")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("absences", AbsenceViewSet, basename="absence")
