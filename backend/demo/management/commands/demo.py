import datetime as dt
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from backend.demo.district import DemoDataError, load_demo
from backend.demo.history import load_history
from backend.demo.links import issue_demo_links
from backend.demo.planning import plan_demo_week
from backend.lib import clock

ADDRPORT = "127.0.0.1:8000"


def parse_date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date like 2026-11-23, not {value!r}") from None
    if not 2000 <= day.year <= 2090:
        raise CommandError(f"--date must lie between the years 2000 and 2090, not {value!r}")
    return day


class Command(BaseCommand):
    help = (
        "Migrate the database, load the fictional demo district (idempotent) and serve it "
        f"on http://{ADDRPORT}/. See README.md for the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="exit after loading instead of serving"
        )
        parser.add_argument("--date", help="load the demo as if today were this date (YYYY-MM-DD)")
        parser.add_argument(
            "--time-limit", type=int, default=5, help="planner seconds per day (transport step)"
        )

    def handle(self, *args, no_serve: bool, date: str | None, verbosity: int, **options):
        today = parse_date(date) if date else clock.today()
        if not 1 <= options["time_limit"] <= 600:
            raise CommandError("--time-limit must be between 1 and 600 seconds")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        try:
            summary = load_demo(today, weeks=settings.SESSION_HORIZON_WEEKS)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("\n".join(summary.lines()))

        # Plan the coming week, publish it, and hand out the demo's feed links.
        plan_demo_week(today=today, time_limit=options["time_limit"], stdout=self.stdout)
        # The past year, with the shuttle's figures derived from the plans just made.
        started = time.monotonic()
        try:
            history = load_history(today)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("\n".join(history.lines()))
        self.stdout.write(f"  (Verlauf in {time.monotonic() - started:.1f} s geschrieben)")
        issue_demo_links(today, stdout=self.stdout)
        self.stdout.write(
            f"Tourenblatt der Demo-Fahrerin: http://{ADDRPORT}/fahrer/ (Login im README)"
        )

        if no_serve:
            return
        self.stdout.write(f"Die Demo läuft auf http://{ADDRPORT}/ (Strg+C beendet sie).")
        # DEBUG is off by default, and WhiteNoise then serves static files only from
        # STATIC_ROOT. For the demo it reads them from the apps instead, which saves a
        # slow `collectstatic` on every start.
        with override_settings(WHITENOISE_USE_FINDERS=True):
            call_command("runserver", ADDRPORT, use_reloader=False)
