"""Keep sessions consistent with closures, however a closure is saved (API, admin, demo)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from backend.offers.models import ClosurePeriod
from backend.offers.services import apply_closure


@receiver(post_save, sender=ClosurePeriod, dispatch_uid="offers.closure_saved")
def closure_saved(sender, instance: ClosurePeriod, **kwargs) -> None:
    transaction.on_commit(lambda: apply_closure(instance))
