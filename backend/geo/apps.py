from django.apps import AppConfig


class GeoConfig(AppConfig):
    """Places and distances: geocoding addresses, travel-time matrices (`lotse geocode`)."""

    name = "backend.geo"
    label = "geo"
