"""Reading the guide's PDFs back: their text, and the QR codes a phone would scan."""

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader


def text_of(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def qr_codes(content: bytes, page: int = 0) -> list[str]:
    """Render one page (150 dpi) and decode every QR code on it."""
    document = pypdfium2.PdfDocument(content)
    image = document[page].render(scale=150 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]
