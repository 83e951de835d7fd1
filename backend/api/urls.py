from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from backend.accounts.api import TokenLoginView
from backend.api import routes
from backend.api.notfound import api_not_found

router = DefaultRouter()
routes.register(router)

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start script as a file, not inline (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
    # Anything else under /api/ (an id that is not a number, a missing slash): JSON 404.
    re_path(r"^(?P<path>.*/)$", api_not_found),
]
