from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "backend.offers"
    label = "offers"

    def ready(self) -> None:
        from backend.offers import receivers  # noqa: F401
