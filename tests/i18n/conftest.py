"""Fixtures for the language tests: a running clock and a family's calendar link."""

# The clock starts at Monday 23.11.2026 08:00 (TODAY) in Berlin, running.
# Family A agreed to the calendar subscription and has a subscribe link (`family_link`).
from tests.feeds.conftest import calendar_consent, family_link  # noqa: F401
from tests.planning.conftest import monday_morning  # noqa: F401
