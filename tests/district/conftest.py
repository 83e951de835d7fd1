"""The coordination office's register on top of `world` and `office` (tests/conftest.py)."""

import pytest
from django.test import Client

from backend.district.models import Partner, RegisterOffer
from tests.conftest import logged_in

# Monday 23.11.2026 08:00 (TODAY), the clock running.
from tests.planning.conftest import monday_morning  # noqa: F401


@pytest.fixture
def register(office) -> dict:
    """One register offer and one partner of the office (Prüm, Bitburg)."""
    org = office["org"]
    offer = RegisterOffer.objects.create(
        organisation=org,
        name="Suchtberatung Elterngruppe",
        sector="addiction",
        audience="parents",
        target_group="Eltern mit Suchterkrankung",
        provider_name="Caritas Westeifel (Demo)",
        street="Kalvarienbergstraße 1",
        postcode="54595",
        town="Prüm",
        contact_phone="06551 0000 11",
    )
    partner = Partner.objects.create(
        organisation=org,
        name="Grundschule Bitburg-Süd",
        kind=Partner.Kind.SCHOOL,
        sector="school",
        contact_name="Schulsozialarbeit",
        postcode="54634",
        town="Bitburg",
    )
    partner.register_offers.add(offer)
    return {"offer": offer, "partner": partner}


@pytest.fixture
def pages(world, office) -> dict[str, Client]:
    """Logged-in clients by user name (olga is the office), plus 'anon'."""
    return logged_in({**world["users"], "olga": office["olga"]})
