"""Reactions to other apps' signals."""

from functools import partial

from django.db import transaction

from backend.families.models import ConsentPurpose, ConsentRecord
from backend.feeds import services
from backend.fleet.models import Driver
from backend.lib import clock

# What a driver's feed links depend on; a save that touches neither is ignored.
_DRIVER_FIELDS = {"is_active", "user", "user_id"}
_STORED = "_feeds_stored_state"


def on_consent_withdrawn(sender, consent: ConsentRecord, **kwargs) -> None:
    """Withdrawing the calendar consent revokes the family's feed links at once."""
    if consent.purpose == ConsentPurpose.CALENDAR:
        services.revoke_family_links(consent.family, clock.now())


def remember_driver_state(sender, instance: Driver, raw: bool = False, **kwargs) -> None:
    """pre_save: keep the stored is_active/user, to compare with after the save."""
    update_fields = kwargs.get("update_fields")
    relevant = update_fields is None or _DRIVER_FIELDS & set(update_fields)
    stored = None
    if instance.pk is not None and relevant and not raw:
        stored = Driver.objects.filter(pk=instance.pk).values("is_active", "user_id").first()
    setattr(instance, _STORED, stored)


def on_driver_saved(sender, instance: Driver, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save: deactivating a driver or unlinking their user revokes their feed links.

    The old URL may be in the hands of the person the account belonged to. The revocation
    runs after the commit, so a rolled-back save revokes nothing.
    """
    stored = getattr(instance, _STORED, None)
    if created or raw or stored is None:
        return
    deactivated = stored["is_active"] and not instance.is_active
    unlinked = stored["user_id"] is not None and instance.user_id != stored["user_id"]
    if deactivated or unlinked:
        transaction.on_commit(partial(_revoke_driver_links, instance.pk))


def on_user_deleted(sender, instance, **kwargs) -> None:
    """pre_delete of a user: revoke the feed links of the drivers the account was.

    Deleting the user sets `Driver.user` to none by a queryset update, which sends no
    save signal. This runs inside the deletion's transaction: a rolled-back deletion
    revokes nothing.
    """
    for driver in Driver.objects.filter(user=instance):
        services.revoke_driver_links(driver, clock.now())


def _revoke_driver_links(driver_id: int) -> None:
    driver = Driver.objects.filter(pk=driver_id).first()
    if driver is not None:
        services.revoke_driver_links(driver, clock.now())
