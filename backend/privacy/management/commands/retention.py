"""`lotse retention [--dry-run] [--org SLUG]`: anonymise what the retention rule makes due.

Run it daily (cron, systemd timer). It also deletes audit entries older than
AUDIT_LOG_DAYS. With --dry-run it lists what it would do and changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backend.organisations.models import Organisation
from backend.privacy import retention


class Command(BaseCommand):
    help = "Anonymise families past the retention period and delete expired audit entries."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only list, change nothing")
        parser.add_argument("--org", help="only this organisation (slug)")

    def handle(self, *args, dry_run: bool, org: str | None, **options) -> None:
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"unknown organisation: {org}")
        now = timezone.now()
        report = retention.run(timezone.localdate(now), now, dry_run=dry_run, org=organisation)
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"Retention: {settings.RETENTION_MONTHS} months (enrolments ended before "
            f"{report.cutoff:%Y-%m-%d}); audit log: {settings.AUDIT_LOG_DAYS} days."
        )
        for item in report.families:
            last = f"{item.last_active:%Y-%m-%d}" if item.last_active else "no enrolment"
            self.stdout.write(
                f"  {verb} family {item.reference} ({item.organisation}; last enrolment "
                f"ended {last}): {item.participants} participants, {item.consents} consents, "
                f"{item.addresses} addresses"
            )
        audit_verb = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"{verb} {len(report.families)} families; {audit_verb} "
            f"{report.expired_audit_entries} expired audit entries."
        )
