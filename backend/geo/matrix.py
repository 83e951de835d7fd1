"""Travel durations (s) and distances (m) between points: pluggable providers.

- `GeodesicProvider` (default, no network): geodesic distance × the organisation's
  detour factor, driven at its average speed.
- `OsrmProvider`: an OSRM server's table service (settings.OSRM_URL). Any failure
  (timeout, HTTP error, an answer that is not a complete table) is logged without
  personal data and the geodesic matrix is used instead; the source names why.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings
from geopy.distance import geodesic

from backend.organisations.models import Organisation

logger = logging.getLogger(__name__)

Point = tuple[float, float]  # (lat, lon)
EARTH_RADIUS_M = 6_371_008.8  # mean radius


@dataclass(frozen=True)
class TravelMatrix:
    durations: list[list[int]]
    distances: list[list[int]]
    source: str  # "geodesic", "osrm" or "geodesic (OSRM failed: …)"


class MatrixError(Exception):
    """A provider could not deliver a matrix; the message is safe to log and show."""


class MatrixProvider(Protocol):
    def matrix(self, points: list[Point]) -> TravelMatrix: ...


@dataclass(frozen=True)
class TravelTable:
    """Durations (s) from each origin (rows) to each destination (columns)."""

    durations: list[list[int]]
    source: str


@dataclass(frozen=True)
class GeodesicProvider:
    detour_factor: float = 1.3
    speed_kmh: float = 50.0

    def matrix(self, points: list[Point]) -> TravelMatrix:
        n = len(points)
        distances = [[0] * n for _ in range(n)]
        durations = [[0] * n for _ in range(n)]
        metres_per_second = self.speed_kmh / 3.6
        for i in range(n):
            for j in range(i + 1, n):
                metres = geodesic(points[i], points[j]).meters * self.detour_factor
                distances[i][j] = distances[j][i] = round(metres)
                durations[i][j] = durations[j][i] = round(metres / metres_per_second)
        return TravelMatrix(durations, distances, "geodesic")

    def table(self, origins: list[Point], destinations: list[Point]) -> TravelTable:
        """Origins × destinations only, on the sphere (numpy): 250 places × 50 venues in
        milliseconds. The sphere differs from the ellipsoid by under 0.5 %, far less than
        the detour factor's own uncertainty."""
        if not origins or not destinations:
            return TravelTable([[] for _ in origins], "geodesic")
        a = np.radians(np.array(origins, dtype=float))[:, None, :]
        b = np.radians(np.array(destinations, dtype=float))[None, :, :]
        h = (
            np.sin((b[..., 0] - a[..., 0]) / 2) ** 2
            + np.cos(a[..., 0]) * np.cos(b[..., 0]) * np.sin((b[..., 1] - a[..., 1]) / 2) ** 2
        )
        metres = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) * self.detour_factor
        seconds = np.rint(metres / (self.speed_kmh / 3.6)).astype(int)
        return TravelTable(seconds.tolist(), "geodesic")


@dataclass(frozen=True)
class OsrmProvider:
    """OSRM's table service: GET {url}/table/v1/driving/{lon,lat;…}?annotations=duration,distance."""

    url: str
    timeout: float = 10.0
    profile: str = "driving"

    def matrix(self, points: list[Point]) -> TravelMatrix:
        if len(points) < 2:
            zeros = [[0] * len(points) for _ in points]
            return TravelMatrix(zeros, [list(row) for row in zeros], "osrm")
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        url = (
            f"{self.url.rstrip('/')}/table/v1/{self.profile}/{coords}?annotations=duration,distance"
        )
        body = self._fetch(url)
        return _parse_table(body, len(points))

    def table(self, origins: list[Point], destinations: list[Point]) -> TravelTable:
        """One request: the table service with `sources` and `destinations`."""
        if not origins or not destinations:
            return TravelTable([[] for _ in origins], "osrm")
        points = [*origins, *destinations]
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        sources = ";".join(str(i) for i in range(len(origins)))
        targets = ";".join(str(len(origins) + j) for j in range(len(destinations)))
        url = (
            f"{self.url.rstrip('/')}/table/v1/{self.profile}/{coords}"
            f"?annotations=duration&sources={sources}&destinations={targets}"
        )
        data = _table_json(self._fetch(url))
        rows = _rows(data.get("durations"), len(origins), len(destinations), "durations")
        return TravelTable(rows, "osrm")

    def _fetch(self, url: str) -> bytes:
        if not url.startswith(("http://", "https://")):
            raise MatrixError("OSRM_URL must start with http:// or https://")
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as exc:
            raise MatrixError(f"HTTP {exc.code}{_osrm_message(exc.read())}") from None
        except TimeoutError:
            raise MatrixError("timeout") from None
        except urllib.error.URLError as exc:
            reason = "timeout" if isinstance(exc.reason, TimeoutError) else str(exc.reason)
            raise MatrixError(reason) from None
        except OSError as exc:
            raise MatrixError(exc.__class__.__name__) from None


