from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """The published plan: publishing runs, its history, and re-planning after changes."""

    name = "backend.publishing"
    label = "publishing"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_delete, pre_save

        from backend.families.models import Family, Participant
        from backend.families.signals import absence_reported, absence_withdrawn, consent_withdrawn
        from backend.offers.models import Session
        from backend.planning.signals import run_done, run_stored
        from backend.publishing import reactions

        run_stored.connect(reactions.on_run_stored, dispatch_uid="publishing.run_stored")
        run_done.connect(reactions.on_run_done, dispatch_uid="publishing.run_done")
        absence_reported.connect(reactions.on_absence, dispatch_uid="publishing.absence")
        absence_withdrawn.connect(
            reactions.on_absence_withdrawn, dispatch_uid="publishing.absence_withdrawn"
        )
        consent_withdrawn.connect(reactions.on_consent_withdrawn, dispatch_uid="publishing.consent")
        pre_delete.connect(
            reactions.on_family_deleted, sender=Family, dispatch_uid="publishing.family_deleted"
        )
        pre_delete.connect(
            reactions.on_participant_deleted,
            sender=Participant,
            dispatch_uid="publishing.participant_deleted",
        )
        pre_save.connect(
            reactions.remember_session, sender=Session, dispatch_uid="publishing.session_before"
        )
        post_save.connect(
            reactions.on_session_saved, sender=Session, dispatch_uid="publishing.session"
        )
