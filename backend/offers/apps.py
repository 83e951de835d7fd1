from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "backend.offers"
    label = "offers"
