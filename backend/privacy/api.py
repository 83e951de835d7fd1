"""REST API of the GDPR duties (coordinators only): Art. 15 export, audit log, retention preview."""

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.api.filters import IdFilter, TenantFilterSet
from backend.api.renderers import PDFRenderer
from backend.api.viewsets import TenantGenericViewSet
from backend.families.models import Family
from backend.organisations.access import COORDINATOR_ONLY
from backend.privacy import export, retention
from backend.privacy.models import AuditEntry


class FamilyExportViewSet(TenantGenericViewSet):
    """Art. 15 GDPR: everything stored about one family, as JSON or as a German PDF.

    Every export is written to the audit log.
    """

    queryset = Family.objects.none()
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY
    serializer_class = serializers.Serializer
    pagination_class = None
    filter_backends: list = []

    def scope(self, org):
        return org.families.select_related("organisation")

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Die Auskunft als JSON")}
    )
    @action(detail=True)
    def export(self, request, pk=None):
        return export.export_response(request._request, self.get_object(), "json")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        return export.export_response(request._request, self.get_object(), "pdf")


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "username",
            "family",
            "family_reference",
            "action",
            "action_label",
            "channel",
            "detail",
        ]
        read_only_fields = fields


class AuditEntryFilter(TenantFilterSet):
    family = IdFilter()
    family_reference = django_filters.CharFilter(lookup_expr="iexact")
    username = django_filters.CharFilter(lookup_expr="iexact")
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = ["family", "family_reference", "username", "action", "channel"]


class AuditEntryViewSet(TenantGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Who read or changed which family's data, when and how (newest first)."""

    queryset = AuditEntry.objects.none()
    serializer_class = AuditEntrySerializer
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY
    filterset_class = AuditEntryFilter
    ordering_fields = ["at"]

    def scope(self, org):
        return org.audit_entries.all()


class DueFamilySerializer(serializers.Serializer):
    family_id = serializers.IntegerField()
    reference = serializers.CharField()
    last_active = serializers.DateField(allow_null=True)
    participants = serializers.IntegerField()
    consents = serializers.IntegerField()
    addresses = serializers.IntegerField()


class RetentionReportSerializer(serializers.Serializer):
    cutoff = serializers.DateField(help_text="Teilnahmen, die vor diesem Tag endeten, sind fällig.")
    families = DueFamilySerializer(many=True)
    expired_audit_entries = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class RetentionViewSet(TenantGenericViewSet):
    """What the next `lotse retention` would anonymise in this organisation (a dry run)."""

    queryset = Family.objects.none()
    serializer_class = RetentionReportSerializer
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY
    pagination_class = None
    filter_backends: list = []

    @extend_schema(responses={200: RetentionReportSerializer})
    @action(detail=False, url_path="dry-run")
    def dry_run(self, request):
        now = timezone.now()
        report = retention.run(timezone.localdate(now), now, dry_run=True, org=request.org)
        return Response(RetentionReportSerializer(report).data)


def register(router) -> None:
    router.register("privacy/families", FamilyExportViewSet, basename="family-export")
    router.register("privacy/audit-log", AuditEntryViewSet, basename="audit-entry")
    router.register("privacy/retention", RetentionViewSet, basename="retention")
