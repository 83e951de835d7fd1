"""The only module that touches OR-Tools: builds the routing model and solves it.

Node layout: the k-th modelled request has pickup node 2k and drop-off node
2k+1, then one start and one end node per modelled vehicle. A model may
cover only some requests and vehicles: the decomposition search re-solves
a few routes at a time.

Modelling choices and why:
* Windows bound the start of service (the time cumul). An arc's transit is
  the service at its tail plus the travel; slack up to the horizon lets a
  vehicle wait. OR-Tools issues #2071/#2084: ride-time limits need that slack.
* The maximum ride time is a pickup-to-delivery limit on the time dimension.
  The local-search cumul filter understands it, so moves that break it are
  rejected cheaply instead of failing late in CP propagation; an explicit
  CP constraint backs it up.
* Each pickup and drop-off is optional with a penalty far above any plan's
  cost, so serving one more request always beats any saving in driving.
* Bundles (all or none) are enforced after the search, see bundles.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_parameters_pb2
from ortools.util import optional_boolean_pb2

from planner.plan import VisitType
from planner.preprocess import INF, Prepared
from planner.problem import Problem, Request, Vehicle
from planner.search.result import ModelResult, ModelRoute, ModelVisit

logger = logging.getLogger(__name__)

FSS = routing_enums_pb2.FirstSolutionStrategy
LSM = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchConfig:
    """How one search runs; `solve` may run several (a portfolio)."""

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    # The insertion-based LNS operators: strong moves, but each call may
    # spend up to lns_time_ms, which makes every full neighbourhood scan slow.
    heuristic_lns: bool = True
    lns_time_ms: int = 100
    baseline: bool = False  # the plain model the OR-Tools guide teaches

    def __post_init__(self) -> None:
        if not hasattr(FSS, self.first_solution):
            raise ValueError(f"unknown first solution strategy {self.first_solution}")
        if not hasattr(LSM, self.metaheuristic):
            raise ValueError(f"unknown metaheuristic {self.metaheuristic}")
        if self.lns_time_ms <= 0:
            raise ValueError(f"lns_time_ms must be positive, got {self.lns_time_ms}")


# One route to start from: (request index, "pickup" | "dropoff") in order.
InitialRoute = Sequence[tuple[int, str]]


@dataclass(frozen=True)
class _Nodes:
    requests: tuple[int, ...]  # modelled request indices
    vehicles: tuple[int, ...]  # modelled vehicle indices
    loc: tuple[int, ...]  # node -> location index
    service: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _nodes(
    problem: Problem, prep: Prepared, requests: Sequence[int], vehicles: Sequence[int]
) -> _Nodes:
    loc: list[int] = []
    service: list[int] = []
    for i in requests:
        r, pr = problem.requests[i], prep.requests[i]
        loc += [pr.pickup_loc, pr.dropoff_loc]
        service += [r.pickup.service, r.dropoff.service]
    base, nv = len(loc), len(vehicles)
    loc += [prep.vehicles[k].start_loc for k in vehicles] + [
        prep.vehicles[k].end_loc for k in vehicles
    ]
    service += [0] * (2 * nv)
    return _Nodes(
        requests=tuple(requests),
        vehicles=tuple(vehicles),
        loc=tuple(loc),
        service=tuple(service),
        starts=tuple(range(base, base + nv)),
        ends=tuple(range(base + nv, base + 2 * nv)),
    )


class _Model:
    """Holds the OR-Tools objects of one solve; they never leave this module."""

    def __init__(self, problem: Problem, prep: Prepared, nodes: _Nodes, config: SearchConfig):
        self.problem, self.prep, self.nodes, self.config = problem, prep, nodes, config
        self.manager = pywrapcp.RoutingIndexManager(
            len(nodes.loc), len(nodes.vehicles), list(nodes.starts), list(nodes.ends)
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self._keep: list[object] = []  # Python callbacks must outlive the search
        self._arc_costs()
        self._time_dimension()
        self._capacities()
        self._requests()
        self._vehicles()

    # --- building ---------------------------------------------------------
    def _node_matrix(self, table: list[list[int]], add_service: bool) -> list[list[int]]:
        loc, service = self.nodes.loc, self.nodes.service
        rows = []
        for i, li in enumerate(loc):
            row, s = table[li], (service[i] if add_service else 0)
            rows.append([row[lj] + s for lj in loc])
        return rows

    def _arc_costs(self) -> None:
        w = self.problem.objective
        dist = self._node_matrix(self.prep.distances, add_service=False)
        if w.distance != 1:
            dist = [[w.distance * c for c in row] for row in dist]
        self.max_arc = max((max(row) for row in dist), default=0)
        if self.problem.previous is not None and w.stability and not self.config.baseline:
            self._stability_costs(dist)
            return
        self.routing.SetArcCostEvaluatorOfAllVehicles(self.routing.RegisterTransitMatrix(dist))

    def _stability_costs(self, dist: list[list[int]]) -> None:
        """Per-vehicle arc costs: entering a pickup that was on another vehicle costs extra."""
        prev = previous_vehicles(self.problem)
        w = self.problem.objective
        penalty = w.stability * w.vehicle_change
        pref = [-1] * len(self.nodes.loc)
        for pos, i in enumerate(self.nodes.requests):
            pref[2 * pos] = prev.get(i, -1)
        to_node = self.manager.IndexToNode
        for k, vehicle in enumerate(self.nodes.vehicles):
            extra = [penalty if p >= 0 and p != vehicle else 0 for p in pref]

            def cost(i: int, j: int, extra: list[int] = extra) -> int:
                b = to_node(j)
                return int(dist[to_node(i)][b] + extra[b])

            self._keep.append(cost)
            self.routing.SetArcCostEvaluatorOfVehicle(self.routing.RegisterTransitCallback(cost), k)

    def _time_dimension(self) -> None:
        horizon = self.prep.horizon
        index = self.routing.RegisterTransitMatrix(
            self._node_matrix(self.prep.durations, add_service=True)
        )
        self.routing.AddDimension(index, horizon, horizon, False, "time")
        self.time = self.routing.GetDimensionOrDie("time")
        if self.problem.objective.duration:
            self.time.SetSpanCostCoefficientForAllVehicles(self.problem.objective.duration)

    def _capacities(self) -> None:
        kinds = sorted(
            {k for i in self.nodes.requests for k, q in self.problem.requests[i].load.items() if q}
        )
        for kind in kinds:
            demand = [0] * len(self.nodes.loc)
            for pos, i in enumerate(self.nodes.requests):
                q = self.problem.requests[i].load.get(kind, 0)
                demand[2 * pos], demand[2 * pos + 1] = q, -q
            index = self.routing.RegisterUnaryTransitVector(demand)
            caps = [self.problem.vehicles[k].capacity.get(kind, 0) for k in self.nodes.vehicles]
            self.routing.AddDimensionWithVehicleCapacity(index, 0, caps, True, f"load:{kind}")

    def _requests(self) -> None:
        penalty = self.unserved_penalty()
        prev_times = previous_pickups(self.problem)
        # Bundles are not modelled here: a hard "all or none" constraint stops
        # the insertion heuristics, which add one pair at a time. Partly
        # served bundles are removed afterwards (planner.search.bundles).
        for pos, i in enumerate(self.nodes.requests):
            self._request(i, pos, penalty, prev_times.get(i))

    def _request(self, i: int, pos: int, penalty: int, prev_time: int | None) -> None:
        pr, r = self.prep.requests[i], self.problem.requests[i]
        routing, time_dim, solver = self.routing, self.time, self.routing.solver()
        p, d = self.manager.NodeToIndex(2 * pos), self.manager.NodeToIndex(2 * pos + 1)
        routing.AddPickupAndDelivery(p, d)
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(time_dim.CumulVar(p) <= time_dim.CumulVar(d))
        routing.AddDisjunction([p], penalty)
        routing.AddDisjunction([d], penalty)
        self._windows(pos, p, d)
        if pr.max_ride < INF:
            limit = pr.max_ride + r.pickup.service
            solver.Add(time_dim.CumulVar(d) - time_dim.CumulVar(p) <= limit)
            if not self.config.baseline:
                fn = _constant(limit)
                self._keep.append(fn)
                time_dim.SetPickupToDeliveryLimitFunctionForPair(fn, pos)
        if self.config.baseline:
            # The plain model still knows skills and capacities (part of the problem).
            allowed = {k for k, v in enumerate(self.problem.vehicles) if _fits(v, r)}
        else:
            allowed = set(pr.vehicles)
        banned = [k for k, v in enumerate(self.nodes.vehicles) if v not in allowed]
        if banned:
            # A Python list is rejected by SetAllowedVehiclesForIndex in 9.15.
            routing.VehicleVar(p).RemoveValues(banned)
            routing.VehicleVar(d).RemoveValues(banned)
        self._soft_times(pos, p, d, prev_time)

    def _windows(self, pos: int, p: int, d: int) -> None:
        i = self.nodes.requests[pos]
        if self.config.baseline:
            # The plain model knows only the given windows, no tightening.
            r, full = self.problem.requests[i], (0, self.prep.horizon)
            self.time.CumulVar(p).SetRange(*(r.pickup.window or full))
            self.time.CumulVar(d).SetRange(*(r.dropoff.window or full))
            return
        pr = self.prep.requests[i]
        self.time.CumulVar(p).SetRange(*pr.pickup_window)
        self.time.CumulVar(d).SetRange(*pr.dropoff_window)

    def _soft_times(self, pos: int, p: int, d: int, prev_time: int | None) -> None:
        w = self.problem.objective
        pr = self.prep.requests[self.nodes.requests[pos]]
        if prev_time is not None and w.stability:
            # |C(p) - previous pickup| costs `stability` per time unit.
            self.time.SetCumulVarSoftUpperBound(p, prev_time, w.stability)
            self.time.SetCumulVarSoftLowerBound(p, prev_time, w.stability)
        elif w.ride_time:
            # ride = C(d) - C(p) - s. As C(d) >= e_d and C(p) <= l_p always,
            # these two soft bounds cost exactly w * ride plus a constant.
            self.time.SetCumulVarSoftLowerBound(p, pr.pickup_window[1], w.ride_time)
        if w.ride_time:
            self.time.SetCumulVarSoftUpperBound(d, pr.dropoff_window[0], w.ride_time)

    def _vehicles(self) -> None:
        w = self.problem.objective
        for k, vehicle in enumerate(self.nodes.vehicles):
            pv = self.prep.vehicles[vehicle]
            start, end = self.routing.Start(k), self.routing.End(k)
            self.time.CumulVar(start).SetRange(*pv.available)
            self.time.CumulVar(end).SetRange(*pv.available)
            if pv.max_duration < INF:
                self.time.SetSpanUpperBoundForVehicle(pv.max_duration, k)
            self.routing.SetFixedCostOfVehicle(
                w.vehicles + self.problem.vehicles[vehicle].fixed_cost, k
            )
            if pv.used_when_empty:
                self.routing.SetVehicleUsedWhenEmpty(True, k)
            # Leave as late and come back as early as the plan allows.
            self.routing.AddVariableMaximizedByFinalizer(self.time.CumulVar(start))
            self.routing.AddVariableMinimizedByFinalizer(self.time.CumulVar(end))

    def unserved_penalty(self) -> int:
        """Larger than any plan's whole cost, so that serving more always wins."""
        w = self.problem.objective
        fixed = sum(v.fixed_cost + w.vehicles for v in self.problem.vehicles)
        stability = w.stability * w.vehicle_change if self.problem.previous is not None else 0
        per_arc = max(1, self.max_arc) + stability
        return per_arc * (len(self.nodes.loc) + 1) * 4 + fixed + 1_000_000

    # --- solving ----------------------------------------------------------
    def parameters(
        self, time_limit: float, solution_limit: int | None
    ) -> routing_parameters_pb2.RoutingSearchParameters:
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = getattr(FSS, self.config.first_solution)
        params.local_search_metaheuristic = getattr(LSM, self.config.metaheuristic)
        params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
        if solution_limit is not None:
            params.solution_limit = solution_limit
        if self.config.baseline:
            return params
        params.lns_time_limit.FromMilliseconds(self.config.lns_time_ms)
        if not self.config.heuristic_lns:
            ops = params.local_search_operators
            for name in ops.DESCRIPTOR.fields_by_name:
                if "cheapest_insertion" in name:
                    setattr(ops, name, optional_boolean_pb2.BOOL_FALSE)
        return params

    def solve(
        self,
        time_limit: float,
        solution_limit: int | None,
        progress: Callable[[int, int], None] | None,
        initial: Sequence[InitialRoute] | None,
    ) -> ModelResult:
        counter = [0]

        def on_solution() -> None:
            counter[0] += 1
            if progress is not None:
                progress(self.routing.CostVar().Value(), self._served_now())

        self.routing.AddAtSolutionCallback(on_solution)
        params = self.parameters(time_limit, solution_limit)
        start = self._initial_assignment(initial) if initial is not None else None
        if start is not None:
            solution = self.routing.SolveFromAssignmentWithParameters(start, params)
        else:
            solution = self.routing.SolveWithParameters(params)
        if solution is None:
            return ModelResult(
                routes=(), objective=-1, solutions=counter[0], unserved=len(self.nodes.requests)
            )
        routes = self._routes(solution)
        served = sum(len(r.visits) for r in routes) // 2
        return ModelResult(
            routes, solution.ObjectiveValue(), counter[0], len(self.nodes.requests) - served
        )

    def _initial_assignment(self, initial: Sequence[InitialRoute]) -> pywrapcp.Assignment | None:
        pos = {i: k for k, i in enumerate(self.nodes.requests)}
        routes = [
            [self.manager.NodeToIndex(2 * pos[i] + (t == "dropoff")) for i, t in route]
            for route in initial
        ]
        assignment = self.routing.ReadAssignmentFromRoutes(routes, True)
        if assignment is None:
            logger.debug("initial routes rejected by the model")
        return assignment

    def _served_now(self) -> int:
        to_index, routing = self.manager.NodeToIndex, self.routing
        return sum(
            1
            for pos in range(len(self.nodes.requests))
            if routing.NextVar(to_index(2 * pos)).Value() != to_index(2 * pos)
        )

    def _routes(self, solution: pywrapcp.Assignment) -> tuple[ModelRoute, ...]:
        out = []
        for k, vehicle in enumerate(self.nodes.vehicles):
            index = self.routing.Start(k)
            depart = solution.Value(self.time.CumulVar(index))
            visits = []
            index = solution.Value(self.routing.NextVar(index))
            while not self.routing.IsEnd(index):
                node = self.manager.IndexToNode(index)
                kind = VisitType.PICKUP if node % 2 == 0 else VisitType.DROPOFF
                start = solution.Value(self.time.CumulVar(index))
                visits.append(ModelVisit(self.nodes.requests[node // 2], kind, start))
                index = solution.Value(self.routing.NextVar(index))
            arrive = solution.Value(self.time.CumulVar(index))
            out.append(ModelRoute(vehicle, depart, arrive, tuple(visits)))
        return tuple(out)


def _fits(vehicle: Vehicle, request: Request) -> bool:
    if not request.skills <= vehicle.skills:
        return False
    return all(vehicle.capacity.get(k, 0) >= q for k, q in request.load.items())


def _constant(value: int) -> Callable[[int, int], int]:
    def limit(_pickup_alternative: int, _delivery_alternative: int) -> int:
        return value

    return limit


def previous_vehicles(problem: Problem) -> dict[int, int]:
    """Request index -> index of the vehicle that served it in `previous`."""
    if problem.previous is None:
        return {}
    req = {r.id: i for i, r in enumerate(problem.requests)}
    veh = {v.id: k for k, v in enumerate(problem.vehicles)}
    return {
        req[visit.request]: veh[route.vehicle]
        for route in problem.previous.routes
        for visit in route.visits
        if visit.request in req and route.vehicle in veh
    }


def previous_pickups(problem: Problem) -> dict[int, int]:
    """Request index -> its pickup's start of service in `previous`."""
    if problem.previous is None:
        return {}
    req = {r.id: i for i, r in enumerate(problem.requests)}
    return {
        req[v.request]: v.start
        for route in problem.previous.routes
        for v in route.visits
        if v.type == "pickup" and v.request in req
    }


def solve_model(
    problem: Problem,
    prep: Prepared,
    requests: Sequence[int],
    config: SearchConfig,
    *,
    time_limit: float,
    solution_limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    vehicles: Sequence[int] | None = None,
    initial: Sequence[InitialRoute] | None = None,
) -> ModelResult:
    """Build the model over `requests` (and `vehicles`) and search for `time_limit` s.

    `initial`, one route per modelled vehicle, is the solution to start from;
    the result is then never worse than it.
    """
    began = time.monotonic()
    fleet = range(len(prep.vehicles)) if vehicles is None else vehicles
    model = _Model(problem, prep, _nodes(problem, prep, requests, fleet), config)
    left = time_limit - (time.monotonic() - began)
    return model.solve(max(0.02, left), solution_limit, progress, initial)
