from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "backend.transport"
    label = "transport"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from backend.families.signals import absence_reported
        from backend.offers.models import Session
        from backend.transport import reactions

        absence_reported.connect(reactions.on_absence, dispatch_uid="transport.absence")
        post_save.connect(
            reactions.on_session_saved, sender=Session, dispatch_uid="transport.session"
        )
