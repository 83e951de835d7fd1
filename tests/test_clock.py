"""The one clock: today, now and local days in the TIME_ZONE setting, moved by time-machine."""

import datetime as dt
import zoneinfo

from backend.lib import clock
from tests.conftest import BERLIN


def test_today_is_the_local_date_not_the_utc_one(time_machine):
    """23:30 UTC on 23 November is already 24 November in Berlin."""
    time_machine.move_to(dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC), tick=False)
    assert clock.today() == dt.date(2026, 11, 24)
    assert clock.now() == dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
    assert clock.now().tzinfo is not None


def test_the_zone_comes_from_the_time_zone_setting(settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC), tick=False)
    assert clock.zone() == BERLIN
    settings.TIME_ZONE = "America/New_York"
    assert clock.zone() == zoneinfo.ZoneInfo("America/New_York")
    assert clock.today() == dt.date(2026, 11, 23)
    assert clock.at(dt.date(2026, 11, 23), dt.time(15)).utcoffset() == dt.timedelta(hours=-5)


def test_day_bounds_follow_the_wall_clock_across_the_change_to_winter_time():
    """25 October 2026 has 25 hours in Berlin; 15:00 stays 15:00 on both sides."""
    start, end = clock.day_bounds(dt.date(2026, 10, 25))
    assert (start, end) == (
        dt.datetime(2026, 10, 25, tzinfo=BERLIN),
        dt.datetime(2026, 10, 26, tzinfo=BERLIN),
    )
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=25)
    assert clock.local(clock.at(dt.date(2026, 10, 26), dt.time(15))).hour == 15


def test_days_lists_every_date_of_a_range_inclusive():
    assert clock.days(dt.date(2026, 11, 30), dt.date(2026, 12, 2)) == [
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 2),
    ]
    assert clock.days(dt.date(2026, 12, 2), dt.date(2026, 12, 2)) == [dt.date(2026, 12, 2)]
