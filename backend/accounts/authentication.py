"""DRF authentication with our expiring API tokens (`Authorization: Token <token>`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from backend.accounts.services import find_token, mark_used


class ApiTokenAuthentication(TokenAuthentication):
    """Looks the token up by its hash; an expired token is refused and says so."""

    def authenticate_credentials(self, key):
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ungültiges Token."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("Das Token ist abgelaufen. Bitte neu anmelden.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Das Konto ist deaktiviert."))
        mark_used(token, now)
        return (token.user, token)
