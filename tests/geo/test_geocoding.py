"""Geocoding: the offline PLZ gazetteer, an online geocoder behind geopy, manual coordinates win."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from backend.families.models import Enrolment, Family
from backend.geo.geocoding import (
    Gazetteer,
    GeocodingError,
    OnlineGeocoder,
    Query,
    geocode_missing,
    geocoder_from_settings,
)
from tests.conftest import add_family


def test_known_postcodes_resolve_approximately():
    found = Gazetteer().locate(Query("Hauptstraße 1", "54634", "Bitburg"))
    assert found.source == "approximate"
    assert abs(found.latitude - 49.967) < 0.02 and abs(found.longitude - 6.532) < 0.02
    village = Gazetteer().locate(Query("", "54673", "Neuerburg"))
    assert abs(village.latitude - 50.016) < 0.02 and abs(village.longitude - 6.26) < 0.02


@pytest.mark.parametrize(
    "postcode,message",
    [
        ("99999", "Die Postleitzahl 99999 ist nicht bekannt."),
        ("5463", "„5463“ ist keine deutsche Postleitzahl (fünf Ziffern)."),
        ("", "Keine Postleitzahl angegeben"),
    ],
)
def test_unknown_postcodes_give_a_clear_error(postcode, message):
    with pytest.raises(GeocodingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Gazetteer().locate(Query("Irgendwo 1", postcode, "Nirgendwo"))


class FakeGeopy:
    def __init__(self, answer):
        self.answer, self.queries = answer, []

    def geocode(self, query, exactly_one=True):
        self.queries.append(query)
        return self.answer


class Point:
    latitude, longitude = 49.9701, 6.5202


def test_online_geocoder_is_exact_and_falls_back_to_the_gazetteer():
    online = FakeGeopy(Point())
    found = OnlineGeocoder(online).locate(Query("Hauptstraße 1", "54634", "Bitburg"))
    assert (found.latitude, found.longitude, found.source) == (49.9701, 6.5202, "geocoded")
    assert online.queries == ["Hauptstraße 1, 54634 Bitburg, Deutschland"]
    missed = OnlineGeocoder(FakeGeopy(None)).locate(Query("Weg 1", "54634", "Bitburg"))
    assert missed.source == "approximate"


def test_geocode_missing_fills_gaps_and_keeps_manual_coordinates(world):
    a = world["a"]
    org = a["org"]
    manual = a["family"]
    # Rows stored before addresses were placed on save (queryset updates skip save()).
    missing = add_family(org, "F-A-5", None, None)
    unknown = add_family(org, "F-A-6", None, None)
    Family.objects.filter(pk=missing.pk).update(latitude=None, longitude=None)
    Family.objects.filter(pk=unknown.pk).update(latitude=None, longitude=None, postcode="00000")
    Enrolment.objects.filter(pk=a["enrolment"].pk).update(
        pickup_street="Schulweg 1", pickup_postcode="54636"
    )
    report = geocode_missing(org, Gazetteer())
    missing.refresh_from_db()
    manual.refresh_from_db()
    assert (missing.latitude, missing.coordinates_source) != (None, "manual")
    assert missing.coordinates_source == "approximate"
    assert (manual.latitude, manual.coordinates_source) == (49.97 + 0.05, "manual")
    assert Enrolment.objects.get(pk=a["enrolment"].pk).pickup_latitude is not None
    assert report.located == 2 and report.approximate == 2
    assert report.failed == [
        ("family", unknown.pk, "F-A-6", "Die Postleitzahl 00000 ist nicht bekannt.")
    ]
    unknown.refresh_from_db()
    assert unknown.latitude is None


def test_geocode_command(world, capsys):
    family = add_family(world["a"]["org"], "F-A-7", None, None)
    Family.objects.filter(pk=family.pk).update(latitude=None, longitude=None)
    call_command("geocode", "--org", "traeger-a")
    out = capsys.readouterr().out
    assert "1 Adressen verortet (1 ungefähr)" in out
    with pytest.raises(CommandError, match="no organisation with the short name 'nope'"):
        call_command("geocode", "--org", "nope")


class FakePhoton(BaseHTTPRequestHandler):
    queries: list[str] = []

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        type(self).queries.append(query)
        features = []
        if query.startswith("Hauptstraße"):
            features = [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [6.5251, 49.9712]},
                    "properties": {
                        "name": "Hauptstraße",
                        "city": "Bitburg",
                        "country": "Deutschland",
                    },
                }
            ]
        body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def photon(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePhoton)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakePhoton.queries = []
    settings.GEOCODER = "photon"
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    yield FakePhoton
    server.shutdown()
    server.server_close()


def test_photon_from_settings_against_a_local_server(photon):
    geocoder = geocoder_from_settings()
    found = geocoder.locate(Query("Hauptstraße 1", "54634", "Bitburg"))
    assert (found.latitude, found.longitude, found.source) == (49.9712, 6.5251, "geocoded")
    fallback = geocoder.locate(Query("Feldweg 9", "54636", "Wolsfeld"))
    assert fallback.source == "approximate"
    assert photon.queries == [
        "Hauptstraße 1, 54634 Bitburg, Deutschland",
        "Feldweg 9, 54636 Wolsfeld, Deutschland",
    ]


@pytest.mark.parametrize("kind,url", [("nominatim", ""), ("google", "http://127.0.0.1:1")])
def test_misconfigured_geocoder_is_refused(settings, kind, url):
    settings.GEOCODER, settings.GEOCODER_URL = kind, url
    with pytest.raises(ImproperlyConfigured):
        geocoder_from_settings()
