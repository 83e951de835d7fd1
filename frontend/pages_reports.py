"""Report pages under /berichte/ (coordinators and staff of a provider; the coordination
office sees the district's anonymous figures).

- `/berichte/`: period picker (GET form), scope switch (whole provider or one group),
  key figures, tables, plots; links to the files below with the same query string;
- `/berichte/bericht.pdf`, `/berichte/bericht.xlsx`, `/berichte/tabellen.zip` (one CSV
  per table), `/berichte/tabelle/<key>.csv` (one table).

The figures come from `backend/reports/engine.py`; files from `exports.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from backend.lib import clock
from backend.organisations.access import TenantHttpRequest
from backend.organisations.models import Organisation
from backend.reports import engine, exports, plots
from backend.reports.access import REPORT_ROLES, scope_for
from backend.reports.periods import KINDS, MONTHS, Period, PeriodError, period_from
from frontend.pages_provider import _require_role

FILES = {
    "pdf": ("application/pdf", exports.pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.xlsx),
}


def _build(request: TenantHttpRequest) -> engine.Report:
    _require_role(request, REPORT_ROLES, office=True)
    period = period_from(request.GET, clock.today())
    return engine.build(scope_for(request.org, request.GET.get("gruppe")), period)


def _query(report: engine.Report) -> str:
    params = report.period.query()
    if report.scope.offer is not None:
        params["gruppe"] = str(report.scope.offer.pk)
    return urlencode(params)


@login_required
def report_page(request: TenantHttpRequest) -> HttpResponse:
    _require_role(request, REPORT_ROLES, office=True)
    context = {
        "kinds": KINDS,
        "months": list(enumerate(MONTHS, start=1)),
        "chosen": _entered(request),
        "office": request.org.kind == Organisation.Kind.COORDINATION,
        "groups": request.org.group_offers.order_by("title").values_list("pk", "title"),
    }
    try:
        report = _build(request)
    except PeriodError as exc:
        context["errors"] = exc.errors
        return render(request, "frontend/reports/report.html", context, status=400)
    context.update(
        report=report,
        figures=exports.view_figures(report),
        tables=exports.view_tables(report),
        plots=plots.all_plots(report),
        query=_query(report),
        chosen=_chosen(report.period, request),
    )
    return render(request, "frontend/reports/report.html", context)


FIELDS = ("zeitraum", "jahr", "monat", "quartal", "von", "bis", "gruppe")


def _entered(request: TenantHttpRequest) -> dict[str, str]:
    """What the person entered (the form shown again with an error)."""
    values = {name: request.GET.get(name, "") for name in FIELDS}
    values["jahr"] = values["jahr"] or str(clock.today().year)
    return values


def _chosen(period: Period, request: TenantHttpRequest) -> dict[str, str]:
    """The form's values for the period shown (defaults filled in)."""
    values = {
        "zeitraum": period.kind,
        "jahr": str(period.start.year),
        "monat": str(period.start.month),
        "quartal": str((period.start.month - 1) // 3 + 1),
        "von": period.start.isoformat(),
        "bis": period.end.isoformat(),
    }
    values["gruppe"] = request.GET.get("gruppe", "")
    return values


def _file(report: engine.Report, content: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"{exports.file_stem(report)}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_file(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A file of the report the query asks for; a bad period answers 400 with its errors
    as plain text (there is no page to show them on)."""

    @login_required
    @functools.wraps(view)
    def with_report(request: TenantHttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            report = _build(request)
        except PeriodError as exc:
            text = "\n".join(f"{k}: {v}" for k, v in exc.errors.items())
            return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
        return view(request, report, **kwargs)

    return with_report


@_report_file
def report_file(request: TenantHttpRequest, report: engine.Report, kind: str) -> HttpResponse:
    if kind == "pdf":
        return _file(report, exports.pdf(report, plots.all_plots(report)), FILES["pdf"][0], "pdf")
    return _file(report, exports.xlsx(report), FILES["xlsx"][0], "xlsx")


@_report_file
def report_zip(request: TenantHttpRequest, report: engine.Report) -> HttpResponse:
    return _file(report, exports.csv_zip(report), "application/zip", "zip")


@_report_file
def report_csv(request: TenantHttpRequest, report: engine.Report, key: str) -> HttpResponse:
    table = next((t for t in report.tables if t.key == key), None)
    if table is None:
        raise Http404
    response = HttpResponse(
        "\ufeff" + exports.table_csv(table), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_stem(report)}_{key}.csv"'
    )
    return response


urlpatterns = [
    path("", report_page, name="reports"),
    path("bericht.pdf", report_file, {"kind": "pdf"}, name="report-pdf"),
    path("bericht.xlsx", report_file, {"kind": "xlsx"}, name="report-xlsx"),
    path("tabellen.zip", report_zip, name="report-zip"),
    path("tabelle/<slug:key>.csv", report_csv, name="report-csv"),
]
