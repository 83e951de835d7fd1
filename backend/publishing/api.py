"""REST API of the published plan: publishing a run, and the publications (history).

Only coordinators publish. The planning-run endpoint is registered here with its
`publish` action added, because publishing builds on planning (never the reverse).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.api.filters import TenantFilterSet
from backend.api.viewsets import TenantGenericViewSet
from backend.organisations.access import COORDINATOR_ONLY, STAFF_ROLES
from backend.planning import api as planning_api
from backend.planning.models import Publication
from backend.publishing.services import PublishError, publish_run, publishable_days


class PublishSerializer(serializers.Serializer):
    confirm_unserved = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Nötig, wenn der Lauf Fahrten nicht fährt: die Person hat die Liste "
            "„Nicht gefahren“ geprüft. Ein Lauf, der kein Kind fährt, wird nie veröffentlicht."
        ),
    )


class PlanningRunViewSet(planning_api.PlanningRunViewSet):
    """Planning runs (see backend/planning/api.py) plus `publish`."""

    def roles_for(self, method: str) -> frozenset[str]:
        if self.action == "publish":
            return COORDINATOR_ONLY
        return super().roles_for(method)

    @extend_schema(request=PublishSerializer, responses={200: planning_api.PlanningRunSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = self.get_object()
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            publish_run(
                run,
                request.user,
                days=publishable_days(run),
                confirm_unserved=body.validated_data["confirm_unserved"],
            )
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
    """Register planning runs and publications on the /api/ router."""
    router.register("planning-runs", PlanningRunViewSet, basename="planning-run")
    router.register("publications", PublicationViewSet, basename="publication")
