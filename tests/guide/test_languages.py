"""The guide speaks the families' languages; Arabic reads right to left."""

import pytest


@pytest.mark.parametrize(
    "language, direction, heading, search",
    [
        ("de", "ltr", "Angebote für Kinder, Jugendliche und Eltern", "Angebote suchen"),
        ("en", "ltr", "Offers for children, young people and parents", "Search offers"),
        ("ar", "rtl", "عروض للأطفال والشباب والآباء", "ابحث عن عروض"),
        ("tr", "ltr", "Çocuklar, gençler ve ebeveynler için teklifler", "Teklif ara"),
        ("uk", "ltr", "Пропозиції для дітей, підлітків і батьків", "Шукати пропозиції"),
        ("ru", "ltr", "Предложения для детей, подростков и родителей", "Искать предложения"),
    ],
)
def test_the_guide_in_each_language(client, world, language, direction, heading, search):
    page = client.get("/angebote/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert heading in page and search in page


@pytest.mark.parametrize(
    "language, text",
    [("ru", "2 предложения"), ("uk", "2 пропозиції"), ("tr", "2 teklif"), ("ar", "عرضان")],
)
def test_counts_use_the_languages_plural_forms(client, world, language, text):
    page = client.get("/angebote/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in page
