"""Drivers' logins: an invitation link that creates the driver's own account."""

import logging

from django.contrib.auth.models import User
from django.db import transaction

from backend.accounts.models import Invitation
from backend.accounts.services import IssuedInvitation, invite, revoke_invitation
from backend.fleet.models import Driver
from backend.organisations.models import Role

logger = logging.getLogger(__name__)


@transaction.atomic
def invite_driver(driver: Driver, email: str, by: User) -> IssuedInvitation:
    """A one-time link to a new driver account; accepting it makes the account the
    driver's, so that they see their own route sheets. A newer link replaces an older."""
    if driver.invitation is not None:
        revoke_invitation(driver.invitation)  # only the newest link works
    issued = invite(driver.organisation, Role.DRIVER, email, by)
    driver.invitation = issued.invitation
    driver.save(update_fields=["invitation"])
    logger.info("driver %s invited (invitation %s)", driver.pk, issued.invitation.pk)
    return issued


def link_invited_driver(invitation: Invitation, user: User) -> None:
    """Called inside the acceptance's transaction: the new account becomes the driver's."""
    linked = Driver.objects.filter(
        invitation=invitation, organisation=invitation.organisation, user__isnull=True
    ).update(user=user)
    if linked:
        logger.info("invitation %s linked to its driver", invitation.pk)
