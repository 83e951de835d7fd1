"""Travel matrices from coordinates when the problem brings none."""

from __future__ import annotations

import math

from planner.problem import Location, MatrixOptions, Problem

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def great_circle_metres(a: Location, b: Location) -> float:
    """Haversine distance on the mean-radius sphere.

    Within a district the sphere differs from the WGS-84 ellipsoid by well
    under 0.5 %, far less than the detour factor's uncertainty, and it is
    ~50x faster than geopy's ellipsoidal geodesic for thousands of pairs.
    """
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def matrices(problem: Problem) -> tuple[list[list[int]], list[list[int]]]:
    """(durations, distances) as location-indexed integer lists."""
    if problem.matrix is not None:
        return (
            [list(row) for row in problem.matrix.durations],
            [list(row) for row in problem.matrix.distances],
        )
    return matrices_from_coordinates(problem.locations, problem.matrix_options)


def matrices_from_coordinates(
    locations: tuple[Location, ...], options: MatrixOptions
) -> tuple[list[list[int]], list[list[int]]]:
    n = len(locations)
    metres_per_unit_time = options.speed_kmh / 3.6 * options.time_unit_seconds
    durations = [[0] * n for _ in range(n)]
    distances = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            road = great_circle_metres(locations[i], locations[j]) * options.detour_factor
            # Rounding durations up keeps every plan feasible in real time too.
            durations[i][j] = durations[j][i] = math.ceil(road / metres_per_unit_time)
            distances[i][j] = distances[j][i] = round(road / options.distance_unit_metres)
    return durations, distances
