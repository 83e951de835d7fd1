"""Keep sessions consistent with closures, however a closure is saved or removed (API,
admin, demo, pages)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from backend.offers.models import ClosurePeriod
from backend.offers.services import apply_closure, release_closure


@receiver(post_save, sender=ClosurePeriod, dispatch_uid="offers.closure_saved")
def closure_saved(sender, instance: ClosurePeriod, **kwargs) -> None:
    transaction.on_commit(lambda: apply_closure(instance))


@receiver(post_delete, sender=ClosurePeriod, dispatch_uid="offers.closure_deleted")
def closure_deleted(sender, instance: ClosurePeriod, **kwargs) -> None:
    transaction.on_commit(lambda: release_closure(instance))