def _osrm_message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict) and data.get("code"):
        return f" ({data['code']})"
    return ""


def _table_json(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except ValueError:
        raise MatrixError("answer is not JSON") from None
    if not isinstance(data, dict):
        raise MatrixError("answer is not a JSON object")
    if data.get("code") != "Ok":
        raise MatrixError(f"code {data.get('code')!r}")
    return data


def _parse_table(body: bytes, n: int) -> TravelMatrix:
    data = _table_json(body)
    return TravelMatrix(
        _square(data.get("durations"), n, "durations"),
        _square(data.get("distances"), n, "distances"),
        "osrm",
    )


def _square(rows: object, n: int, name: str) -> list[list[int]]:
    return _rows(rows, n, n, name)


def _rows(rows: object, n: int, m: int, name: str) -> list[list[int]]:
    if not isinstance(rows, list) or len(rows) != n:
        raise MatrixError(f"{name} is not a {n}×{m} table")
    out = []
    for row in rows:
        if not isinstance(row, list) or len(row) != m:
            raise MatrixError(f"{name} is not a {n}×{m} table")
        if any(v is None for v in row):
            raise MatrixError(f"{name} has unreachable points")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in row):
            raise MatrixError(f"{name} holds values that are not durations/distances")
        out.append([round(v) for v in row])
    return out


def geodesic_for(org: Organisation) -> GeodesicProvider:
    return GeodesicProvider(org.detour_factor, float(org.average_speed_kmh))


def travel_matrix(org: Organisation, points: list[Point], choice: str = "auto") -> TravelMatrix:
    """The matrix for `points`: OSRM when configured (or asked for), else geodesic.

    choice: "auto" (OSRM if settings.OSRM_URL is set), "geodesic" or "osrm".
    """
    fallback = geodesic_for(org)
    url = settings.OSRM_URL
    if choice == "geodesic" or (choice == "auto" and not url):
        return fallback.matrix(points)
    if not url:
        return _fallback(fallback, points, "OSRM_URL is not set")
    try:
        return OsrmProvider(url, timeout=float(settings.OSRM_TIMEOUT)).matrix(points)
    except MatrixError as exc:
        return _fallback(fallback, points, str(exc))


def _fallback(provider: GeodesicProvider, points: list[Point], reason: str) -> TravelMatrix:
    logger.warning("OSRM matrix for %d points failed (%s); using geodesic", len(points), reason)
    result = provider.matrix(points)
    return TravelMatrix(result.durations, result.distances, f"geodesic (OSRM failed: {reason})")


def travel_table(
    org: Organisation, origins: list[Point], destinations: list[Point], choice: str = "auto"
) -> TravelTable:
    """Durations from every origin to every destination in one call (OSRM when configured).

    The district's gap analysis asks this once for all municipalities × all venues.
    """
    fallback = geodesic_for(org)
    url = settings.OSRM_URL
    if choice == "geodesic" or (choice == "auto" and not url):
        return fallback.table(origins, destinations)
    reason = "OSRM_URL is not set"
    if url:
        try:
            return OsrmProvider(url, timeout=float(settings.OSRM_TIMEOUT)).table(
                origins, destinations
            )
        except MatrixError as exc:
            reason = str(exc)
    logger.warning(
        "OSRM table %d×%d failed (%s); using geodesic", len(origins), len(destinations), reason
    )
    result = fallback.table(origins, destinations)
    return TravelTable(result.durations, f"geodesic (OSRM failed: {reason})")
