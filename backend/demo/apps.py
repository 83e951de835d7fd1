from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo district and `lotse demo`; the one app that imports every other."""

    name = "backend.demo"
    label = "demo"
