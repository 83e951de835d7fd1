"""Addresses are placed when they are saved, wherever they are saved: API, admin, code.

The offline gazetteer (the default geocoder) gives the centre of the postal code area,
flagged as approximate. Coordinates entered by hand are exact and win. An address that
cannot be placed is a 400 (or a form error) on its postcode, and nothing is stored.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from backend.families.models import Enrolment, Family
from backend.fleet.models import Driver
from backend.offers.models import Venue

BITBURG = (49.966927, 6.531899)  # centre of 54634
PRUEM = (50.220984, 6.418661)  # centre of 54595


def _point(record) -> tuple[float, float]:
    return (round(record.latitude, 4), round(record.longitude, 4))


def _approx(point) -> tuple[float, float]:
    return (round(point[0], 4), round(point[1], 4))


def test_a_family_created_through_the_api_is_placed_approximately(world, clients):
    response = clients["alice"].post(
        "/api/families/",
        {"reference": "F-NEU", "contact_name": "K", "street": "Markt 1", "postcode": "54634"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (round(body["latitude"], 4), round(body["longitude"], 4)) == _approx(BITBURG)
    assert body["coordinates_source"] == "approximate"


def test_a_changed_address_is_placed_again_and_exact_coordinates_win(world, clients):
    family = world["a"]["family"]
    url = f"/api/families/{family.pk}/"
    moved = clients["alice"].patch(url, {"postcode": "54595", "town": "Prüm"}, format="json")
    assert moved.status_code == 200, moved.content
    family.refresh_from_db()
    assert (_point(family), family.coordinates_source) == (_approx(PRUEM), "approximate")
    assert family.is_approximate

    exact = clients["alice"].patch(url, {"latitude": 50.2, "longitude": 6.4}, format="json")
    assert exact.status_code == 200, exact.content
    family.refresh_from_db()
    assert (_point(family), family.coordinates_source) == ((50.2, 6.4), "manual")
    assert not family.is_approximate

    # The source is derived, never written by a client.
    clients["alice"].patch(url, {"coordinates_source": "approximate"}, format="json")
    family.refresh_from_db()
    assert family.coordinates_source == "manual"


def test_an_unknown_postcode_is_a_400_on_the_postcode_and_nothing_changes(world, clients):
    family = world["a"]["family"]
    before = (family.postcode, _point(family))
    response = clients["alice"].patch(
        f"/api/families/{family.pk}/", {"postcode": "00000"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"postcode": ["Die Postleitzahl 00000 ist nicht bekannt."]}
    family.refresh_from_db()
    assert (family.postcode, _point(family)) == before


def test_venues_and_drivers_without_coordinates_are_placed_from_their_address(world, clients):
    venue = clients["alice"].post(
        "/api/venues/", {"name": "Bürgerhaus", "postcode": "54595", "town": "Prüm"}, format="json"
    )
    assert venue.status_code == 201, venue.content
    assert Venue.objects.get(pk=venue.json()["id"]).coordinates_source == "approximate"
    driver = clients["alice"].post(
        "/api/drivers/", {"name": "Carla", "street": "Markt 2", "postcode": "54634"}, format="json"
    )
    assert driver.status_code == 201, driver.content
    assert _point(Driver.objects.get(pk=driver.json()["id"])) == _approx(BITBURG)


def test_a_pickup_override_is_placed_and_flagged(world, clients):
    enrolment = world["a"]["enrolment"]
    response = clients["alice"].patch(
        f"/api/enrolments/{enrolment.pk}/",
        {"pickup_street": "Schulweg 1", "pickup_postcode": "54595", "pickup_town": "Prüm"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["pickup_coordinates_source"] == "approximate"
    enrolment.refresh_from_db()
    assert enrolment.pickup_is_approximate
    assert (round(enrolment.pickup_latitude, 4), round(enrolment.pickup_longitude, 4)) == (
        _approx(PRUEM)
    )


def test_saving_in_code_places_the_address_too(world):
    family = Family.objects.create(
        organisation=world["a"]["org"], reference="F-CODE", contact_name="K", postcode="54634"
    )
    assert (_point(family), family.coordinates_source) == (_approx(BITBURG), "approximate")
    family.postcode = "54595"
    family.save()
    assert _point(Family.objects.get(pk=family.pk)) == _approx(PRUEM)
    # A family without any address stays without coordinates (it may not need rides).
    bare = Family.objects.create(organisation=world["a"]["org"], reference="F-0", contact_name="K")
    assert bare.latitude is None


def test_an_address_that_cannot_be_placed_is_not_saved_in_code(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        Enrolment.objects.create(
            participant=world["a"]["child"],
            offer=world["a"]["offer"],
            joined_on="2026-12-01",
            pickup_postcode="5463",
        )
    assert caught.value.message_dict == {
        "pickup_postcode": ["„5463“ ist keine deutsche Postleitzahl (fünf Ziffern)."]
    }


@pytest.fixture
def admin_client_(world, client):
    client.force_login(User.objects.create_superuser("root", password="root-pass-123"))
    return client


def _family_form(family: Family, **changes) -> dict:
    data = {
        "organisation": family.organisation_id,
        "reference": family.reference,
        "contact_name": family.contact_name,
        "preferred_language": "de",
        "referral_kind": family.referral_kind,
        "street": family.street,
        "postcode": family.postcode,
        "town": family.town,
        "latitude": "",
        "longitude": "",
        **{f"{p}-{k}": v for p in ("participants", "consents") for k, v in _empty_formset()},
    }
    data.update(changes)
    return data


def _empty_formset():
    return [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0")]


def test_the_admin_places_addresses_and_shows_errors_on_the_postcode(world, admin_client_):
    family = world["a"]["family"]
    url = reverse("admin:families_family_change", args=[family.pk])
    bad = admin_client_.post(url, _family_form(family, postcode="00000"))
    assert bad.status_code == 200
    assert "Die Postleitzahl 00000 ist nicht bekannt." in bad.content.decode()
    good = admin_client_.post(url, _family_form(family, postcode="54595"))
    assert good.status_code == 302, good.content.decode()[:2000]
    family.refresh_from_db()
    assert (_point(family), family.coordinates_source) == (_approx(PRUEM), "approximate")
    listing = admin_client_.get(reverse("admin:families_family_changelist")).content.decode()
    assert "Adresse ungefähr – bitte prüfen" in listing


def test_a_row_loaded_without_its_address_is_left_alone(world, django_assert_num_queries):
    family = world["a"]["family"]
    with django_assert_num_queries(1):
        partial = Family.objects.only("pk", "phone").get(pk=family.pk)
    partial.phone = "+49 1"
    partial.save(update_fields=["phone"])
    family.refresh_from_db()
    assert (family.phone, family.coordinates_source) == ("+49 1", "manual")


def test_after_refresh_from_db_the_database_values_count_as_saved(world):
    family = world["a"]["family"]
    Family.objects.filter(pk=family.pk).update(street="Neuer Weg 1")
    family.refresh_from_db()
    family.phone = "+49 2"
    family.save()
    family.refresh_from_db()
    assert (family.street, family.coordinates_source) == ("Neuer Weg 1", "manual")
