from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "backend.transport"
    label = "transport"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from backend.families.signals import absence_reported, absence_withdrawn, consent_withdrawn
        from backend.offers.models import Session
        from backend.transport import reactions

        absence_reported.connect(reactions.on_absence, dispatch_uid="transport.absence")
        absence_withdrawn.connect(
            reactions.on_absence_withdrawn, dispatch_uid="transport.absence_withdrawn"
        )
        consent_withdrawn.connect(reactions.on_consent_withdrawn, dispatch_uid="transport.consent")
        pre_save.connect(
            reactions.remember_session, sender=Session, dispatch_uid="transport.session_before"
        )
        post_save.connect(
            reactions.on_session_saved, sender=Session, dispatch_uid="transport.session"
        )
