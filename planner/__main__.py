"""Command line: ``python -m planner solve|check|bench``."""

from planner.cli import main

raise SystemExit(main())
