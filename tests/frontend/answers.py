"""What the pages answer, as the tests check it."""

from django.http import HttpResponse


def sent_to_login(answer: HttpResponse) -> bool:
    """An anonymous visitor is redirected to the login (not shown a 403 or 404)."""
    return answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
