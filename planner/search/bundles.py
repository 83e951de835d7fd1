"""All-or-none bundles, enforced on the search's result.

The routing model treats each request on its own (see _ortools_model.py).
Here every bundle that is only partly served loses its served members. Their
visits are cut out and every other visit keeps its start of service: with
travel times that obey the triangle inequality, each remaining visit is
reached no later than before, so windows, ride times and capacities still
hold (`check` verifies it for every plan).
"""

from __future__ import annotations

import logging

from planner.problem import Problem
from planner.search.result import ModelResult, ModelRoute

logger = logging.getLogger(__name__)


def partial_bundles(problem: Problem, served: set[int]) -> dict[str, int]:
    """Bundle name -> index of one unserved member, for partly served bundles."""
    members: dict[str, list[int]] = {}
    for i, r in enumerate(problem.requests):
        if r.bundle is not None:
            members.setdefault(r.bundle, []).append(i)
    out = {}
    for name, idx in members.items():
        got = [i for i in idx if i in served]
        if got and len(got) < len(idx):
            out[name] = next(i for i in idx if i not in served)
    return out


def drop_partial_bundles(problem: Problem, result: ModelResult) -> ModelResult:
    served = {v.request for r in result.routes for v in r.visits}
    broken = partial_bundles(problem, served)
    if not broken:
        return result
    drop = {i for i in served if problem.requests[i].bundle in broken}
    logger.debug("dropping %d requests of %d partly served bundles", len(drop), len(broken))
    routes = tuple(
        ModelRoute(
            r.vehicle, r.depart, r.arrive, tuple(v for v in r.visits if v.request not in drop)
        )
        for r in result.routes
    )
    return ModelResult(routes, result.objective, result.solutions, result.unserved + len(drop))
