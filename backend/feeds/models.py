"""Secret feed links: one per family, driver or organisation.

The token itself is never stored. We keep its SHA-256 (to find the link) and its first
characters (so that staff can tell links apart); a database leak yields no working URL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.families.models import Family
from backend.fleet.models import Driver
from backend.organisations.models import Organisation, TenantQuerySet


class FeedLink(models.Model):
    class Kind(models.TextChoices):
        FAMILY = "family", _("Familie")
        DRIVER = "driver", _("Fahrer*in")
        ORGANISATION = "organisation", _("Organisation")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="feed_links"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="feed_links"
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.CASCADE, null=True, blank=True, related_name="feed_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(_("Anfang des Schlüssels"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(_("erneuert am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="family", family__isnull=False, driver__isnull=True)
                    | Q(kind="driver", family__isnull=True, driver__isnull=False)
                    | Q(kind="organisation", family__isnull=True, driver__isnull=True)
                ),
                name="feedlink_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(revoked_at__isnull=True, kind="family"),
                name="one_active_feed_per_family",
            ),
            models.UniqueConstraint(
                fields=["driver"],
                condition=Q(revoked_at__isnull=True, kind="driver"),
                name="one_active_feed_per_driver",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(revoked_at__isnull=True, kind="organisation"),
                name="one_active_feed_per_organisation",
            ),
        ]
        verbose_name = _("Kalender-Link")
        verbose_name_plural = _("Kalender-Links")

    def __str__(self) -> str:
        return f"{self.kind} feed {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
