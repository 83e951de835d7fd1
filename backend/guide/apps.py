from django.apps import AppConfig


class GuideConfig(AppConfig):
    """The public offer guide (Angebotswegweiser): search, brochure and poster."""

    name = "backend.guide"
    label = "guide"
