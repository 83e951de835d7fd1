from django.urls import include, path

from frontend.pages_accounts import team_urlpatterns

urlpatterns = [
    path("", include("frontend.pages_provider")),
    path("fahrer/", include("frontend.pages_driver")),
    path("familie/", include("frontend.pages_family")),
    path("familien/", include("frontend.pages_families")),
    path("anwesenheit/", include("frontend.pages_attendance")),
    path("einladung/", include("frontend.pages_accounts")),
    path("datenschutz/", include("frontend.pages_privacy")),
    path("angebote/", include("frontend.pages_guide")),
    path("team/", include(team_urlpatterns)),
    path("gruppen/", include("frontend.pages_groups")),
    path("gruppen/", include("frontend.pages_places")),
    path("fahrdienst/", include("frontend.pages_fleet")),
    path("organisation/", include("frontend.pages_organisation")),
    path("bezirk/", include("frontend.pages_district")),
    path("bezirk/", include("frontend.pages_gaps")),
    path("berichte/", include("frontend.pages_reports")),
]
