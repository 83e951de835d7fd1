"""The planner's clock: integer seconds since local midnight (Europe/Berlin, wall clock)."""

import datetime as dt
import zoneinfo

from django.utils import timezone

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware start of `day` and of the next day, in Berlin."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=BERLIN)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=BERLIN)
    return start, end


def seconds_of_day(moment: dt.datetime) -> int:
    """Wall-clock seconds since local midnight of an aware datetime."""
    local = timezone.localtime(moment, BERLIN)
    return local.hour * 3600 + local.minute * 60 + local.second


def at_seconds(day: dt.date, seconds: int) -> dt.datetime:
    """The aware datetime `seconds` (wall clock) after local midnight of `day`."""
    midnight = dt.datetime.combine(day, dt.time(0))
    return (midnight + dt.timedelta(seconds=seconds)).replace(tzinfo=BERLIN)
