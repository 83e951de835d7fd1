"""Planning runs and their results: routes, stops, who gets on and off, who is unserved.

A run covers a date or a range, planned day by day. Publishing a run makes it the
published plan for each of its dates (a `Publication` per date); the previous
publication of that date is kept, marked superseded, as history. `Publication` lives
here, not in `publishing`, because planning reads the published plan too (as the
planner's `previous` plan); `backend/publishing/` holds the writes and the read side.

The tables keep the names of the former `transport` app (`db_table`), so databases
created before the split keep their data; see migrations/0001_initial.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from backend.families.models import Family, Participant
from backend.fleet.models import Driver, Vehicle
from backend.lib import clock
from backend.lib.bounds import ordered
from backend.offers.models import Session, Venue
from backend.organisations.models import Organisation, TenantQuerySet
from backend.planning.reasons import explanation, reason_display

ACTIVE_STATUSES = ("queued", "building", "solving")


class PlanningRunQuerySet(TenantQuerySet["PlanningRun"]):
    def active(self) -> PlanningRunQuerySet:
        """Runs still queued or running (an organisation has at most one)."""
        return self.filter(status__in=ACTIVE_STATUSES)


class PlanningRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        BUILDING = "building", _("wird aufgebaut")
        SOLVING = "solving", _("wird berechnet")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    class Trigger(models.TextChoices):
        """Why a run was started."""

        MANUAL = "manual", _("von Hand")
        ABSENCE = "absence", _("Abwesenheit")
        CANCELLED = "cancelled", _("Termin abgesagt")
        SESSION = "session", _("Termin geändert")
        CONSENT = "consent", _("Einwilligung widerrufen")
        ERASED = "erased", _("Familie gelöscht")
        CLI = "cli", _("Kommandozeile")
        DEMO = "demo", _("Demo")

    # Runs started by a change after publishing; they never publish a day that had no
    # plan, and wait for a person if they would drop a ride that was published before.
    AUTOMATIC = frozenset(
        {Trigger.ABSENCE, Trigger.CANCELLED, Trigger.SESSION, Trigger.CONSENT, Trigger.ERASED}
    )

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
    trigger = models.CharField(
        _("Anlass"), max_length=40, choices=Trigger.choices, default=Trigger.MANUAL
    )
    # Why an automatic re-plan was not published on its own and waits for a coordinator
    # ("wartet auf Freigabe"): it moves other families' pickups or drops rides.
    review_reason = models.CharField(max_length=300, blank=True)
    # The lease (backend/planning/lease.py): which process executes the run, when it
    # last said so, and how many times a worker has taken the run up.
    lease_owner = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = PlanningRunQuerySet.as_manager()

    class Meta:
        db_table = "transport_planningrun"
        ordering = ["-created_at"]
        constraints = [
            ordered("run_range_valid", "date_from", "date_to"),
            # Runs of one organisation never overlap: the database refuses a second
            # active run even if two requests race past the service's check.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="one_active_run_per_org",
            ),
        ]
        verbose_name = _("Planungslauf")
        verbose_name_plural = _("Planungsläufe")

    def __str__(self) -> str:
        return f"Run {self.pk} {self.date_from}–{self.date_to} ({self.status})"

    def days(self) -> list[dt.date]:
        """Every date the run plans, in order."""
        return clock.days(self.date_from, self.date_to)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_automatic(self) -> bool:
        return self.trigger in self.AUTOMATIC


class PublicationQuerySet(TenantQuerySet["Publication"]):
    def current(self) -> PublicationQuerySet:
        """The publications in force: one per organisation and day at most."""
        return self.filter(superseded_at__isnull=True)

    def current_on(self, day: dt.date) -> Publication | None:
        """The publication in force on `day` (use on an organisation's publications)."""
        return self.current().filter(date=day).first()


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
    # A family was taken out of the published plan after publishing (consent withdrawn,
    # family deleted): `publishing.services.withdraw_family_from_published`. Feeds
    # change their ETag and SEQUENCE with it.
    amended_at = models.DateTimeField(null=True, blank=True)
    amendments = models.PositiveIntegerField(default=0)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        db_table = "transport_publication"
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

    @property
    def is_current(self) -> bool:
        """In force (not superseded); the same rule as `Publication.objects.current()`."""
        return self.superseded_at is None


class RouteQuerySet(TenantQuerySet["Route"]):
    def published(self) -> RouteQuerySet:
        """Routes of the plan in force on their day (a current publication of their run)."""
        current = Publication.objects.current().filter(run=OuterRef("run"), date=OuterRef("date"))
        return self.filter(Exists(current))

    def with_stops(self) -> RouteQuerySet:
        """Prefetch driver, vehicle, stops and passengers in a fixed number of queries."""
        passengers = StopPassenger.objects.select_related("participant", "session")
        stops = Stop.objects.select_related("family", "venue").prefetch_related(
            Prefetch("passengers", queryset=passengers)
        )
        return self.select_related("driver", "vehicle").prefetch_related(
            Prefetch("stops", queryset=stops)
        )


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

    objects = RouteQuerySet.as_manager()

    class Meta:
        db_table = "transport_route"
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

    tenant_path = "route__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        db_table = "transport_stop"
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="stop_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.route_id}#{self.position} {self.kind}"


class StopPassengerQuerySet(TenantQuerySet["StopPassenger"]):
    def published(self) -> StopPassengerQuerySet:
        """Passengers of the plan in force on their route's day."""
        return self.filter(stop__route__in=Route.objects.published())


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

    tenant_path = "stop__route__organisation"
    objects = StopPassengerQuerySet.as_manager()

    class Meta:
        db_table = "transport_stoppassenger"
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

    tenant_path = "run__organisation"
    objects = TenantQuerySet.as_manager()

    class Meta:
        db_table = "transport_unserved"
        ordering = ["date", "request_id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.reason}"

    @property
    def reason_display(self) -> str:
        """The stored (English) reason in the active language, German by default."""
        return reason_display(self.reason)

    @property
    def explanation(self) -> str:
        """The reason as a sentence naming the child and the direction."""
        return explanation(self.participant.first_name, self.direction, self.reason)
