"""Driver pages under /fahrer/: the logged-in driver's routes and their route sheets.

Every lookup starts from the requesting user's organisation (`attach_tenant`) and goes
through `visible_routes`: a driver gets their own published routes, staff and
coordinators any published route of their organisation, everyone else 404.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import translation

from backend.lib import clock
from backend.organisations.access import STAFF_ROLES, TenantHttpRequest, attach_tenant
from backend.planning.models import Route
from backend.routesheets import sheets
from backend.routesheets.pdf import sheet_pdf_response
from frontend import maps


def _route_for(request: TenantHttpRequest, pk: int) -> Route:
    if not attach_tenant(request):
        raise Http404
    routes = sheets.visible_routes(request.org, request.role, request.user)
    return get_object_or_404(sheets.sheet_routes(routes), pk=pk)


def _sheet(request: TenantHttpRequest, pk: int) -> sheets.Sheet:
    route = _route_for(request, pk)
    return sheets.sheet_for(route, role=request.role, today=clock.today())


@login_required
def route_list(request: TenantHttpRequest) -> HttpResponse:
    today = clock.today()
    until = today + dt.timedelta(days=sheets.LIST_DAYS_AHEAD)
    has_org = attach_tenant(request)
    if has_org and request.org.is_office:
        raise PermissionDenied  # the office has no routes and sees none of the providers'
    routes = sheets.visible_routes(request.org, request.role, request.user)
    routes = routes.filter(date__range=(today, until)).select_related("driver", "vehicle")
    context = {
        "routes": routes.order_by("date", "starts_at"),
        "today": today,
        "until": until,
        "no_org": not has_org,
        "all_drivers": request.role in STAFF_ROLES,
    }
    return sheets.mark_private(render(request, "frontend/driver/route_list.html", context))


@login_required
def route_sheet(request: TenantHttpRequest, pk: int) -> HttpResponse:
    route = _route_for(request, pk)
    context = {
        "sheet": sheets.sheet_for(route, role=request.role, today=clock.today()),
        "map": maps.route_map([route]).as_json(),
        "all_drivers": request.role in STAFF_ROLES,
    }
    return sheets.mark_private(render(request, "frontend/driver/route_sheet.html", context))


@login_required
def route_pdf(request: TenantHttpRequest, pk: int) -> HttpResponse:
    # Paper goes around: the sheet is German whatever language the page is in.
    with translation.override("de"):
        return sheet_pdf_response(_sheet(request, pk))


urlpatterns = [
    path("", route_list, name="driver-routes"),
    path("touren/<int:pk>/", route_sheet, name="driver-route"),
    path("touren/<int:pk>/pdf/", route_pdf, name="driver-route-pdf"),
]
