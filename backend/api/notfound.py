"""JSON answers for unknown addresses under /api/ (instead of Django's HTML 404 page)."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse({"detail": _("Nicht gefunden.")}, status=404)
