from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("backend.api.urls")),
    path("feeds/", include("backend.feeds.urls")),
    # Our own "logged out" page: the admin's registration/logged_out.html would win otherwise.
    path(
        "accounts/logout/",
        LogoutView.as_view(template_name="frontend/logged_out.html"),
        name="logout",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]

# People get German pages with a way back; /api/ paths get JSON (frontend/errors.py).
handler400 = "frontend.errors.bad_request"
handler403 = "frontend.errors.permission_denied"
handler404 = "frontend.errors.page_not_found"
handler500 = "frontend.errors.server_error"
