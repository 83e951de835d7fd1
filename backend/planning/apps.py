from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Planning runs: a day of sessions → the planner → routes, figures, unserved rides."""

    name = "backend.planning"
    label = "planning"
