"""Executing a planning run: build each day, solve it, store the result in one go.

Called by the background worker (`jobs.py`) or the `lotse plan` command, never in a
web request. A failure anywhere marks the run failed and stores nothing else; the
published plan is only ever changed by `services.publish_run`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.organisations.models import Organisation
from backend.transport import figures as figs
from backend.transport.matrix import travel_matrix
from backend.transport.models import PlanningRun
from backend.transport.previous import previous_plan
from backend.transport.problem import DayProblem, PlanningOptions, build_day
from backend.transport.store import store_day

logger = logging.getLogger(__name__)

Progress = Callable[[dict[str, Any]], None]
NO_DRIVER = "no driver available that day (availability, valid certificate, vehicle, coordinates)"
SAVE_EVERY = 1.0  # seconds between progress writes


class PlanningFailed(Exception):
    """The planner's result broke a rule; the message lists the violations."""


@dataclass
class DayResult:
    built: DayProblem
    plan: dict[str, Any]
    matrix: str


def execute_run(run_id: int, *, on_progress: Progress | None = None) -> PlanningRun | None:
    """Run a queued planning run to the end (done or failed). Idempotent for redeliveries."""
    run = _claim(run_id)
    if run is None:
        return PlanningRun.objects.filter(pk=run_id).first()
    tracker = _Tracker(run, on_progress)
    try:
        options = PlanningOptions.from_dict(
            {k: v for k, v in run.options.items() if k != "publish"}
        )
        results = [_plan_day(run, run.organisation, day, options, tracker) for day in _days(run)]
        _store(run, results)
    except Exception as exc:
        logger.exception("planning run %s failed (%s)", run.pk, exc.__class__.__name__)
        _fail(run, exc)
        return run
    logger.info("planning run %s done", run.pk)
    if run.options.get("publish"):
        from backend.transport.reactions import publish_when_done

        publish_when_done(run)
    return run


def _claim(run_id: int) -> PlanningRun | None:
    with transaction.atomic():
        run = (
            PlanningRun.objects.select_for_update()
            .select_related("organisation")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status != PlanningRun.Status.QUEUED:
            logger.warning("planning run %s is not queued; skipped", run_id)
            return None
        run.status = PlanningRun.Status.BUILDING
        run.started_at = timezone.now()
        run.progress = {"phase": "building", "days": len(_days(run)), "days_done": 0}
        run.save(update_fields=["status", "started_at", "progress"])
    return run


def _days(run: PlanningRun) -> list[dt.date]:
    count = (run.date_to - run.date_from).days + 1
    return [run.date_from + dt.timedelta(days=n) for n in range(count)]


class _Tracker:
    """Writes progress to the run (throttled, update_fields) and echoes it to a callback."""

    def __init__(self, run: PlanningRun, echo: Progress | None):
        self.run, self.echo, self.last = run, echo, 0.0

    def update(self, status: str | None = None, force: bool = False, **values: Any) -> None:
        self.run.progress = {**self.run.progress, **values}
        if status:
            self.run.status = status
        now = time.monotonic()
        if force or status or now - self.last >= SAVE_EVERY:
            self.last = now
            self.run.save(update_fields=["status", "progress"])
        if self.echo is not None:
            self.echo(dict(self.run.progress, status=self.run.status))

    def planner_callback(self) -> Progress:
        def report(event: dict[str, Any]) -> None:
            keys = ("best_cost", "elapsed", "served")
            self.update(**{k: event[k] for k in keys if k in event})

        return report


def _plan_day(
    run: PlanningRun, org: Organisation, day: dt.date, options: PlanningOptions, tracker: _Tracker
) -> DayResult:
    tracker.update(
        status=PlanningRun.Status.BUILDING, phase="building", day=day.isoformat(), best_cost=None
    )
    built = build_day(org, day, options)
    data = built.data
    if not data["requests"]:
        plan = {"routes": [], "unassigned": [], "summary": {"requests": 0, "served": 0}}
        _day_done(tracker, day)
        return DayResult(built, plan, "none")
    matrix = travel_matrix(org, built.points, options.matrix)
    data["matrix"] = matrix.to_dict()
    previous = previous_plan(org, built)
    if previous is not None:
        data["previous"] = previous
        data["objective"]["stability"] = options.stability
        data["objective"]["vehicle_change"] = options.vehicle_change
    if not data["vehicles"]:
        plan = {
            "routes": [],
            "unassigned": [{"request": r["id"], "reason": NO_DRIVER} for r in data["requests"]],
            "summary": {"requests": len(data["requests"]), "served": 0},
        }
    else:
        tracker.update(status=PlanningRun.Status.SOLVING, phase="solving", matrix=matrix.source)
        plan = _solve(data, run.time_limit, tracker.planner_callback())
    _day_done(tracker, day)
    return DayResult(built, plan, matrix.source)


def _day_done(tracker: _Tracker, day: dt.date) -> None:
    done = tracker.run.progress.get("days_done", 0) + 1
    tracker.update(force=True, days_done=done, day=day.isoformat())


def _solve(data: dict[str, Any], time_limit: int, progress: Progress) -> dict[str, Any]:
    """The one place that talks to the planner library."""
    from planner import MaxRuntime, Problem, check, solve

    problem = Problem.from_dict(data)
    plan = solve(problem, MaxRuntime(time_limit), seed=0, progress=progress)
    violations = check(problem, plan)
    if violations:
        raise PlanningFailed("Der Plan verletzt Regeln: " + "; ".join(violations[:5]))
    return plan.to_dict()


def _store(run: PlanningRun, results: list[DayResult]) -> None:
    """All results in one transaction: routes, stops, passengers, unserved, figures, affected."""
    with transaction.atomic():
        affected = figs.empty_affected()
        per_day = []
        for result in results:
            before = figs.published_snapshot(run.organisation, result.built.day)
            store_day(run, result.built, result.plan)
            per_day.append(figs.day_figures(result.built, result.plan, result.matrix))
            figs.add_affected(affected, result.built, result.plan, before)
        run.figures = figs.totals(per_day)
        run.affected = affected
        run.status = PlanningRun.Status.DONE
        run.finished_at = timezone.now()
        run.progress = {**run.progress, "phase": "done"}
        run.save(update_fields=["figures", "affected", "status", "finished_at", "progress"])


def _fail(run: PlanningRun, exc: Exception) -> None:
    message = str(exc) or exc.__class__.__name__
    run.status = PlanningRun.Status.FAILED
    run.error = message[:2000]
    run.finished_at = timezone.now()
    run.progress = {**run.progress, "phase": "failed"}
    run.save(update_fields=["status", "error", "finished_at", "progress"])
