import pytest
from django.test import Client

from backend.gaps.models import Municipality
from tests.frontend.conftest import pages  # noqa: F401 (the logged-in clients)


@pytest.fixture
def municipalities(office) -> dict[str, Municipality]:
    """Three places of the office's district: Bitburg (where org A's group meets), Wolsfeld
    (where family A lives, about 7 km away) and Daleiden (about 30 km west)."""
    org = office["org"]
    return {
        name: Municipality.objects.create(
            organisation=org, name=name, ags=ags, latitude=lat, longitude=lon
        )
        for name, ags, lat, lon in [
            ("Bitburg", "07232011", 49.97, 6.52),
            ("Wolsfeld", "", 50.02, 6.57),
            ("Daleiden", "", 50.082, 6.167),
        ]
    }


@pytest.fixture
def olga(office) -> Client:
    client = Client()
    client.force_login(office["olga"])
    return client
