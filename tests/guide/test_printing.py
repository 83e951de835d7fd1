"""The brochure and the poster: every listed offer, QR codes that lead to the guide."""

import io

import pytest
from django.utils.formats import date_format
from django.utils.translation import override
from pypdf import PdfReader

from backend.guide.models import Poster
from backend.lib import clock
from backend.offers.models import GroupOffer
from tests.guide.pdfs import qr_codes, text_of
from tests.personal import personal_values, venue_streets

SITE = "http://lotse.test"


def edition() -> str:
    """Today as the edition line prints it (in German)."""
    with override("de"):
        return date_format(clock.today(), "j. F Y")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_brochure_has_every_listed_offer_and_qr_codes_to_the_guide(client, world):
    world["a"]["offer"].calendar_title = "Dienstagsgruppe"
    world["a"]["offer"].save(update_fields=["calendar_title"])
    content = pdf(client, "/angebote/broschuere.pdf")
    text = text_of(content)
    for title in ("Dienstagsgruppe", "Kindergruppe B"):
        assert title in text
    assert "Kindergruppe A" not in text  # the neutral calendar title is what the public sees
    assert f"Stand: {edition()}" in text
    assert "Für Kinder von 6 bis 9 Jahren" in text
    assert qr_codes(content, 0) == [f"{SITE}/angebote/"]
    offers = sorted(qr_codes(content, 1))
    assert offers == sorted(f"{SITE}/angebote/{world[s]['offer'].pk}/" for s in ("a", "b"))


def test_a_providers_brochure_has_only_its_offers(client, world):
    content = pdf(client, "/angebote/broschuere.pdf?provider=traeger-b")
    text = text_of(content)
    assert "Kindergruppe B" in text and "Kindergruppe A" not in text
    assert qr_codes(content, 0) == [f"{SITE}/angebote/?provider=traeger-b"]


def test_an_unlisted_offer_is_not_in_the_brochure(client, world):
    GroupOffer.objects.filter(pk=world["a"]["offer"].pk).update(listed=False)
    assert "Kindergruppe A" not in text_of(pdf(client, "/angebote/broschuere.pdf"))


def test_an_unknown_provider_is_a_404(client, world):
    assert client.get("/angebote/broschuere.pdf?provider=niemand").status_code == 404
    assert client.get("/angebote/plakat.pdf?provider=niemand").status_code == 404


@pytest.mark.parametrize("size, width_mm", [("", 210), ("A3", 297)])
def test_the_poster_has_a_large_qr_code_to_the_guide(client, world, size, width_mm):
    content = pdf(client, f"/angebote/plakat.pdf?size={size}")
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == width_mm
    assert qr_codes(content) == [f"{SITE}/angebote/"]
    assert f"Stand: {edition()}" in text_of(content)


def test_the_office_edits_the_posters_text(client, world):
    Poster.objects.create(headline="Gemeinsam stark", text="Wir sind für euch da.")
    text = text_of(pdf(client, "/angebote/plakat.pdf"))
    assert "Gemeinsam stark" in text and "Wir sind für euch da." in text
    Poster.objects.create(organisation=world["b"]["org"], headline="Träger B lädt ein")
    text = text_of(pdf(client, "/angebote/plakat.pdf?provider=traeger-b"))
    assert "Träger B lädt ein" in text
    assert qr_codes(pdf(client, "/angebote/plakat.pdf?provider=traeger-b")) == [
        f"{SITE}/angebote/?provider=traeger-b"
    ]


def test_no_pdf_contains_personal_data(client, world):
    world["a"]["sessions"][1].cancel("Mila A ist krank")
    texts = text_of(pdf(client, "/angebote/broschuere.pdf")) + text_of(
        pdf(client, "/angebote/plakat.pdf")
    )
    # the providers did not allow the street
    for value in [*personal_values(world), *venue_streets(world)]:
        assert value not in texts, value
