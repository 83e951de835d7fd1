"""The planner's clock: integer seconds since local midnight (wall clock, `TIME_ZONE`)."""

import datetime as dt

from backend.lib import clock


def seconds_of_day(moment: dt.datetime) -> int:
    """Wall-clock seconds since local midnight of an aware datetime."""
    local = clock.local(moment)
    return local.hour * 3600 + local.minute * 60 + local.second


def at_seconds(day: dt.date, seconds: int) -> dt.datetime:
    """The aware datetime `seconds` (wall clock) after local midnight of `day`."""
    midnight = dt.datetime.combine(day, dt.time(0))
    return (midnight + dt.timedelta(seconds=seconds)).replace(tzinfo=clock.zone())
