from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "backend.transport"
    label = "transport"
