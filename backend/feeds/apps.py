from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "backend.feeds"
    label = "feeds"

    def ready(self) -> None:
        from backend.families.signals import consent_withdrawn
        from backend.feeds.receivers import on_consent_withdrawn

        consent_withdrawn.connect(on_consent_withdrawn, dispatch_uid="feeds.consent_withdrawn")
