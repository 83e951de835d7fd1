"""The only module that touches OR-Tools: builds the routing model and solves it.

Node layout: request i has pickup node 2i and drop-off node 2i+1 (over the
requests that are modelled), then one start and one end node per vehicle.

Modelling choices and why:
* Windows bound the start of service (the time cumul). The transit of an arc
  is service at its tail plus travel, and slack up to the horizon lets a
  vehicle wait (OR-Tools issues #2071/#2084: ride-time limits need that slack).
* The maximum ride time is a pickup-to-delivery limit on the time dimension,
  which the local-search cumul filter understands, so moves that break it are
  rejected cheaply instead of failing late in the CP propagation; an explicit
  CP constraint backs it up.
* Each pickup and drop-off is optional with a penalty far above any route
  cost, so that serving one more request always beats any saving in driving.
* Bundles use same-activity groups: all members active or none.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from planner.preprocess import INF, Prepared
from planner.problem import Problem

logger = logging.getLogger(__name__)

FSS = routing_enums_pb2.FirstSolutionStrategy
LSM = routing_enums_pb2.LocalSearchMetaheuristic


# Path operators built for the TSP: with pickup-delivery pairs and tight
# windows nearly all their neighbours are infeasible, so they only burn time.
LEAN_OFF = (
    "use_cross",
    "use_two_opt",
    "use_lin_kernighan",
    "use_tsp_opt",
    "use_shortest_path_two_opt",
    "use_shortest_path_swap_active",
    "use_swap_active_chain",
    "use_make_chain_inactive",
    "use_or_opt",
)


@dataclass(frozen=True)
class SearchConfig:
    """One way of searching; `solve` may run several (a portfolio)."""

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.1
    lns: bool = True  # the insertion-based LNS operators
    baseline: bool = False  # the plain model of the OR-Tools guide
    ils: bool = False  # iterated local search: SISR ruin and recreate
    sisr_removed: int = 10
    sisr_sequence: int = 10
    limit_fn: bool = True
    lean_ops: bool = False
    heuristic_lns: bool = True
    ils_improve: bool = True
    mab: bool = False
    lns_time_ms: int = 100
    recreate: str = "LOCAL_CHEAPEST_INSERTION"
    acceptance: str = "sa"
    t_init: float = 0.0  # 0 = automatic temperatures
    t_final: float = 0.0
    prune_arcs: bool = False
    neighbors_ratio: float = 1.0
    min_neighbors: int = 1

    def __post_init__(self) -> None:
        if not hasattr(FSS, self.first_solution):
            raise ValueError(f"unknown first solution strategy {self.first_solution}")
        if not hasattr(LSM, self.metaheuristic):
            raise ValueError(f"unknown metaheuristic {self.metaheuristic}")


@dataclass(frozen=True)
class ModelVisit:
    request: int  # index into problem.requests
    type: str
    start: int  # start of service


@dataclass(frozen=True)
class ModelRoute:
    vehicle: int
    depart: int
    arrive: int
    visits: tuple[ModelVisit, ...]


@dataclass(frozen=True)
class ModelResult:
    routes: tuple[ModelRoute, ...]
    objective: int
    solutions: int
    status: str


@dataclass(frozen=True)
class _Nodes:
    requests: tuple[int, ...]  # modelled request indices
    loc: tuple[int, ...]  # node -> location index
    service: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _nodes(problem: Problem, prep: Prepared, requests: Sequence[int]) -> _Nodes:
    loc: list[int] = []
    service: list[int] = []
    for i in requests:
        r, pr = problem.requests[i], prep.requests[i]
        loc += [pr.pickup_loc, pr.dropoff_loc]
        service += [r.pickup.service, r.dropoff.service]
    base = len(loc)
    nv = len(prep.vehicles)
    loc += [v.start_loc for v in prep.vehicles] + [v.end_loc for v in prep.vehicles]
    service += [0] * (2 * nv)
    return _Nodes(
        requests=tuple(requests),
        loc=tuple(loc),
        service=tuple(service),
        starts=tuple(range(base, base + nv)),
        ends=tuple(range(base + nv, base + 2 * nv)),
    )


class _Model:
    """Holds the OR-Tools objects for one solve; never handed out."""

    def __init__(self, problem: Problem, prep: Prepared, nodes: _Nodes, config: SearchConfig):
        self.problem, self.prep, self.nodes, self.config = problem, prep, nodes, config
        n = len(nodes.loc)
        self.manager = pywrapcp.RoutingIndexManager(n, len(prep.vehicles), list(nodes.starts), list(nodes.ends))
        self.routing = pywrapcp.RoutingModel(self.manager)
        self._keep: list[object] = []  # callbacks must outlive the search
        self._arc_costs()
        self._time_dimension()
        self._capacities()
        self._requests()
        self._vehicles()
        if config.prune_arcs and not config.baseline:
            self._prune_arcs()

    # --- building ---------------------------------------------------------
    def _matrix(self, table: list[list[int]], add_service: bool) -> list[list[int]]:
        loc, service = self.nodes.loc, self.nodes.service
        rows = []
        for i, li in enumerate(loc):
            row = table[li]
            s = service[i] if add_service else 0
            rows.append([row[lj] + s for lj in loc])
        return rows

    def _arc_costs(self) -> None:
        w = self.problem.objective
        dist = self._matrix(self.prep.distances, add_service=False)
        if w.distance != 1:
            dist = [[w.distance * c for c in row] for row in dist]
        self.max_arc = max((max(row) for row in dist), default=0)
        if self.problem.previous is not None and not self.config.baseline:
            self._stability_costs(dist)
            return
        index = self.routing.RegisterTransitMatrix(dist)
        self.routing.SetArcCostEvaluatorOfAllVehicles(index)

    def _stability_costs(self, dist: list[list[int]]) -> None:
        """Arc costs per vehicle: entering a node that was on another vehicle costs extra."""
        prev = _previous_vehicles(self.problem)
        w = self.problem.objective
        penalty = w.stability * w.vehicle_change
        pref = [-1] * len(self.nodes.loc)
        for node in range(0, 2 * len(self.nodes.requests), 2):
            pref[node] = prev.get(self.nodes.requests[node // 2], -1)
        to_node = self.manager.IndexToNode
        for v in range(len(self.prep.vehicles)):
            extra = [penalty if p >= 0 and p != v else 0 for p in pref]

            def cost(i: int, j: int, extra: list[int] = extra) -> int:
                a, b = to_node(i), to_node(j)
                return dist[a][b] + extra[b]

            self._keep.append(cost)
            self.routing.SetArcCostEvaluatorOfVehicle(self.routing.RegisterTransitCallback(cost), v)

    def _time_dimension(self) -> None:
        horizon = self.prep.horizon
        index = self.routing.RegisterTransitMatrix(self._matrix(self.prep.durations, add_service=True))
        self.routing.AddDimension(index, horizon, horizon, False, "time")
        self.time = self.routing.GetDimensionOrDie("time")
        if self.problem.objective.duration:
            self.time.SetSpanCostCoefficientForAllVehicles(self.problem.objective.duration)

    def _capacities(self) -> None:
        kinds = sorted({k for r in self.problem.requests for k, q in r.load.items() if q})
        for kind in kinds:
            demand = [0] * len(self.nodes.loc)
            for pos, i in enumerate(self.nodes.requests):
                q = self.problem.requests[i].load.get(kind, 0)
                demand[2 * pos], demand[2 * pos + 1] = q, -q
            index = self.routing.RegisterUnaryTransitVector(demand)
            caps = [v.capacity.get(kind, 0) for v in self.problem.vehicles]
            self.routing.AddDimensionWithVehicleCapacity(index, 0, caps, True, f"load:{kind}")

    def _requests(self) -> None:
        penalty = self.unserved_penalty()
        solver = self.routing.solver()
        prev_times = _previous_pickups(self.problem)
        bundles: dict[str, list[int]] = {}
        for pos, i in enumerate(self.nodes.requests):
            p = self.manager.NodeToIndex(2 * pos)
            d = self.manager.NodeToIndex(2 * pos + 1)
            self._request(i, pos, p, d, penalty, solver, prev_times.get(i))
            bundle = self.problem.requests[i].bundle
            if bundle is not None:
                bundles.setdefault(bundle, []).extend([2 * pos, 2 * pos + 1])
        for members in bundles.values():
            if len(members) > 2:
                self.routing.AddSameActivityGroup(members)

    def _request(self, i: int, pos: int, p: int, d: int, penalty: int, solver: pywrapcp.Solver, prev_time: int | None) -> None:
        pr = self.prep.requests[i]
        r = self.problem.requests[i]
        routing, time_dim = self.routing, self.time
        routing.AddPickupAndDelivery(p, d)
        solver.Add(routing.VehicleVar(p) == routing.VehicleVar(d))
        solver.Add(time_dim.CumulVar(p) <= time_dim.CumulVar(d))
        routing.AddDisjunction([p], penalty)
        routing.AddDisjunction([d], penalty)
        if self.config.baseline:
            # The plain model knows only the given windows, no tightening.
            full = (0, self.prep.horizon)
            time_dim.CumulVar(p).SetRange(*(r.pickup.window or full))
            time_dim.CumulVar(d).SetRange(*(r.dropoff.window or full))
        else:
            time_dim.CumulVar(p).SetRange(*pr.pickup_window)
            time_dim.CumulVar(d).SetRange(*pr.dropoff_window)
        if pr.max_ride < INF:
            limit = pr.max_ride + r.pickup.service
            solver.Add(time_dim.CumulVar(d) - time_dim.CumulVar(p) <= limit)
            if not self.config.baseline and self.config.limit_fn:
                fn = _constant(limit)
                self._keep.append(fn)
                time_dim.SetPickupToDeliveryLimitFunctionForPair(fn, pos)
        banned = [k for k in range(len(self.prep.vehicles)) if k not in set(pr.vehicles)]
        if banned and not self.config.baseline:
            routing.VehicleVar(p).RemoveValues(banned)
            routing.VehicleVar(d).RemoveValues(banned)
        w = self.problem.objective
        if prev_time is not None and w.stability:
            time_dim.SetCumulVarSoftUpperBound(p, prev_time, w.stability)
            time_dim.SetCumulVarSoftLowerBound(p, prev_time, w.stability)
        elif w.ride_time:
            # ride = C(d) - C(p) - s; with C(d) >= e_d and C(p) <= l_p these
            # two soft bounds cost exactly w * ride plus a constant.
            time_dim.SetCumulVarSoftLowerBound(p, pr.pickup_window[1], w.ride_time)
        if w.ride_time:
            time_dim.SetCumulVarSoftUpperBound(d, pr.dropoff_window[0], w.ride_time)

    def _vehicles(self) -> None:
        w = self.problem.objective
        for k, v in enumerate(self.prep.vehicles):
            a, b = v.available
            start, end = self.routing.Start(k), self.routing.End(k)
            self.time.CumulVar(start).SetRange(a, b)
            self.time.CumulVar(end).SetRange(a, b)
            if v.max_duration < INF:
                self.time.SetSpanUpperBoundForVehicle(v.max_duration, k)
            self.routing.SetFixedCostOfVehicle(w.vehicles + self.problem.vehicles[k].fixed_cost, k)
            # Leave as late and come back as early as the plan allows.
            self.routing.AddVariableMaximizedByFinalizer(self.time.CumulVar(start))
            self.routing.AddVariableMinimizedByFinalizer(self.time.CumulVar(end))

    def _prune_arcs(self) -> None:
        """Remove arcs that no feasible plan can use (Cordeau 2006, section 5.1).

        Far fewer candidate moves then survive the cheapest filter, which
        speeds up every local-search pass on instances with tight windows.
        """
        windows, ride = self._node_windows()
        dur = self.prep.durations
        loc, service = self.nodes.loc, self.nodes.service
        n_req = len(self.nodes.requests)
        visits = range(2 * n_req)
        for i in visits:
            e_i = windows[i][0] + service[i]
            row = dur[loc[i]]
            bad = []
            for j in visits:
                if j == i:
                    continue
                if e_i + row[loc[j]] > windows[j][1] or self._breaks_ride(i, j, ride):
                    bad.append(self.manager.NodeToIndex(j))
            if i % 2 == 1:  # a drop-off never precedes its own pickup
                bad.append(self.manager.NodeToIndex(i - 1))
            if bad:
                self.routing.NextVar(self.manager.NodeToIndex(i)).RemoveValues(bad)

    def _node_windows(self) -> tuple[list[tuple[int, int]], list[int]]:
        windows, ride = [], []
        for i in self.nodes.requests:
            pr = self.prep.requests[i]
            windows += [pr.pickup_window, pr.dropoff_window]
            ride += [pr.max_ride, pr.max_ride]
        return windows, ride

    def _breaks_ride(self, i: int, j: int, ride: list[int]) -> bool:
        """Arc i->j puts j inside i's ride (i a pickup) or i inside j's ride (j a drop-off)."""
        dur, loc, service = self.prep.durations, self.nodes.loc, self.nodes.service
        if i % 2 == 0 and j != i + 1:
            via = dur[loc[i]][loc[j]] + service[j] + dur[loc[j]][loc[i + 1]]
            if via > ride[i]:
                return True
        if j % 2 == 1 and i != j - 1:
            via = dur[loc[j - 1]][loc[i]] + service[i] + dur[loc[i]][loc[j]]
            if via > ride[j]:
                return True
        return False

    def unserved_penalty(self) -> int:
        # Larger than any plan's whole cost, so serving more always wins.
        fixed = sum(v.fixed_cost for v in self.problem.vehicles) + self.problem.objective.vehicles * len(self.problem.vehicles)
        arcs = len(self.nodes.loc) + 1
        return max(1, self.max_arc) * arcs * 4 + fixed + 1_000_000

    # --- solving ----------------------------------------------------------
    def parameters(self, time_limit: float, solution_limit: int | None) -> object:
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = getattr(FSS, self.config.first_solution)
        params.local_search_metaheuristic = getattr(LSM, self.config.metaheuristic)
        params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
        if solution_limit is not None:
            params.solution_limit = solution_limit
        import os
        params.log_search = bool(os.environ.get("PLANNER_LOG_SEARCH"))
        if self.config.baseline:
            return params
        params.guided_local_search_lambda_coefficient = self.config.gls_lambda
        ops = params.local_search_operators
        true = optional_boolean_pb2.BOOL_TRUE
        if self.config.lns:
            ops.use_global_cheapest_insertion_close_nodes_lns = true
            ops.use_local_cheapest_insertion_close_nodes_lns = true
            ops.use_global_cheapest_insertion_expensive_chain_lns = true
            ops.use_local_cheapest_insertion_expensive_chain_lns = true
        params.heuristic_close_nodes_lns_num_nodes = 5
        if not self.config.heuristic_lns:
            for name in ops.DESCRIPTOR.fields_by_name:
                if "cheapest_insertion" in name:
                    setattr(ops, name, optional_boolean_pb2.BOOL_FALSE)
        if self.config.lean_ops:
            false = optional_boolean_pb2.BOOL_FALSE
            for name in LEAN_OFF:
                setattr(ops, name, false)
        params.use_multi_armed_bandit_concatenate_operators = self.config.mab
        params.lns_time_limit.FromMilliseconds(self.config.lns_time_ms)
        params.ls_operator_neighbors_ratio = self.config.neighbors_ratio
        params.ls_operator_min_neighbors = self.config.min_neighbors
        if self.config.ils:
            self._ils(params)
        return params

    def _ils(self, params: object) -> None:
        ils = params.iterated_local_search_parameters  # type: ignore[attr-defined]
        rr = ils.ruin_recreate_parameters
        del rr.ruin_strategies[:]
        sisr = rr.ruin_strategies.add().sisr
        sisr.max_removed_sequence_size = self.config.sisr_sequence
        sisr.avg_num_removed_visits = self.config.sisr_removed
        sisr.bypass_factor = 0.01
        rr.recreate_strategy.heuristic = getattr(FSS, self.config.recreate)
        if self.config.acceptance == "sa":
            sa = ils.reference_solution_acceptance_strategy.simulated_annealing
            if self.config.t_init:
                sa.initial_temperature = self.config.t_init
                sa.final_temperature = self.config.t_final
                sa.automatic_temperatures = False
            else:
                sa.automatic_temperatures = True
        else:
            ils.reference_solution_acceptance_strategy.greedy_descent.SetInParent()
        ils.improve_perturbed_solution = self.config.ils_improve
        params.use_iterated_local_search = True  # type: ignore[attr-defined]

    def solve(self, time_limit: float, solution_limit: int | None, progress: Callable[[int, int], None] | None) -> ModelResult:
        counter = [0]

        def on_solution() -> None:
            counter[0] += 1
            if progress is not None:
                progress(self.routing.CostVar().Value(), self._served_now())

        self.routing.AddAtSolutionCallback(on_solution)
        params = self.parameters(time_limit, solution_limit)
        if self.config.ils:
            solution = self.routing.SolveWithIteratedLocalSearch(params)
        else:
            solution = self.routing.SolveWithParameters(params)
        status = str(self.routing.status())
        if solution is None:
            return ModelResult(routes=(), objective=-1, solutions=counter[0], status=status)
        return ModelResult(self._routes(solution), solution.ObjectiveValue(), counter[0], status)

    def _served_now(self) -> int:
        routing = self.routing
        return sum(
            1
            for pos in range(len(self.nodes.requests))
            if routing.NextVar(self.manager.NodeToIndex(2 * pos)).Value() != self.manager.NodeToIndex(2 * pos)
        )

    def _routes(self, solution: pywrapcp.Assignment) -> tuple[ModelRoute, ...]:
        out = []
        for k in range(len(self.prep.vehicles)):
            index = self.routing.Start(k)
            depart = solution.Value(self.time.CumulVar(index))
            visits = []
            index = solution.Value(self.routing.NextVar(index))
            while not self.routing.IsEnd(index):
                node = self.manager.IndexToNode(index)
                visits.append(
                    ModelVisit(
                        request=self.nodes.requests[node // 2],
                        type="pickup" if node % 2 == 0 else "dropoff",
                        start=solution.Value(self.time.CumulVar(index)),
                    )
                )
                index = solution.Value(self.routing.NextVar(index))
            arrive = solution.Value(self.time.CumulVar(index))
            out.append(ModelRoute(k, depart, arrive, tuple(visits)))
        return tuple(out)


def _constant(value: int) -> Callable[[int, int], int]:
    def limit(_pickup_alt: int, _delivery_alt: int) -> int:
        return value

    return limit


def _previous_vehicles(problem: Problem) -> dict[int, int]:
    """Request index -> vehicle index it had in `previous`."""
    if problem.previous is None:
        return {}
    req = {r.id: i for i, r in enumerate(problem.requests)}
    veh = {v.id: k for k, v in enumerate(problem.vehicles)}
    out = {}
    for route in problem.previous.routes:
        for visit in route.visits:
            if visit.request in req and route.vehicle in veh:
                out[req[visit.request]] = veh[route.vehicle]
    return out


def _previous_pickups(problem: Problem) -> dict[int, int]:
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
) -> ModelResult:
    """Build the model over `requests` and search for `time_limit` seconds."""
    began = time.monotonic()
    model = _Model(problem, prep, _nodes(problem, prep, requests), config)
    left = time_limit - (time.monotonic() - began)
    logger.debug("model built in %.2f s, %.2f s left", time.monotonic() - began, left)
    return model.solve(max(0.05, left), solution_limit, progress)
