"""Executing a planning run: build each day, solve it, store the result in one go.

Called by the background worker (`jobs.py`) or the `lotse plan` command, never in a
web request. A failure anywhere marks the run failed and stores nothing else; the
published plan is only ever changed by `backend.publishing.services.publish_run`.
Apps built on planning hear about a stored and a finished run through `signals.py`.

The process that executes a run holds its lease (`lease.py`) and writes to the run only
while it does; the planner's search processes are killed with it
(`backend.lib.processes.children_die_with_this_thread`, around the solve).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction

import planner
from backend.geo.matrix import travel_matrix
from backend.lib import clock
from backend.lib.processes import children_die_with_this_thread
from backend.organisations.models import Organisation
from backend.planning import figures as figs
from backend.planning import lease
from backend.planning.models import PlanningRun
from backend.planning.previous import previous_plan
from backend.planning.problem import NO_DRIVER, DayProblem, PlanningOptions, build_day, plan_of
from backend.planning.signals import run_done, run_stored
from backend.planning.store import store_day
from planner.params import Engine

logger = logging.getLogger(__name__)

Progress = Callable[[dict[str, Any]], None]
SAVE_EVERY = 1.0  # seconds between progress writes


class PlanningFailed(Exception):
    """The planner's result broke a rule; the message lists the violations."""


@dataclass
class DayResult:
    built: DayProblem
    plan: planner.Plan
    matrix: str


def execute_run(run_id: int, *, on_progress: Progress | None = None) -> PlanningRun | None:
    """Run a queued planning run to the end (done or failed).

    Safe for every delivery of a run's task: a finished run is not run again, a run
    that a live worker holds is left to it (`lease.claim`).
    """
    run = lease.claim(run_id)
    if run is None:
        return PlanningRun.objects.filter(pk=run_id).first()
    with lease.holding(run.pk):
        tracker = _Tracker(run, on_progress)
        try:
            options = PlanningOptions.from_dict(
                {k: v for k, v in run.options.items() if k != "publish"}
            )
            results = [
                _plan_day(run, run.organisation, day, options, tracker) for day in run.days()
            ]
            _store(run, results)
        except lease.LeaseLost:
            logger.warning("planning run %s: lease lost, result discarded", run.pk)
            return PlanningRun.objects.filter(pk=run_id).first()
        except Exception as exc:
            logger.exception("planning run %s failed (%s)", run.pk, exc.__class__.__name__)
            _fail(run, exc)
            return run
    logger.info("planning run %s done", run.pk)
    run_done.send(sender=PlanningRun, run=run)
    return run


class _Tracker:
    """Writes progress to the run (throttled, update_fields) and echoes it to a callback."""

    def __init__(self, run: PlanningRun, echo: Progress | None):
        self.run, self.echo, self.last = run, echo, 0.0
        self.lost = False

    def update(self, status: str | None = None, force: bool = False, **values: Any) -> None:
        """Write progress (under the lease: LeaseLost when this process lost the run)."""
        self.run.progress = {**self.run.progress, **values}
        if status:
            self.run.status = status
        now = time.monotonic()
        if force or status or now - self.last >= SAVE_EVERY:
            self.last = now
            lease.write(self.run, ["status", "progress"])
        if self.echo is not None:
            self.echo(dict(self.run.progress, status=self.run.status))

    def planner_callback(self) -> Progress:
        """Progress from inside the planner, which must not see our exceptions."""

        def report(event: dict[str, Any]) -> None:
            if self.lost:
                return
            keys = ("best_cost", "elapsed", "served")
            try:
                self.update(**{k: event[k] for k in keys if k in event})
            except lease.LeaseLost:
                self.lost = True

        return report


def _plan_day(
    run: PlanningRun, org: Organisation, day: dt.date, options: PlanningOptions, tracker: _Tracker
) -> DayResult:
    tracker.update(
        status=PlanningRun.Status.BUILDING, phase="building", day=day.isoformat(), best_cost=None
    )
    built = build_day(org, day, options)
    if not built.problem.requests:
        _day_done(tracker, day)
        return DayResult(built, plan_of(()), "none")
    matrix = travel_matrix(org, built.points, options.matrix)
    built = built.with_problem(
        matrix=planner.Matrix(
            durations=_table(matrix.durations), distances=_table(matrix.distances)
        )
    )
    previous = previous_plan(org, built)
    if previous is not None:
        objective = dataclasses.replace(
            built.problem.objective,
            stability=options.stability,
            vehicle_change=options.vehicle_change,
        )
        built = built.with_problem(previous=previous, objective=objective)
    if not built.problem.vehicles:
        unassigned = (planner.Unassigned(r.id, NO_DRIVER) for r in built.problem.requests)
        plan = plan_of((), unassigned)
    else:
        tracker.update(status=PlanningRun.Status.SOLVING, phase="solving", matrix=matrix.source)
        plan = _solve(built.problem, run.time_limit, tracker.planner_callback())
        if tracker.lost:
            raise lease.LeaseLost(run.pk)
    _day_done(tracker, day)
    return DayResult(built, plan, matrix.source)


def _table(rows: list[list[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(row) for row in rows)


def _day_done(tracker: _Tracker, day: dt.date) -> None:
    done = tracker.run.progress.get("days_done", 0) + 1
    tracker.update(force=True, days_done=done, day=day.isoformat())


def _solve(problem: planner.Problem, time_limit: int, progress: Progress) -> planner.Plan:
    """The one place that calls the planner's solver; a plan that breaks a rule fails the run.

    The planner's native search runs in threads; its OR-Tools fallback forks search
    processes. Those end with this process even when it is killed (the kernel's
    parent-death signal, set in an at-fork hook: the planner itself knows nothing of it).
    """
    with children_die_with_this_thread():
        engine = cast(Engine, settings.PLANNER_ENGINE)  # checked at start-up: lotse.E012
        params = planner.SolveParams(engine=engine)
        stop = planner.MaxRuntime(time_limit)
        plan = planner.solve(problem, stop, seed=0, params=params, progress=progress)
    violations = planner.check(problem, plan)
    if violations:
        raise PlanningFailed("Der Plan verletzt Regeln: " + "; ".join(violations[:5]))
    return plan


def _store(run: PlanningRun, results: list[DayResult]) -> None:
    """All results in one transaction: routes, stops, passengers, unserved, figures.

    Receivers of `run_stored` add theirs (the affected list) in the same transaction.
    Nothing is stored unless this process still holds the run's lease.
    """
    with transaction.atomic():
        lease.still_held(run)
        per_day = []
        for result in results:
            store_day(run, result.built, result.plan)
            per_day.append(figs.day_figures(result.built, result.plan, result.matrix))
        run.figures = figs.totals(per_day)
        run.status = PlanningRun.Status.DONE
        run.finished_at = clock.now()
        run.progress = {**run.progress, "phase": "done"}
        run.save(update_fields=["figures", "status", "finished_at", "progress"])
        run_stored.send(sender=PlanningRun, run=run)


def _fail(run: PlanningRun, exc: Exception) -> None:
    message = str(exc) or exc.__class__.__name__
    run.status = PlanningRun.Status.FAILED
    run.error = message[:2000]
    run.finished_at = clock.now()
    run.progress = {**run.progress, "phase": "failed"}
    try:
        lease.write(run, ["status", "error", "finished_at", "progress"])
    except lease.LeaseLost:
        logger.warning("planning run %s: lease lost before its failure was written", run.pk)
