"""Planning runs and their results: routes, stops, who gets on and off, who is unserved.

A run covers a date or a range, planned day by day. Publishing a run makes it the
published plan for each of its dates (a `Publication` per date); the previous
publication of that date is kept, marked superseded, as history.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.families.models import Family, Participant
from backend.fleet.models import Driver, Vehicle
from backend.offers.models import Session, Venue
from backend.organisations.models import Organisation


class PlanningRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        BUILDING = "building", _("wird aufgebaut")
        SOLVING = "solving", _("wird berechnet")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="planning_runs"
    )
    date_from = models.DateField(_("von"))
    date_to = models.DateField(_("bis"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # {"phase": ..., "day": "2026-11-24", "days_done": 1, "days": 5, "best_cost": ..., "elapsed": ...}
    progress = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    time_limit = models.PositiveIntegerField(_("Zeitlimit (s)"), default=30)
    options = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Totals and per-day key figures: requests, served, km, driving minutes,
    # average/maximum ride minutes of the children, vehicles used.
    figures = models.JSONField(default=dict, blank=True)
    # Families whose pickup moved > 5 min and drivers whose route changed,
    # compared with the plan that was published when the run started.
    affected = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(max_length=40, blank=True, help_text="manual, absence, cli, demo …")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=F("date_from")), name="run_range_valid"
            ),
            # Runs of one organisation never overlap: the database refuses a second
            # active run even if two requests race past the service's check.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["queued", "building", "solving"]),
                name="one_active_run_per_org",
            ),
        ]
        verbose_name = _("Planungslauf")
        verbose_name_plural = _("Planungsläufe")

    def __str__(self) -> str:
        return f"Run {self.pk} {self.date_from}–{self.date_to} ({self.status})"


class Publication(models.Model):
    """Run `run` is (or was) the published plan of `organisation` on `date`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="publications"
    )
    date = models.DateField()
    run = models.ForeignKey(PlanningRun, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Something changed after publishing (an absence, a cancelled session) and the
    # organisation re-plans with one click rather than automatically.
    needs_replan = models.BooleanField(default=False)
    replan_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_publication_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.date} → run {self.run_id}"


class Route(models.Model):
    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="routes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="routes")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="routes")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    distance_m = models.PositiveIntegerField(default=0)
    duration_s = models.PositiveIntegerField(default=0)
    # The planner's vehicle id (d{driver} or d{driver}-{n}); used as `previous` when re-planning.
    plan_vehicle = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("Tour")
        verbose_name_plural = _("Touren")

    def __str__(self) -> str:
        return f"{self.date} {self.driver}"

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 1)


class Stop(models.Model):
    """One place on a route. Siblings at one address are one stop."""

    class Kind(models.TextChoices):
        START = "start", _("Start")
        PICKUP = "pickup", _("Abholen")
        DROPOFF = "dropoff", _("Absetzen")
        MIXED = "mixed", _("Absetzen und Abholen")
        END = "end", _("Ende")

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    arrival_at = models.DateTimeField()
    planned_at = models.DateTimeField(help_text="start of service")
    latitude = models.FloatField()
    longitude = models.FloatField()
    address = models.CharField(max_length=300, blank=True)
    family = models.ForeignKey(
        Family, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="stop_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id}#{self.position} {self.kind}"


class StopPassenger(models.Model):
    class Action(models.TextChoices):
        BOARD = "board", _("steigt ein")
        ALIGHT = "alight", _("steigt aus")

    class Direction(models.TextChoices):
        THERE = "there", _("hin")
        BACK = "back", _("zurück")

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="passengers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    request_id = models.CharField(max_length=80)

    class Meta:
        ordering = ["stop", "participant"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class Unserved(models.Model):
    """A request the planner could not serve, with its reason."""

    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="unserved")
    date = models.DateField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=10, choices=StopPassenger.Direction.choices)
    request_id = models.CharField(max_length=80)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["date", "request_id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.reason}"
