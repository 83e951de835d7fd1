"""Nothing personal on the public guide: no family, child, driver or staff data."""

import json

import pytest

from backend.offers.models import GroupOffer
from tests.personal import personal_values


def public_texts(client, world) -> dict[str, str]:
    urls = ["/angebote/", "/angebote/?age=7&place=54634&radius_km=50", "/api/public/offers/"]
    urls += [f"/angebote/{world[s]['offer'].pk}/" for s in ("a", "b")]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


def test_no_public_page_contains_personal_data(client, world):
    world["a"]["sessions"][1].cancel("Mila A ist krank")  # staff may write personal reasons
    for url, text in public_texts(client, world).items():
        for value in [*personal_values(world), "Mila A ist krank"]:
            assert value not in text, (url, value)


def test_an_unlisted_offer_has_no_page(client, world):
    offer = world["a"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(listed=False)
    assert client.get(f"/angebote/{offer.pk}/").status_code == 404
    assert "Kindergruppe A" not in client.get("/angebote/").content.decode()


def test_an_unapproved_offer_has_no_page(client, world):
    offer = world["a"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(listing_approved=False)
    assert client.get(f"/angebote/{offer.pk}/").status_code == 404


def test_the_map_shows_a_venue_only_roughly_without_the_providers_leave(client, world):
    venue = world["a"]["venue"]
    venue.latitude, venue.longitude = 49.97123, 6.52456
    venue.save(update_fields=["latitude", "longitude"])
    page = client.get(f"/angebote/{world['a']['offer'].pk}/").content.decode()
    assert "49.97123" not in page and "49.97," in page.replace(" ", "")
    GroupOffer.objects.filter(pk=world["a"]["offer"].pk).update(show_address=True)
    page = client.get(f"/angebote/{world['a']['offer'].pk}/").content.decode()
    assert "49.97123" in page and "Hauptstraße 1" in page


@pytest.mark.parametrize("query", ["age=x", "radius_km=900", "place=Atlantis", "weekday=8"])
def test_bad_search_input_is_a_page_with_the_message_not_an_error(client, world, query):
    response = client.get(f"/angebote/?{query}")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_the_api_and_the_page_agree(client, world):
    api = client.get("/api/public/offers/", {"age": 7, "place": "54634", "radius_km": 20}).json()
    page = client.get("/angebote/?age=7&place=54634&radius_km=20").content.decode()
    assert [row["title"] for row in api["results"]] == ["Kindergruppe A"]
    assert "Kindergruppe A" in page and "Kindergruppe B" not in page
    assert json.dumps(api)  # plain JSON
