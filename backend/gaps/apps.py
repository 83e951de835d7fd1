from django.apps import AppConfig


class GapsConfig(AppConfig):
    """Where offers are missing (Angebotslücken): the district's municipalities, their
    population figures, travel times to the nearest offer; anonymous counts of bundles."""

    name = "backend.gaps"
    label = "gaps"
    verbose_name = "Angebotslücken"
