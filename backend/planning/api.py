"""REST API of this app: planning runs (start, follow, publish) and publications.

Coordinators and staff start and read runs; only coordinators publish. Drivers get
403, other organisations' runs 404. Planning itself happens in the background: the
POST answers 202 with the queued run at once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.api.filters import TenantFilterSet
from backend.api.viewsets import TenantGenericViewSet
from backend.organisations.access import COORDINATOR_ONLY, STAFF_ROLES
from backend.organisations.models import Role
from backend.transport.models import PlanningRun, Publication, Unserved
from backend.transport.problem import PlanningOptions
from backend.transport.reasons import reason_display
from backend.transport.services import (
    MAX_TIME_LIMIT,
    PublishError,
    RunConflict,
    publish_run,
    start_run,
)


class UnservedSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="participant.family.reference", read_only=True)
    reason_display = serializers.SerializerMethodField(
        help_text="The reason in the request's language (German by default)."
    )

    class Meta:
        model = Unserved
        fields = [
            "date",
            "request_id",
            "participant",
            "family",
            "session",
            "direction",
            "reason",
            "reason_display",
        ]

    def get_reason_display(self, item: Unserved) -> str:
        return reason_display(item.reason)


class PlanningRunSerializer(serializers.ModelSerializer):
    unserved = UnservedSerializer(many=True, read_only=True)
    published_dates = serializers.SerializerMethodField()

    class Meta:
        model = PlanningRun
        fields = [
            "id",
            "date_from",
            "date_to",
            "status",
            "progress",
            "error",
            "time_limit",
            "options",
            "trigger",
            "created_at",
            "started_at",
            "finished_at",
            "figures",
            "affected",
            "unserved",
            "published_dates",
        ]
        read_only_fields = fields

    def get_published_dates(self, run: PlanningRun) -> list[str]:
        return [p.date.isoformat() for p in run.publications.all() if p.superseded_at is None]


class PlanningRunCreateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    time_limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_TIME_LIMIT, default=settings.PLANNING_TIME_LIMIT
    )
    options = serializers.DictField(required=False, default=dict)
    publish = serializers.BooleanField(
        required=False, default=False, help_text="Publish when done (coordinators only)."
    )

    def validate_options(self, options: dict) -> dict:
        if "publish" in options:
            # Publishing is the checked top-level `publish` flag, never a planning option.
            raise serializers.ValidationError(
                {"publish": _("Keine Planungsoption: das Feld publish verwenden.")}
            )
        try:
            PlanningOptions.from_dict(options)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return options

    def validate_publish(self, publish: bool) -> bool:
        if publish and self.context["request"].role != Role.COORDINATOR:
            raise serializers.ValidationError(_("Nur die Koordination darf veröffentlichen."))
        return publish

    def validate(self, attrs: dict) -> dict:
        day = attrs.pop("date", None)
        if day is not None and ("date_from" in attrs or "date_to" in attrs):
            raise serializers.ValidationError({"date": _("Entweder date oder date_from/date_to.")})
        if day is not None:
            attrs["date_from"] = attrs["date_to"] = day
        missing = {
            k: _("Pflichtfeld (oder date angeben).")
            for k in ("date_from", "date_to")
            if k not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": _("Das Ende liegt vor dem Beginn.")})
        return attrs


class PlanningRunFilter(TenantFilterSet):
    class Meta:
        model = PlanningRun
        fields = ["status", "trigger"]


class PlanningRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet):
    queryset = PlanningRun.objects.none()
    serializer_class = PlanningRunSerializer
    read_roles = STAFF_ROLES
    write_roles = STAFF_ROLES
    filterset_class = PlanningRunFilter
    ordering_fields = ["created_at", "date_from"]

    def roles_for(self, method: str) -> frozenset[str]:
        if self.action == "publish":
            return COORDINATOR_ONLY
        return super().roles_for(method)

    def scope(self, org):
        unserved = Unserved.objects.select_related("participant__family")
        return org.planning_runs.prefetch_related(
            Prefetch("unserved", queryset=unserved), "publications"
        )

    @extend_schema(request=PlanningRunCreateSerializer, responses={202: PlanningRunSerializer})
    def create(self, request, *args, **kwargs):
        form = PlanningRunCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            run = start_run(
                request.org,
                data["date_from"],
                data["date_to"],
                data["time_limit"],
                data["options"],
                request.user,
                "manual",
                publish=data["publish"],
            )
        except RunConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: PlanningRunSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = self.get_object()
        try:
            publish_run(run, request.user)
        except PublishError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        run = self.get_queryset().get(pk=run.pk)
        return Response(self.get_serializer(run).data)


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = [
            "id",
            "date",
            "run",
            "published_at",
            "superseded_at",
            "needs_replan",
            "replan_reason",
        ]
        read_only_fields = fields


class PublicationFilter(TenantFilterSet):
    """`run` is a plain id on the scoped queryset: another organisation's run finds nothing."""

    class Meta:
        model = Publication
        fields = ["date", "run", "needs_replan"]


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantGenericViewSet):
    """Published plans per day, current and superseded (history)."""

    queryset = Publication.objects.none()
    serializer_class = PublicationSerializer
    read_roles = STAFF_ROLES
    write_roles = frozenset()
    filterset_class = PublicationFilter
    ordering_fields = ["date", "published_at"]

    def scope(self, org):
        return org.publications.all()


def register(router) -> None:
    """Register this app's ViewSets on the /api/ router."""
    router.register("planning-runs", PlanningRunViewSet, basename="planning-run")
    router.register("publications", PublicationViewSet, basename="publication")
