"""The overview as a file: CSV (for any tool) and XLSX (for spreadsheets).

Both carry the same columns and rows (`table`): offers first, then partners. The CSV is
what German spreadsheets open without asking: UTF-8 with a byte order mark, ";" between
fields. A cell that would start a formula (=, +, -, @) gets a leading apostrophe, so a
title typed by someone else can never run as a formula in the office's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from backend.district.overview import OfferRow, Overview, PartnerRow

FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PHONE = re.compile(r"^\+[0-9][0-9 ()/-]*$")  # "+49 6561 …" is a number, not a formula
COLUMN_WIDTH = 28


def columns() -> list[str]:
    return [
        _("Eintrag"),
        _("Quelle"),
        _("Name"),
        _("Art des Partners"),
        _("Bereich"),
        _("Für wen"),
        _("Alter"),
        _("Zielgruppe"),
        _("Träger"),
        _("Ort"),
        _("Adresse"),
        _("Ansprechstelle"),
        _("Telefon"),
        _("E-Mail"),
        _("Webseite"),
        _("Arbeitet mit"),
        _("Breitengrad"),
        _("Längengrad"),
    ]


def _offer(o: OfferRow) -> list[object]:
    return [
        _("Angebot"),
        o.source,
        o.name,
        "",
        o.sector_labels,
        o.audience,
        o.ages,
        o.target_group,
        o.provider,
        o.town,
        o.address,
        "",
        o.phone,
        o.email,
        o.website,
        "",
        o.latitude,
        o.longitude,
    ]


def _partner(p: PartnerRow) -> list[object]:
    return [
        _("Partner"),
        _("Register"),
        p.name,
        p.kind,
        p.sector_labels,
        "",
        "",
        "",
        "",
        p.town,
        p.address,
        p.contact,
        p.phone,
        p.email,
        "",
        "; ".join(p.works_with),
        p.latitude,
        p.longitude,
    ]


def table(overview: Overview) -> list[list[object]]:
    rows = [_offer(o) for o in overview.offers] + [_partner(p) for p in overview.partners]
    return [[_safe(v) for v in row] for row in rows]


def _safe(value: object) -> object:
    if isinstance(value, str) and FORMULA_START.match(value) and not PHONE.match(value):
        return "'" + value
    return "" if value is None else value


def as_csv(overview: Overview) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns())
    writer.writerows(table(overview))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(overview: Overview) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = _("Bestandsaufnahme")
    sheet.append(columns())
    for row in table(overview):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(columns()) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTH
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    # openpyxl stores a string that starts with "=" as a formula: mark every text as text.
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
