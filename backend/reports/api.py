"""REST API of the reports (registered by register()): `/api/reports/`.

The same report as the pages (`/berichte/`), for the same people: coordinators and staff
of a provider see their provider (`?gruppe=<id>`: one of its groups); the coordination
office sees the district, anonymous. The period comes in the page's parameters:
`zeitraum` (12monate, monat, quartal, jahr, frei), `jahr`, `monat`, `quartal`, `von`,
`bis` (JJJJ-MM-TT). Bad values answer 400 with a German message per parameter.

- `GET /api/reports/`: period, scope, key figures, tables and the methods note (JSON);
- `GET /api/reports/pdf/`, `…/xlsx/`, `…/csv/` (a zip with one CSV per table).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from backend.api.renderers import PDFRenderer
from backend.api.viewsets import TenantGenericViewSet
from backend.lib import clock
from backend.organisations.access import TenantRequest
from backend.organisations.models import Organisation
from backend.reports import engine, exports, plots
from backend.reports.access import REPORT_ROLES, scope_for
from backend.reports.models import TransportDay
from backend.reports.periods import KINDS, PeriodError, period_from

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XLSXRenderer(PDFRenderer):
    media_type = XLSX
    format = "xlsx"


class ZipRenderer(PDFRenderer):
    media_type = "application/zip"
    format = "zip"


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text="Zellen: Zahlen, Text oder „< 5“ (Koordinierungsstelle: kleine Anzahlen)",
    )
    note = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    value = serializers.JSONField(allow_null=True)


class MethodSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    scope = serializers.CharField()
    district = serializers.BooleanField()
    group = serializers.IntegerField(allow_null=True)
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureSerializer(many=True)
    tables = TableSerializer(many=True)
    methods = MethodSerializer(many=True)


def report_data(report: engine.Report) -> dict[str, Any]:
    return {
        "scope": report.scope.label,
        "district": report.scope.district,
        "group": report.scope.offer.pk if report.scope.offer else None,
        "period": report.period.label,
        "start": report.period.start,
        "end": report.period.end,
        "figures": [{"label": k, "value": exports.raw(v)} for k, v in report.figures],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": t.columns,
                "rows": [[exports.raw(c) for c in row] for row in t.rows],
                "note": t.note,
            }
            for t in report.tables
        ],
        "methods": [{"title": t, "text": x} for t, x in report.methods],
    }


PARAMETERS = [
    OpenApiParameter("zeitraum", str, enum=list(KINDS), description="Art des Zeitraums"),
    OpenApiParameter("jahr", int, description="Jahr (monat, quartal, jahr)"),
    OpenApiParameter("monat", int, description="1–12 (zeitraum=monat)"),
    OpenApiParameter("quartal", int, description="1–4 (zeitraum=quartal)"),
    OpenApiParameter("von", OpenApiTypes.DATE, description="erster Tag (zeitraum=frei)"),
    OpenApiParameter("bis", OpenApiTypes.DATE, description="letzter Tag (zeitraum=frei)"),
    OpenApiParameter("gruppe", int, description="eine eigene Gruppe (nur Träger)"),
]


class ReportViewSet(TenantGenericViewSet):
    """The report of the requesting organisation (provider or coordination office)."""

    queryset = TransportDay.objects.none()
    read_roles = REPORT_ROLES
    pagination_class = None
    filter_backends: list[Any] = []

    def scope(self, org: Organisation):
        return TransportDay.objects.for_org(org)

    def _report(self, request: TenantRequest) -> engine.Report:
        try:
            period = period_from(request.query_params, clock.today())
            return engine.build(scope_for(request.org, request.query_params.get("gruppe")), period)
        except PeriodError as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None

    @extend_schema(parameters=PARAMETERS, responses=ReportSerializer)
    def list(self, request: TenantRequest) -> Response:
        return Response(ReportSerializer(report_data(self._report(request))).data)

    def _file(self, report: engine.Report, content: bytes, media: str, suffix: str) -> HttpResponse:
        response = HttpResponse(content, content_type=media)
        name = f"{exports.file_stem(report)}.{suffix}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(parameters=PARAMETERS, responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=False, renderer_classes=[PDFRenderer])
    def pdf(self, request: TenantRequest) -> HttpResponse:
        report = self._report(request)
        return self._file(
            report, exports.pdf(report, plots.all_plots(report)), "application/pdf", "pdf"
        )

    @extend_schema(parameters=PARAMETERS, responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, renderer_classes=[XLSXRenderer])
    def xlsx(self, request: TenantRequest) -> HttpResponse:
        report = self._report(request)
        return self._file(report, exports.xlsx(report), XLSX, "xlsx")

    @extend_schema(parameters=PARAMETERS, responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=False, renderer_classes=[ZipRenderer])
    def csv(self, request: TenantRequest) -> HttpResponse:
        report = self._report(request)
        return self._file(report, exports.csv_zip(report), "application/zip", "zip")


def register(router) -> None:
    router.register("reports", ReportViewSet, basename="report")
