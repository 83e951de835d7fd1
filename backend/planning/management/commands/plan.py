import datetime as dt
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backend.organisations.models import Organisation
from backend.planning.models import PlanningRun
from backend.planning.services import RunConflict, plan_now
from backend.planning.summary import summary_lines


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Plan the shuttle for a day or range (day by day), optionally publish it."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD (first day)")
        parser.add_argument("--to", help="YYYY-MM-DD (last day, default: --date)")
        parser.add_argument("--publish", action="store_true", help="publish when done")
        parser.add_argument(
            "--time-limit",
            type=int,
            default=None,
            help="seconds per day (default: the organisation's setting)",
        )
        parser.add_argument("--org", help="organisation (slug); needed if there are several")

    def handle(self, *args, **opts):
        org = self._org(opts["org"])
        first = _date(opts["date"])
        last = _date(opts["to"]) if opts["to"] else first
        try:
            run = plan_now(
                org,
                first,
                last,
                trigger=PlanningRun.Trigger.CLI,
                time_limit=opts["time_limit"],
                publish=opts["publish"],
                on_progress=self._progress,
            )
        except ValidationError as exc:
            raise CommandError(_one_line(exc)) from None
        except RunConflict as exc:
            raise CommandError(str(exc)) from None
        sys.stderr.write("\n")
        if run.status != PlanningRun.Status.DONE:
            raise CommandError(f"planning run {run.pk} failed: {run.error}")
        self._summary(run)
        # With --publish the run asked to be published when done (backend/publishing).
        if run.publications.current().exists():
            self.stdout.write(f"Veröffentlicht: {first:%d.%m.%Y}–{last:%d.%m.%Y}")

    def _org(self, slug: str | None) -> Organisation:
        if slug:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None:
                raise CommandError(f"--org: no organisation with the short name {slug!r}")
            return org
        orgs = list(Organisation.objects.all()[:2])
        if len(orgs) != 1:
            raise CommandError("several (or no) organisations: choose one with --org SLUG")
        return orgs[0]

    def _progress(self, progress: dict) -> None:
        cost = progress.get("best_cost")
        parts = [
            f"[{progress.get('status', '')}]",
            progress.get("day", ""),
            f"Tag {progress.get('days_done', 0)}/{progress.get('days', '?')}",
        ]
        if cost is not None:
            parts.append(f"beste Kosten {cost}")
        if progress.get("elapsed") is not None:
            parts.append(f"{progress['elapsed']:.0f} s")
        sys.stderr.write("\r" + " ".join(str(p) for p in parts).ljust(70))
        sys.stderr.flush()

    def _summary(self, run: PlanningRun) -> None:
        for line in summary_lines(run):
            self.stdout.write(line)


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)
