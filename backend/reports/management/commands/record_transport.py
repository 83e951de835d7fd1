"""`lotse record_transport --from 2026-01-01 --to 2026-12-31 [--org slug]`: fill the
reports' day figures (TransportDay) from the published plans of a range of days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.lib import clock
from backend.organisations.models import Organisation
from backend.reports.recording import record_days

MAX_DAYS = 3 * 366


def _date(field: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{field}: kein Datum (JJJJ-MM-TT): {value!r}") from None


class Command(BaseCommand):
    help = "Rewrite the reports' transport figures of a range of days from the published plans."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", required=True, help="JJJJ-MM-TT")
        parser.add_argument("--to", dest="last", help="JJJJ-MM-TT (Standard: --from)")
        parser.add_argument("--org", help="Organisation (Kurzname); Standard: alle Träger")

    def handle(self, *args: Any, **opts: Any) -> None:
        first = _date("--from", opts["first"])
        last = _date("--to", opts["last"]) if opts["last"] else first
        if last < first:
            raise CommandError("--to: liegt vor --from.")
        if (last - first).days >= MAX_DAYS:
            raise CommandError(f"--to: höchstens {MAX_DAYS} Tage auf einmal.")
        orgs = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
        if opts["org"]:
            orgs = orgs.filter(slug=opts["org"])
            if not orgs.exists():
                raise CommandError(f"--org: kein Träger mit dem Kurznamen {opts['org']!r}.")
        days = clock.days(first, last)
        for org in orgs:
            written = record_days(org, days)
            self.stdout.write(f"{org.slug}: {written} Zeilen für {len(days)} Tage")
