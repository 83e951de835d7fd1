"""The one clock: now, today and local days in the configured time zone (`TIME_ZONE`).

People see times in the organisation's time zone (Europe/Berlin by default), and the
planner counts seconds since local midnight, so every "today", every day boundary and
every local wall-clock time comes from here. Tests move the clock with `time-machine`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone


def zone() -> zoneinfo.ZoneInfo:
    """The configured time zone (the `TIME_ZONE` setting)."""
    tz = timezone.get_default_timezone()
    assert isinstance(tz, zoneinfo.ZoneInfo)
    return tz


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the configured time zone."""
    return local(now()).date()


def local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime in the configured time zone."""
    return timezone.localtime(moment, zone())


def at(day: dt.date, time: dt.time = dt.time(0)) -> dt.datetime:
    """The aware datetime of the local wall-clock `time` on `day`."""
    return dt.datetime.combine(day, time, tzinfo=zone())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware start of `day` and of the next day, local time."""
    return at(day), at(day + dt.timedelta(days=1))


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every date from `first` to `last`, both included."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
