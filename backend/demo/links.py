"""Feed links for the demo district, so a new user can open them at once (`lotse demo`)."""

import datetime as dt

from backend.demo.planning import Output
from backend.families.models import Family
from backend.feeds.models import FeedLink
from backend.feeds.services import create_link, has_calendar_consent, rotate_link
from backend.fleet.models import Driver
from backend.lib import clock
from backend.planning.models import StopPassenger
from backend.publishing.queries import published_routes

DEMO_DRIVER_USERNAME = "westeifel-fahrer"


def issue_demo_links(today: dt.date, *, stdout: Output) -> None:
    """Print a family subscribe page and the demo driver's feed.

    Tokens are stored hashed, so each run rotates the existing link (no duplicates)
    and prints the fresh URLs.
    """
    driver = Driver.objects.filter(user__username=DEMO_DRIVER_USERNAME).first()
    family = _demo_family(today)
    if family is not None:
        urls = _issue(family.organisation, FeedLink.Kind.FAMILY, today, family=family)
        stdout.write(f"Familien-Seite ({family.reference}): {urls['subscribe_url']}")
    if driver is not None:
        urls = _issue(driver.organisation, FeedLink.Kind.DRIVER, today, driver=driver)
        stdout.write(f"Kalender der Fahrerin {driver.name}: {urls['webcal_url']}")


def _demo_family(today: dt.date) -> Family | None:
    """A family with calendar consent that rides in the published plan this week."""
    families = Family.objects.select_related("organisation").prefetch_related("consents")
    for family in families.order_by("organisation__slug", "reference"):
        if not has_calendar_consent(family, today):
            continue
        routes = published_routes(family.organisation, today, today + dt.timedelta(days=6))
        if StopPassenger.objects.filter(
            participant__family=family, stop__route__in=routes
        ).exists():
            return family
    return None


def _issue(org, kind: str, today: dt.date, **subject) -> dict[str, str]:
    link = org.feed_links.filter(kind=kind, revoked_at=None, **subject).first()
    issued = (
        rotate_link(link, clock.now()) if link else create_link(org, kind, day=today, **subject)
    )
    return issued.urls
