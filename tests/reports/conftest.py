"""Report tests plan real runs where they need a published day: the planning fixtures apply."""

from tests.planning.conftest import day, inline_jobs, monday_morning  # noqa: F401
