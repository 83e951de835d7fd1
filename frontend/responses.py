"""Headers that pages with personal data (or a one-time link) share."""

from django.http import HttpResponse


def no_store(response: HttpResponse) -> HttpResponse:
    """Keep the page out of shared caches and the browser's cache: it shows personal data
    or a link that is shown once."""
    response["Cache-Control"] = "private, no-store"
    return response
