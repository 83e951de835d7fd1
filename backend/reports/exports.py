"""The report as files: PDF (WeasyPrint), one CSV per table or all in a zip, XLSX.

Every file shows the tables of one `Report` (engine.py), cell by cell: `shown(cell)` is
what the page, the PDF and the CSV print; the XLSX keeps numbers as numbers (a count
below five of the district as the text "< 5").
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from backend.lib.counts import AnonymousCount
from backend.reports.engine import Cell, Report, Table


def shown(cell: Cell) -> str:
    """A cell as people read it, German number format ("1.234,5")."""
    if cell is None:
        return "–"
    if isinstance(cell, AnonymousCount):
        return str(cell) if cell.suppressed else _grouped(f"{cell.value:,}")
    if isinstance(cell, bool):
        return "ja" if cell else "nein"
    if isinstance(cell, int):
        return _grouped(f"{cell:,}")
    if isinstance(cell, Decimal):
        return _grouped(f"{cell:,.2f}")
    if isinstance(cell, float):
        return _grouped(f"{cell:,.1f}")
    return str(cell)


def _grouped(text: str) -> str:
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def raw(cell: Cell) -> int | float | str | None:
    """A cell for a spreadsheet: numbers stay numbers."""
    if isinstance(cell, AnonymousCount):
        return str(cell) if cell.suppressed else cell.value
    if isinstance(cell, Decimal):
        return float(cell)
    return cell


def file_stem(report: Report) -> str:
    p = report.period
    return f"bericht_{p.start:%Y-%m-%d}_{p.end:%Y-%m-%d}"


def table_csv(table: Table) -> str:
    """One table as CSV (semicolon, German numbers: what a German spreadsheet opens)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([shown(c) for c in row])
    return buffer.getvalue()


def csv_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in report.tables:
            archive.writestr(f"{table.key}.csv", "\ufeff" + table_csv(table))
    return buffer.getvalue()


def xlsx(report: Report) -> bytes:
    """One sheet per table, plus "Bericht" (period, scope, key figures, methods)."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Bericht"
    first.append(["Bericht", report.scope.label])
    first.append(["Zeitraum", report.period.label])
    first.append(["Erstellt", f"{report.created_at:%d.%m.%Y %H:%M}"])
    first.append([])
    for label, value in report.figures:
        first.append([label, raw(value)])
    first.append([])
    for title, text in report.methods:
        first.append([title, text])
    for table in report.tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for row in table.rows:
            sheet.append([raw(c) for c in row])
        if table.note:
            sheet.append([table.note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(report: Report, plots: list[tuple[str, str, str]]) -> bytes:
    """The report for a funder: title page, key figures, tables, plots, methods note."""
    with translation.override("de"):
        html = render_to_string(
            "frontend/pdf/report.html",
            {
                "report": report,
                "figures": view_figures(report),
                "tables": view_tables(report),
                "plots": plots,
            },
        )
    # Self-contained HTML (plots are data: URIs); the fetcher refuses anything else.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def view_tables(report: Report) -> list[dict]:
    """The tables as the templates show them (page and PDF alike)."""
    return [
        {
            "key": t.key,
            "title": t.title,
            "columns": t.columns,
            "rows": [[shown(c) for c in row] for row in t.rows],
            "note": t.note,
            "collapsed": t.collapsed,
        }
        for t in report.tables
    ]


def view_figures(report: Report) -> list[tuple[str, str]]:
    return [(label, shown(value)) for label, value in report.figures]
