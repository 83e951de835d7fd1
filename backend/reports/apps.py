from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Figures for funders and leadership: kept per day, aggregated per period."""

    name = "backend.reports"
    label = "reports"
    verbose_name = "Berichte"
