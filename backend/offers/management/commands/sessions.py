from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backend.lib import clock
from backend.offers.services import materialise_all
from backend.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create the sessions of every group offer for the coming weeks (skips holidays and closures)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=settings.SESSION_HORIZON_WEEKS)
        parser.add_argument("--org", help="only this organisation (slug)")

    def handle(self, *args, weeks: int, org: str | None, **options):
        if not 1 <= weeks <= 104:
            raise CommandError("--weeks must be between 1 and 104")
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"--org: no organisation with the short name {org!r}")
        created = materialise_all(clock.today(), weeks, organisation)
        self.stdout.write(f"{created} sessions created for the next {weeks} weeks.")
