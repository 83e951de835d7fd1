"""REST API of planning runs: start and follow them.

Coordinators and staff start and read runs; drivers get 403, other organisations'
runs 404. Planning itself happens in the background: the POST answers 202 with the
queued run at once. The endpoint is registered by `backend/publishing/api.py`, which
adds the `publish` action (publishing builds on planning, not the other way round).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from backend.api.filters import TenantFilterSet
from backend.api.viewsets import TenantGenericViewSet
from backend.lib.bounds import ENDS_BEFORE_START
from backend.organisations.access import STAFF_ROLES
from backend.organisations.models import MAX_TIME_LIMIT, Role
from backend.planning import lease
from backend.planning.models import PlanningRun, Unserved
from backend.planning.problem import PlanningOptions
from backend.planning.services import RunConflict, start_manual_run


class UnservedSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="participant.family.reference", read_only=True)
    reason_display = serializers.SerializerMethodField(
        help_text=(
            "The reason for people, naming the child and the direction, in the request's "
            "language (German by default)."
        )
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
        return item.explanation


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
            "review_reason",
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
        # From the prefetched publications: no query per run.
        return [p.date.isoformat() for p in run.publications.all() if p.is_current]


class PlanningRunCreateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    time_limit = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        help_text="Planner seconds per day; default: the organisation's planning_time_limit.",
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
            raise serializers.ValidationError({"date_to": ENDS_BEFORE_START})
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

    def scope(self, org):
        unserved = Unserved.objects.select_related("participant__family")
        return org.planning_runs.prefetch_related(
            Prefetch("unserved", queryset=unserved), "publications"
        )

    def list(self, request, *args, **kwargs):
        # A run whose worker is gone shows as failed, not as running for ever.
        lease.expire_stale(request.org)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        lease.expire_stale(request.org)
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=PlanningRunCreateSerializer, responses={202: PlanningRunSerializer})
    def create(self, request, *args, **kwargs):
        form = PlanningRunCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        try:
            run = start_manual_run(request.org, request.user, **form.validated_data)
        except RunConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)
