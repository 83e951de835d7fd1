from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "backend.families"
    label = "families"
