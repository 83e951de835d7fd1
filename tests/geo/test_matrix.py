"""Travel matrices: geodesic by default, OSRM's table service when configured (issue 4 §1).

The OSRM tests talk to a local HTTP server on 127.0.0.1 that answers in OSRM's
documented table format (code, durations, distances).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.geo.matrix import GeodesicProvider, OsrmProvider, travel_matrix
from backend.organisations.models import Organisation

BITBURG = (49.9669, 6.5319)
TRIER = (49.7500, 6.6371)
POINTS = [BITBURG, TRIER]


class FakeOsrm(BaseHTTPRequestHandler):
    mode = "ok"
    paths: list[str] = []

    def do_GET(self):
        type(self).paths.append(self.path)
        if self.mode == "timeout":
            time.sleep(1.5)
        if self.mode == "500":
            return self._send(500, b"internal error")
        if self.mode == "invalid":
            return self._send(
                400,
                json.dumps({"code": "InvalidQuery", "message": "Query string malformed"}).encode(),
            )
        if self.mode == "garbage":
            return self._send(200, b"{not json")
        if self.mode == "unreachable":
            body = {
                "code": "Ok",
                "durations": [[0, None], [None, 0]],
                "distances": [[0, None], [None, 0]],
            }
            return self._send(200, json.dumps(body).encode())
        body = {
            "code": "Ok",
            "durations": [[0, 1561.3], [1580.9, 0]],
            "distances": [[0, 30120.4], [30290.2, 0]],
            "sources": [{"location": [6.53, 49.97]}, {"location": [6.64, 49.75]}],
            "destinations": [{"location": [6.53, 49.97]}, {"location": [6.64, 49.75]}],
        }
        self._send(200, json.dumps(body).encode())

    def _send(self, code, body):
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeOsrm.mode, FakeOsrm.paths = "ok", []
    settings.OSRM_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.OSRM_TIMEOUT = 1
    yield FakeOsrm
    server.shutdown()
    server.server_close()


@pytest.fixture
def org(db):
    return Organisation.objects.create(slug="m", name="M", detour_factor=1.3, average_speed_kmh=50)


def test_geodesic_matrix_is_detour_times_distance_at_average_speed():
    result = GeodesicProvider(1.3, 50).matrix(POINTS)
    # Bitburg–Trier is about 25.3 km as the crow flies.
    assert 32500 < result.distances[0][1] < 33300
    assert result.distances[0][1] == result.distances[1][0]
    assert abs(result.durations[0][1] - result.distances[0][1] / (50 / 3.6)) <= 1
    assert result.distances[0][0] == result.durations[1][1] == 0
    assert result.source == "geodesic"


def test_without_osrm_url_the_geodesic_provider_is_used(org, settings):
    settings.OSRM_URL = ""
    assert travel_matrix(org, POINTS).source == "geodesic"


def test_osrm_table_is_read_and_asked_with_lon_lat(org, osrm):
    result = travel_matrix(org, POINTS)
    assert result.source == "osrm"
    assert result.durations == [[0, 1561], [1581, 0]]
    assert result.distances == [[0, 30120], [30290, 0]]
    assert osrm.paths == [
        "/table/v1/driving/6.531900,49.966900;6.637100,49.750000?annotations=duration,distance"
    ]


@pytest.mark.parametrize(
    "mode,reason",
    [
        ("500", "HTTP 500"),
        ("invalid", "HTTP 400 (InvalidQuery)"),
        ("garbage", "answer is not JSON"),
        ("unreachable", "durations has unreachable points"),
        ("timeout", "timeout"),
    ],
)
def test_osrm_failures_fall_back_to_geodesic_and_say_why(org, osrm, mode, reason, caplog):
    osrm.mode = mode
    result = travel_matrix(org, POINTS)
    assert result.source == f"geodesic (OSRM failed: {reason})"
    assert result.distances == GeodesicProvider(1.3, 50).matrix(POINTS).distances
    assert "OSRM matrix for 2 points failed" in caplog.text


def test_osrm_code_other_than_ok_is_an_error(org, osrm, monkeypatch):
    monkeypatch.setattr(OsrmProvider, "_fetch", lambda self, url: b'{"code": "NoTable"}')
    assert travel_matrix(org, POINTS).source == "geodesic (OSRM failed: code 'NoTable')"


def test_unreachable_server_falls_back(org, settings):
    settings.OSRM_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    assert travel_matrix(org, POINTS).source.startswith("geodesic (OSRM failed:")


def test_osrm_travel_table_is_one_request_with_sources_and_destinations(org, osrm):
    """The gap analysis asks all origins × all destinations in one request."""
    from backend.geo.matrix import travel_table

    result = travel_table(org, POINTS, POINTS)
    assert (result.source, result.durations) == ("osrm", [[0, 1561], [1581, 0]])
    assert osrm.paths == [
        "/table/v1/driving/6.531900,49.966900;6.637100,49.750000;6.531900,49.966900;"
        "6.637100,49.750000?annotations=duration&sources=0;1&destinations=2;3"
    ]


def test_a_travel_table_of_the_wrong_shape_falls_back_to_the_straight_line(org, osrm, caplog):
    from backend.geo.matrix import travel_table

    result = travel_table(org, [BITBURG], [TRIER])  # the fake's 2×2 answer does not fit 1×1
    assert result.source == "geodesic (OSRM failed: durations is not a 1×1 table)"
    assert result.durations == GeodesicProvider(1.3, 50).table([BITBURG], [TRIER]).durations
    assert "OSRM table 1×1 failed" in caplog.text
    osrm.mode = "500"
    assert travel_table(org, [BITBURG], [TRIER]).source == "geodesic (OSRM failed: HTTP 500)"
