"""A driver's login: the account created from the driver's invitation becomes theirs."""

from django.dispatch import receiver

from backend.accounts.models import Invitation
from backend.accounts.signals import invitation_accepted
from backend.fleet.services import link_invited_driver


@receiver(invitation_accepted, sender=Invitation, dispatch_uid="fleet.invitation_accepted")
def on_invitation_accepted(sender, invitation: Invitation, user, **kwargs) -> None:
    link_invited_driver(invitation, user)
