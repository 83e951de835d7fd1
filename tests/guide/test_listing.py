"""Providers list an offer; a coordinator approves it before the public sees it."""

import datetime as dt

from backend.offers.models import GroupOffer


def public_ids(client) -> set[int]:
    return {row["id"] for row in client.get("/api/public/offers/").json()["results"]}


def test_a_new_offer_waits_for_approval(world, clients, client):
    a = world["a"]
    response = clients["bob"].post(
        "/api/group-offers/",
        {
            "title": "Neue Gruppe",
            "venue": a["venue"].pk,
            "rrule": "FREQ=WEEKLY;BYDAY=WE",
            "start_time": "15:00",
            "first_date": "2026-12-02",
            "listing_approved": True,  # ignored: read-only for everybody
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    new = response.json()
    assert (new["listed"], new["listing_approved"]) == (True, False)
    assert new["id"] not in public_ids(client)

    refused = clients["bob"].post(f"/api/group-offers/{new['id']}/approve-listing/")
    assert refused.status_code == 403
    approved = clients["alice"].post(f"/api/group-offers/{new['id']}/approve-listing/")
    assert approved.status_code == 200
    assert approved.json()["listing_approved"] is True
    assert new["id"] in public_ids(client)

    clients["alice"].post(f"/api/group-offers/{new['id']}/withdraw-listing/")
    assert new["id"] not in public_ids(client)


def test_the_provider_takes_an_approved_offer_out_of_the_guide(world, clients, client):
    offer = world["a"]["offer"]
    assert offer.pk in public_ids(client)
    response = clients["bob"].patch(
        f"/api/group-offers/{offer.pk}/", {"listed": False}, format="json"
    )
    assert response.status_code == 200
    assert offer.pk not in public_ids(client)


def test_another_organisation_cannot_approve(world, clients):
    offer = world["a"]["offer"]
    GroupOffer.objects.filter(pk=offer.pk).update(listing_approved=False)
    response = clients["charlie"].post(f"/api/group-offers/{offer.pk}/approve-listing/")
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.listing_approved is False
    assert offer.first_date == dt.date(2026, 9, 1)
