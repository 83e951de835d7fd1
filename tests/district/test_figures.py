"""The office's files and figures: CSV/XLSX exports, referral paths per quarter (issue 15 §3–4).

A count below five reads "< 5", zero reads "0"; there are no totals. Families of a
provider that does not share are not counted.
"""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from backend.district.referrals import Quarter, last_quarters, referral_table
from backend.families.models import Enrolment, Family, Participant, ReferralKind
from backend.offers.models import GroupOffer
from tests.conftest import TODAY
from tests.personal import personal_values

HEADER = ["Eintrag", "Quelle", "Name", "Art des Partners", "Bereich"]


def csv_rows(pages, **query) -> list[list[str]]:
    answer = pages["olga"].get("/bezirk/bestand.csv", query)
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == 'attachment; filename="bestandsaufnahme-2026-11-23.csv"'
    assert answer.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_has_every_offer_and_partner(pages, register, world):
    rows = csv_rows(pages)
    assert rows[0][:5] == HEADER
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {
        "Kindergruppe A",
        "Kindergruppe B",
        "Suchtberatung Elterngruppe",
        "Grundschule Bitburg-Süd",
    }
    offer = by_name["Suchtberatung Elterngruppe"]
    assert offer[:3] == ["Angebot", "Register", "Suchtberatung Elterngruppe"]
    assert offer[4:10] == [
        "Suchthilfe",
        "Eltern",
        "jedes Alter",
        "Eltern mit Suchterkrankung",
        "Caritas Westeifel (Demo)",
        "Prüm",
    ]
    assert by_name["Kindergruppe A"][1] == "Lotse"
    assert by_name["Kindergruppe A"][10] == "Bitburg"  # no street: the provider did not allow it
    partner = by_name["Grundschule Bitburg-Süd"]
    assert partner[:5] == [
        "Partner",
        "Register",
        partner[2],
        "Schule / Schulsozialarbeit",
        "Schule",
    ]
    assert partner[15] == "Suchtberatung Elterngruppe"  # works with
    assert float(partner[16]) == pytest.approx(49.97, abs=0.05)
    text = "\n".join(";".join(r) for r in rows)
    for value in [*personal_values(world), world["a"]["venue"].street]:
        assert value not in text, value


def test_the_export_follows_the_filter(pages, register):
    names = [row[2] for row in csv_rows(pages, ort="Prüm")[1:]]
    assert names == ["Suchtberatung Elterngruppe"]


def test_a_title_cannot_become_a_formula(pages, register, world):
    GroupOffer.objects.filter(pk=world["a"]["offer"].pk).update(
        calendar_title='=HYPERLINK("http://x.example","klick")'
    )
    rows = csv_rows(pages)
    assert '\'=HYPERLINK("http://x.example","klick")' in [row[2] for row in rows]
    answer = pages["olga"].get("/bezirk/bestand.xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [cell.value for cell in sheet["C"]]
    assert '\'=HYPERLINK("http://x.example","klick")' in values
    assert all(cell.data_type == "s" for cell in sheet["C"])
    phone = [r for r in rows if r[2] == "Suchtberatung Elterngruppe"][0][12]
    assert phone == "06551 0000 11"


def test_the_xlsx_has_the_same_rows_as_the_csv(pages, register):
    answer = pages["olga"].get("/bezirk/bestand.xlsx")
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.title == "Bestandsaufnahme"
    xlsx = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx == csv_rows(pages)


# --- referral paths ----------------------------------------------------------------------


def add_families(org, kind: str, n: int, joined: dt.date | None, offer=None) -> None:
    for i in range(n):
        family = Family.objects.create(
            organisation=org,
            reference=f"R-{kind}-{joined}-{i}",
            contact_name="X",
            referral_kind=kind,
        )
        if joined is not None:
            child = Participant.objects.create(
                family=family, first_name="Kind", birth_year=2018, birth_month=1
            )
            Enrolment.objects.create(participant=child, offer=offer, joined_on=joined)


def cell(table, kind: str, quarter: Quarter) -> str:
    row = next(r for r in table.rows if r.kind == kind)
    return str(row.counts[table.quarters.index(quarter)])


def test_the_last_four_quarters_end_with_this_one():
    assert [q.label for q in last_quarters(dt.date(2026, 2, 10))] == [
        "Q2 2025",
        "Q3 2025",
        "Q4 2025",
        "Q1 2026",
    ]


def test_counts_below_five_read_less_than_five(world, office):
    org, offer = world["a"]["org"], world["a"]["offer"]
    q3, q4 = Quarter(2026, 3), Quarter(2026, 4)
    add_families(org, "school", 4, dt.date(2026, 10, 5), offer)
    add_families(org, "youth_office", 5, dt.date(2026, 11, 2), offer)
    table = referral_table(TODAY)
    assert [q.label for q in table.quarters] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    assert [r.kind for r in table.rows] == list(ReferralKind.values)
    assert cell(table, "school", q4) == "< 5"
    assert cell(table, "youth_office", q4) == "5"
    assert cell(table, "self", q4) == "0"
    # world's two families (one per provider) joined in September and are "unknown"
    assert cell(table, "unknown", q3) == "< 5"
    assert table.rows[0].counts[2].value == 0


def test_a_family_counts_when_it_was_taken_on(world, office):
    org, offer = world["a"]["org"], world["a"]["offer"]
    add_families(org, "self", 5, dt.date(2026, 4, 1), offer)  # joined in Q2
    add_families(org, "self", 5, None)  # no enrolment: the day it was entered (Q4)
    table = referral_table(TODAY)
    assert cell(table, "self", Quarter(2026, 2)) == "5"
    assert cell(table, "self", Quarter(2026, 4)) == "5"


def test_families_of_a_provider_that_does_not_share_are_not_counted(world, office):
    add_families(world["b"]["org"], "doctor", 6, dt.date(2026, 10, 1), world["b"]["offer"])
    assert cell(referral_table(TODAY), "doctor", Quarter(2026, 4)) == "6"
    world["b"]["org"].shares_with_office = False
    world["b"]["org"].save(update_fields=["shares_with_office"])
    assert cell(referral_table(TODAY), "doctor", Quarter(2026, 4)) == "0"


def test_the_page_shows_the_counts(pages, world, office):
    family = world["a"]["family"]
    family.referral_kind = "school"
    family.save(update_fields=["referral_kind"])
    page = pages["olga"].get("/bezirk/zugangswege/").content.decode()
    row = page[page.index('data-path="school"') :].split("</tr>")[0]
    assert row.count("&lt; 5") == 1 and row.count(">0<") == 3
    assert "Schule/Schulsozialarbeit" in row
    table = page[page.index("<table") : page.index("</table>")]
    assert table.count("<tr") == 1 + 11  # the header and one row per path: no total
