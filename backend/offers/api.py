"""REST API of this app: venues, closures, group offers, sessions, attendance. The public
catalogue of offers is the guide's (backend/guide/api.py)."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.api.filters import SessionRecordFilterSet, TenantFilterSet
from backend.api.serializers import (
    ADDRESS_FIELDS,
    AddressSerializer,
    CountSerializer,
    ModelCleanMixin,
    ensure_unique,
)
from backend.api.viewsets import TenantGenericViewSet
from backend.lib import clock
from backend.lib.address import HOME
from backend.lib.bounds import ENDS_BEFORE_START, moment_validators
from backend.offers.models import (
    Attendance,
    ClosurePeriod,
    GroupOffer,
    Sector,
    Session,
    Venue,
)
from backend.offers.services import materialise_sessions
from backend.organisations.access import COORDINATOR_ONLY, TenantRelatedField, TenantViewSet

# --- Venues -----------------------------------------------------------------


class VenueSerializer(AddressSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", *ADDRESS_FIELDS, "accessibility_notes"]
        read_only_fields = [HOME.source]


class VenueFilter(TenantFilterSet):
    town = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Venue
        fields = ["town"]


class VenueViewSet(TenantViewSet):
    queryset = Venue.objects.none()
    serializer_class = VenueSerializer
    delete_roles = COORDINATOR_ONLY
    filterset_class = VenueFilter
    ordering_fields = ["name", "town"]

    def scope(self, org):
        return org.venues.all()


# --- Closures ---------------------------------------------------------------


class ClosureSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = ClosurePeriod
        fields = ["id", "name", "start_date", "end_date"]


class ClosureFilter(TenantFilterSet):
    date_from = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = ClosurePeriod
        fields = ["date_from", "date_to"]


class ClosureViewSet(TenantViewSet):
    """Closure periods (school holidays, summer break): no group meets on these days."""

    queryset = ClosurePeriod.objects.none()
    serializer_class = ClosureSerializer
    write_roles = COORDINATOR_ONLY
    filterset_class = ClosureFilter
    ordering_fields = ["start_date", "end_date", "name"]

    def scope(self, org):
        return org.closures.all()


# --- Group offers -----------------------------------------------------------


class GroupOfferSerializer(ModelCleanMixin, serializers.ModelSerializer):
    venue = TenantRelatedField(queryset=Venue.objects.none(), scope=lambda org: org.venues.all())
    paired_offer = TenantRelatedField(
        queryset=GroupOffer.objects.none(),
        scope=lambda org: org.group_offers.all(),
        allow_null=True,
        required=False,
        help_text="Die Elterngruppe, die zur selben Zeit stattfindet.",
    )
    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=Sector.choices), required=False, max_length=6
    )
    schedule_summary = serializers.CharField(read_only=True)

    class Meta:
        model = GroupOffer
        fields = [
            "id",
            "title",
            "calendar_title",
            "public_description",
            "venue",
            "audience",
            "min_age",
            "max_age",
            "rrule",
            "start_time",
            "duration_minutes",
            "schedule_summary",
            "first_date",
            "last_date",
            "capacity",
            "join_anytime",
            "registration_required",
            "paired_offer",
            "holiday_region",
            "sectors",
            "free_of_charge",
            "listed",
            "listing_approved",
            "show_address",
            "shuttle_offered",
            "easy_language",
            "created_at",
            "updated_at",
        ]
        # Only a coordinator approves an offer for the public guide (`approve_listing`).
        read_only_fields = ["listing_approved"]

    def validate_sectors(self, sectors: list[str]) -> list[str]:
        return list(dict.fromkeys(sectors))  # drop duplicates, keep order


class GroupOfferFilter(TenantFilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices, method="filter_sector")
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("läuft am (Datum)"))

    class Meta:
        model = GroupOffer
        fields = ["venue", "audience", "registration_required", "holiday_region"]

    def filter_sector(self, queryset, name, value):
        # JSON list membership that works on SQLite and PostgreSQL alike.
        return queryset.filter(sectors__icontains=f'"{value}"')

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(first_date__lte=value).exclude(last_date__lt=value)


class MaterialiseSerializer(serializers.Serializer):
    weeks = serializers.IntegerField(
        min_value=1, max_value=104, default=settings.SESSION_HORIZON_WEEKS
    )


class GroupOfferViewSet(TenantViewSet):
    queryset = GroupOffer.objects.none()
    serializer_class = GroupOfferSerializer
    filterset_class = GroupOfferFilter
    ordering_fields = ["title", "first_date", "start_time", "created_at"]

    def scope(self, org):
        return org.group_offers.select_related("venue")

    def roles_for(self, method: str) -> frozenset[str]:
        if self.action in ("approve_listing", "withdraw_listing"):
            return COORDINATOR_ONLY
        return super().roles_for(method)

    @extend_schema(request=None, responses={200: GroupOfferSerializer})
    @action(detail=True, methods=["post"], url_path="approve-listing")
    def approve_listing(self, request, pk=None):
        """Coordinators only: the offer may appear in the public guide (if it is listed)."""
        return self._set_approval(True)

    @extend_schema(request=None, responses={200: GroupOfferSerializer})
    @action(detail=True, methods=["post"], url_path="withdraw-listing")
    def withdraw_listing(self, request, pk=None):
        """Coordinators only: take the offer out of the public guide again."""
        return self._set_approval(False)

    def _set_approval(self, approved: bool) -> Response:
        offer = self.get_object()
        offer.listing_approved = approved
        offer.save(update_fields=["listing_approved", "updated_at"])
        return Response(self.get_serializer(offer).data)

    @extend_schema(request=MaterialiseSerializer, responses={200: CountSerializer})
    @action(detail=True, methods=["post"])
    def materialise(self, request, pk=None):
        """Create the missing sessions from today for the given number of weeks
        (skipping public holidays and closures). Existing sessions stay as they are."""
        offer = self.get_object()
        params = MaterialiseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        created = materialise_sessions(offer, clock.today(), params.validated_data["weeks"])
        return Response({"created": len(created)})


# --- Sessions ---------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    offer_title = serializers.CharField(source="offer.title", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "offer",
            "offer_title",
            "occurrence_date",
            "starts_at",
            "ends_at",
            "venue",
            "status",
            "cancel_reason",
            "sequence",
            "updated_at",
        ]
        read_only_fields = fields


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(validators=moment_validators())
    ends_at = serializers.DateTimeField(validators=moment_validators())
    venue = TenantRelatedField(
        queryset=Venue.objects.none(),
        scope=lambda org: org.venues.all(),
        required=False,
        help_text="Leer lassen, um den Ort zu behalten.",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": ENDS_BEFORE_START})
        return attrs


class SessionFilter(TenantFilterSet):
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Session
        fields = ["offer", "venue", "status", "date_from", "date_to"]


class SessionViewSet(TenantGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Sessions come from the offer's schedule (see the offer's `materialise` action).

    They are never edited or deleted directly: `cancel`, `move` and `reinstate` keep the
    session's identity and raise `sequence`, which calendar subscribers rely on.
    """

    queryset = Session.objects.none()
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["starts_at", "occurrence_date", "updated_at"]

    def scope(self, org):
        return Session.objects.for_org(org).select_related("offer")

    @extend_schema(request=CancelSerializer, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        if session.is_cancelled:
            raise serializers.ValidationError({"status": _("Der Termin ist bereits abgesagt.")})
        params = CancelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        session.cancel(params.validated_data["reason"])
        return Response(SessionSerializer(session).data)

    @extend_schema(request=MoveSerializer, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        session = self.get_object()
        params = MoveSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        session.move(data["starts_at"], data["ends_at"], data.get("venue", session.venue))
        return Response(SessionSerializer(session).data)

    @extend_schema(request=None, responses={200: SessionSerializer})
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        session = self.get_object()
        if not session.is_cancelled:
            raise serializers.ValidationError({"status": _("Der Termin ist nicht abgesagt.")})
        session.reinstate()
        return Response(SessionSerializer(session).data)


# --- Attendance -------------------------------------------------------------


class AttendanceSerializer(ModelCleanMixin, serializers.ModelSerializer):
    session = TenantRelatedField(
        queryset=Session.objects.none(),
        scope=lambda org: Session.objects.for_org(org),
    )

    class Meta:
        model = Attendance
        fields = ["id", "session", "children", "adults", "walk_ins", "updated_at"]
        validators: list = []  # the unique session check below names the field

    def validate_session(self, session: Session) -> Session:
        others = Attendance.objects.filter(session=session)
        ensure_unique(others, self.instance, _("Für diesen Termin gibt es schon Zahlen."))
        return session


class AttendanceFilter(SessionRecordFilterSet):
    class Meta:
        model = Attendance
        fields = ["session", "offer", "date_from", "date_to"]


class AttendanceViewSet(TenantViewSet):
    """Anonymous head counts per session, walk-ins included."""

    queryset = Attendance.objects.none()
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    ordering_fields = ["session__starts_at", "updated_at"]
    ordering = ["session__starts_at"]

    def scope(self, org):
        return Attendance.objects.for_org(org)


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("venues", VenueViewSet, basename="venue")
    router.register("closures", ClosureViewSet, basename="closure")
    router.register("group-offers", GroupOfferViewSet, basename="group-offer")
    router.register("sessions", SessionViewSet, basename="session")
    router.register("attendance", AttendanceViewSet, basename="attendance")
