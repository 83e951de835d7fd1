"""Reactions to other apps' signals."""

from backend.families.models import ConsentPurpose, ConsentRecord
from backend.feeds import services


def on_consent_withdrawn(sender, consent: ConsentRecord, **kwargs) -> None:
    """Withdrawing the calendar consent revokes the family's feed links at once."""
    if consent.purpose == ConsentPurpose.CALENDAR:
        services.revoke_family_links(consent.family, services.now())
