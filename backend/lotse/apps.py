from django.apps import AppConfig


class LotseConfig(AppConfig):
    """The project itself: settings checks (`checks.py`)."""

    name = "backend.lotse"
    label = "lotse"

    def ready(self) -> None:
        from backend.lotse import checks  # noqa: F401  (registers the checks)
