"""Pages (views and URLs) of this part of the site."""

urlpatterns: list = []
