"""Admin pieces for addresses: the source of the coordinates is shown, never typed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.lib.address import Address

APPROXIMATE_WARNING = _("Adresse ungefähr – bitte prüfen")


class AddressAdminMixin:
    """Coordinates come from the address on save; entered by hand they are exact."""

    readonly_fields: Any = ["coordinates_source"]

    @admin.display(description=_("Lage"))
    def location(self, obj: Address) -> str:
        if not obj.has_coordinates:
            return str(_("keine Koordinaten"))
        if obj.is_approximate:
            return str(APPROXIMATE_WARNING)
        return str(obj.get_coordinates_source_display())
