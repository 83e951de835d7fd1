from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.organisations.models import Organisation

DEFAULT_HEADLINE = "Kinder stark machen – gemeinsam"
DEFAULT_TEXT = (
    "Wenn es zu Hause gerade schwer ist, weil Mama oder Papa krank ist, "
    "tut es gut, nicht allein zu sein. In unseren Gruppen treffen Kinder andere Kinder, "
    "spielen, reden und haben Spaß. Kostenlos, vertraulich und oft ohne Anmeldung. "
    "Fragen Sie uns – wir helfen gern weiter."
)


class Poster(models.Model):
    """The editable text of the guide's poster: the district's (no organisation) or a
    provider's. Written for notice boards: short, warm, and without labels."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guide_poster",
        help_text=_("Leer lassen für das Plakat des ganzen Landkreises."),
    )
    headline = models.CharField(_("Überschrift"), max_length=80, default=DEFAULT_HEADLINE)
    text = models.TextField(_("Text"), max_length=600, default=DEFAULT_TEXT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Plakat")
        verbose_name_plural = _("Plakate")

    def __str__(self) -> str:
        return self.headline
