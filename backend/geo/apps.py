from django.apps import AppConfig


class GeoConfig(AppConfig):
    """Places and distances: geocoding addresses, travel-time matrices (`lotse geocode`)."""

    name = "backend.geo"
    label = "geo"

    def ready(self) -> None:
        # Addresses are placed on save (backend/lib/address.py), which imports no app:
        # the geocoder is handed down from here.
        from backend.geo.geocoding import locate_address
        from backend.lib.address import set_locator

        set_locator(locate_address)
