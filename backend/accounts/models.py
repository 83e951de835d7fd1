"""API tokens and invitations: how people get into Lotse.

Both carry a secret that is shown once and stored only as its SHA-256 (like feed
links), plus a short hint so that people can tell them apart.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.organisations.models import Organisation, Role


class ApiToken(models.Model):
    """A token for `Authorization: Token <token>`. It expires; it can be revoked (deleted)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("Anfang"), max_length=8)
    name = models.CharField(_("Bezeichnung"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"


class Invitation(models.Model):
    """A coordinator's invitation to join the organisation with a new account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("E-Mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("Anfang"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")

    def __str__(self) -> str:
        return f"{self.hint}… → {self.organisation}"

    def is_open(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
