from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "backend.fleet"
    label = "fleet"

    def ready(self) -> None:
        from backend.fleet import receivers  # noqa: F401
