"""Memberships: changing a member's role and removing a member, with the one rule that
an organisation keeps at least one coordinator. The API and the Team page both use it."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from backend.organisations.models import Membership, Role

logger = logging.getLogger(__name__)

LAST_COORDINATOR = _("Die Organisation braucht mindestens eine Koordination.")


def is_last_coordinator(membership: Membership) -> bool:
    """True if removing or demoting this membership would leave no coordinator."""
    if membership.role != Role.COORDINATOR:
        return False
    others = membership.organisation.memberships.filter(role=Role.COORDINATOR)
    return not others.exclude(pk=membership.pk).exists()


def check_role_change(membership: Membership, role: str) -> None:
    if role != Role.COORDINATOR and is_last_coordinator(membership):
        raise ValidationError(LAST_COORDINATOR, code="last_coordinator")


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    check_role_change(locked, role)
    locked.role = role
    locked.save(update_fields=["role"])
    logger.info("membership %s: role %s", locked.pk, role)
    return locked


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """The account stays; it no longer acts for this organisation."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if is_last_coordinator(locked):
        raise ValidationError(LAST_COORDINATOR, code="last_coordinator")
    locked.delete()
    logger.info("membership %s removed", membership.pk)
