from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "backend.feeds"
    label = "feeds"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_delete, pre_save

        from backend.families.signals import consent_withdrawn
        from backend.feeds import cache
        from backend.feeds.receivers import (
            on_consent_withdrawn,
            on_driver_saved,
            on_user_deleted,
            remember_driver_state,
        )
        from backend.fleet.models import Driver

        consent_withdrawn.connect(on_consent_withdrawn, dispatch_uid="feeds.consent_withdrawn")
        pre_save.connect(remember_driver_state, sender=Driver, dispatch_uid="feeds.driver_pre")
        post_save.connect(on_driver_saved, sender=Driver, dispatch_uid="feeds.driver_post")
        pre_delete.connect(
            on_user_deleted, sender=get_user_model(), dispatch_uid="feeds.user_deleted"
        )
        cache.connect()
