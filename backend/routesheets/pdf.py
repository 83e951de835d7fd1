"""The route sheet as an A4 PDF (WeasyPrint), always in German: it goes on paper."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from backend.routesheets.sheets import Sheet, mark_private

TEMPLATE = "frontend/pdf/route_sheet.html"


def render_sheet_html(sheet: Sheet) -> str:
    with translation.override("de"):
        return render_to_string(TEMPLATE, {"sheet": sheet})


def render_sheet_pdf(sheet: Sheet) -> bytes:
    # The template is self-contained; the fetcher refuses anything else, so rendering
    # never touches the network or the file system.
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=render_sheet_html(sheet), url_fetcher=fetcher).write_pdf()


def filename(sheet: Sheet) -> str:
    return f"tour-{sheet.date:%Y-%m-%d}-{sheet.route_id}.pdf"


def sheet_pdf_response(sheet: Sheet) -> HttpResponse:
    """The PDF as an inline download that no shared cache keeps."""
    response = HttpResponse(render_sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename(sheet)}"'
    mark_private(response)
    return response
