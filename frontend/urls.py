from django.urls import include, path

from frontend.pages_accounts import team_urlpatterns

urlpatterns = [
    path("", include("frontend.pages_provider")),
    path("fahrer/", include("frontend.pages_driver")),
    path("familie/", include("frontend.pages_family")),
    path("einladung/", include("frontend.pages_accounts")),
    path("datenschutz/", include("frontend.pages_privacy")),
    path("angebote/", include("frontend.pages_guide")),
    path("team/", include(team_urlpatterns)),
]
