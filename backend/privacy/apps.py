from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """GDPR duties: the audit log, the Art. 15 export, retention and anonymisation."""

    name = "backend.privacy"
    label = "privacy"
    verbose_name = "Datenschutz"

    def ready(self) -> None:
        from backend.privacy import audit, checks  # noqa: F401 (registers the deploy checks)

        audit.connect()
