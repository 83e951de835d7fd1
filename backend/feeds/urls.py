"""Calendar feeds, mounted at /feeds/."""

from django.urls import path, re_path

from backend.feeds import views
from backend.feeds.services import TOKEN_PATTERN

app_name = "feeds"

urlpatterns = [
    path("group/<int:offer_id>.ics", views.group_feed, name="group-feed"),
    re_path(rf"^(?P<token>{TOKEN_PATTERN})\.ics$", views.token_feed, name="token-feed"),
]
