from django.core.management.base import BaseCommand, CommandError

from backend.geo.geocoding import geocode_missing
from backend.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Give addresses without coordinates (families, pickup addresses, drivers, venues) "
        "coordinates. Hand-entered coordinates are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="only this organisation (slug)")

    def handle(self, *args, org: str | None, **options):
        orgs = Organisation.objects.all()
        if org:
            orgs = orgs.filter(slug=org)
            if not orgs.exists():
                raise CommandError(f"--org: no organisation with the short name {org!r}")
        for organisation in orgs:
            report = geocode_missing(organisation)
            self.stdout.write(
                f"{organisation.slug}: {report.located} Adressen verortet "
                f"({report.approximate} ungefähr), {len(report.failed)} nicht verortbar"
            )
            for kind, pk, label, message in report.failed:
                self.stdout.write(f"  {kind} {pk} {label}: {message}")
