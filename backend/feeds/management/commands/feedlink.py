"""Issue (or rotate) a calendar feed link and print its URLs once.

lotse feedlink traeger-a --family F-017
lotse feedlink traeger-a --driver 3 --rotate
lotse feedlink traeger-a --organisation
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backend.feeds import services
from backend.feeds.models import FeedLink
from backend.lib import clock
from backend.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create a feed link (family, driver or organisation) and print its URLs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("organisation", help="short name (slug) of the organisation")
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--family", metavar="REFERENCE", help="family reference, e.g. F-017")
        subject.add_argument("--driver", metavar="ID", type=int, help="driver id")
        subject.add_argument("--organisation", dest="whole", action="store_true")
        parser.add_argument(
            "--rotate", action="store_true", help="give the active link a new secret instead"
        )

    def handle(self, *args, **options) -> None:
        org = Organisation.objects.filter(slug=options["organisation"]).first()
        if org is None:
            raise CommandError(f"no organisation with the short name {options['organisation']!r}")
        kind, family, driver = self._subject(org, options)
        try:
            if options["rotate"]:
                link = org.feed_links.filter(
                    kind=kind, family=family, driver=driver, revoked_at=None
                ).first()
                if link is None:
                    raise CommandError("there is no active link to rotate")
                issued = services.rotate_link(link, clock.now())
            else:
                issued = services.create_link(
                    org, kind, family=family, driver=driver, day=clock.today()
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for name, url in issued.urls.items():
            self.stdout.write(f"{name}: {url}")

    @staticmethod
    def _subject(org, options):
        if options["family"]:
            family = org.families.filter(reference=options["family"]).first()
            if family is None:
                raise CommandError(f"no family with the reference {options['family']!r}")
            return FeedLink.Kind.FAMILY, family, None
        if options["driver"] is not None:
            wanted = options["driver"]
            driver = org.drivers.filter(pk=wanted).first() if 0 < wanted < 2**63 else None
            if driver is None:
                raise CommandError(f"no driver with the id {options['driver']}")
            return FeedLink.Kind.DRIVER, None, driver
        return FeedLink.Kind.ORGANISATION, None, None
