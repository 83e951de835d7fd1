"""The provider's start page at /: drivers go straight to their routes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from backend.organisations.access import attach_tenant
from backend.organisations.models import Role


def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and attach_tenant(request) and request.role == Role.DRIVER:
        return redirect("driver-routes")
    return render(request, "frontend/provider/start.html")


urlpatterns = [
    path("", start, name="start"),
]
