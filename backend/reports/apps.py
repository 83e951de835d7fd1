from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Figures for funders and leadership: kept per day, aggregated per period."""

    name = "backend.reports"
    label = "reports"
    verbose_name = "Berichte"

    def ready(self) -> None:
        from backend.publishing.signals import days_changed
        from backend.reports.receivers import on_days_changed

        days_changed.connect(on_days_changed, dispatch_uid="reports.on_days_changed")
