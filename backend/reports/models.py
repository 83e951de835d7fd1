"""What reports stand on once personal data is gone: the transport figures of each day.

A published day's routes carry addresses and names, which retention removes in time. The
figures below carry neither, so they outlive the routes: one row per organisation, day and
group, written when a day is published (and rewritten when it is published again).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.offers.models import GroupOffer
from backend.organisations.models import Organisation, TenantQuerySet


class TransportDayQuerySet(TenantQuerySet["TransportDay"]):
    pass


class TransportDay(models.Model):
    """The published shuttle of one day for one group, in figures only.

    A route that carries children of several groups is split between them by their share
    of its rides (distance, driving time, cost); the district's total is the plain sum.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="transport_days"
    )
    date = models.DateField(_("Tag"))
    offer = models.ForeignKey(
        GroupOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rides = models.PositiveIntegerField(_("Fahrten"), default=0)  # one child, one direction
    children_driven = models.PositiveIntegerField(_("gefahrene Kinder"), default=0)
    children_unserved = models.PositiveIntegerField(_("nicht gefahrene Kinder"), default=0)
    # {reason kind: number of requests}, kinds as in backend/planning/reasons.py
    unserved_reasons = models.JSONField(default=dict, blank=True)
    vehicles = models.PositiveSmallIntegerField(_("Fahrzeuge"), default=0)
    distance_m = models.PositiveIntegerField(_("Strecke (m)"), default=0)
    driving_s = models.PositiveIntegerField(_("Fahrzeit (s)"), default=0)
    vehicle_cost = models.DecimalField(
        _("Fahrzeugkosten (€)"), max_digits=10, decimal_places=2, default=0
    )
    driver_cost = models.DecimalField(
        _("Fahrer*innenkosten (€)"), max_digits=10, decimal_places=2, default=0
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = TransportDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fahrdienst-Tag")
        verbose_name_plural = _("Fahrdienst-Tage")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date", "offer"], name="transport_day_once"
            )
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.date} {self.offer_id}"
