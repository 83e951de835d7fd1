from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.organisations.models import Organisation


class AuditEntry(models.Model):
    """Who read or changed which family's personal data, when, and how.

    The family reference and the username are copied, so that an entry stays
    readable after the family is anonymised or the account deleted. Entries expire
    after AUDIT_LOG_DAYS (`lotse retention`).
    """

    class Action(models.TextChoices):
        VIEW_FAMILY = "view_family", _("Familie angesehen")
        LIST_FAMILIES = "list_families", _("Familienliste angesehen")
        CHANGE_FAMILY = "change_family", _("Familiendaten geändert")
        DELETE_FAMILY = "delete_family", _("Familiendaten gelöscht")
        VIEW_SHEET = "view_sheet", _("Adresse auf Tourenblatt angesehen")
        EXPORT = "export", _("Auskunft exportiert (Art. 15)")
        ANONYMISE = "anonymise", _("Anonymisiert (Aufbewahrungsfrist)")

    class Channel(models.TextChoices):
        PAGE = "page", _("Seite")
        API = "api", _("API")
        ADMIN = "admin", _("Verwaltung")
        SYSTEM = "system", _("System")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_entries"
    )
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("Benutzer*in"), max_length=150, blank=True)
    family = models.ForeignKey(
        "families.Family", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    family_reference = models.CharField(_("Familie"), max_length=40, blank=True)
    action = models.CharField(_("Aktion"), max_length=20, choices=Action.choices)
    channel = models.CharField(_("Weg"), max_length=10, choices=Channel.choices)
    detail = models.CharField(_("Einzelheiten"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Datenschutz-Protokoll")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.family_reference}"
