"""Publishing tests plan real runs: the planning fixtures (a Tuesday, inline jobs) apply."""

from tests.planning.conftest import day, inline_jobs  # noqa: F401
