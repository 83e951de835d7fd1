"""Bad settings are named by `lotse check` with stable ids, before anything runs."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

GOOD = {
    "DEBUG": False,
    "HTTPS": False,
    "SITE_URL": "http://127.0.0.1:8000",
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
    "OSRM_URL": "",
    "GEOCODER": "offline",
    "GEOCODER_URL": "",
}


def lotse_ids() -> list[str]:
    return sorted(m.id for m in checks.run_checks() if m.id and m.id.startswith("lotse."))


@pytest.fixture(autouse=True)
def good_settings(settings):
    for name, value in GOOD.items():
        setattr(settings, name, value)


def test_the_default_settings_pass(settings):
    assert lotse_ids() == []


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"OSRM_URL": "osrm.internal:5000"}, ["lotse.E001"]),
        ({"OSRM_URL": "ftp://osrm.internal"}, ["lotse.E001"]),
        ({"HTTPS": True, "DEBUG": True}, ["lotse.E002", "lotse.W001"]),
        ({"SITE_URL": "lotse.example.org"}, ["lotse.E003"]),
        ({"SITE_URL": "https://lotse.example.org"}, ["lotse.E004"]),
        ({"SITE_URL": "http://lotse.example.org", "ALLOWED_HOSTS": [".example.org"]}, []),
        ({"HTTPS": True}, ["lotse.W001"]),
        ({"GEOCODER": "google"}, ["lotse.E005"]),
        ({"GEOCODER": "nominatim"}, ["lotse.E006"]),
        ({"GEOCODER": "photon", "GEOCODER_URL": "geo.example.org"}, ["lotse.E006"]),
        ({"GEOCODER": "photon", "GEOCODER_URL": "https://geo.example.org"}, []),
        ({"PLANNING_TIME_LIMIT": 0}, ["lotse.E007"]),
        ({"PLANNING_TIME_LIMIT": 601}, ["lotse.E007"]),
        ({"TRANSPORT_JOBS": "celeri"}, ["lotse.E008"]),
        ({"OSRM_TIMEOUT": 0}, ["lotse.E009"]),
        ({"PLANNING_HEARTBEAT_SECONDS": 0}, ["lotse.E011"]),
        ({"PLANNING_HEARTBEAT_SECONDS": 30, "PLANNING_LEASE_SECONDS": 60}, ["lotse.E011"]),
        ({"PLANNER_ENGINE": "fast"}, ["lotse.E012"]),
        ({"PLANNING_HEARTBEAT_SECONDS": 1, "PLANNING_LEASE_SECONDS": 3}, []),
        ({"FEED_MONTHS_AHEAD": 0, "SESSION_HORIZON_WEEKS": 0}, ["lotse.E010", "lotse.E010"]),
    ],
)
def test_a_bad_setting_is_named_with_its_id(settings, changes, expected):
    for name, value in changes.items():
        setattr(settings, name, value)
    assert lotse_ids() == expected


def test_the_check_command_fails_with_the_id(settings):
    settings.OSRM_URL = "osrm.internal:5000"
    with pytest.raises(SystemCheckError, match=r"lotse\.E001.*OSRM_URL"):
        call_command("check")
