"""Weekly schedules stored as RFC 5545 RRULEs: validation and a German summary."""

import datetime as dt

from dateutil import rrule

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
ALLOWED_PARTS = {"FREQ", "INTERVAL", "BYDAY", "WKST"}


class ScheduleError(ValueError):
    pass


def parse_weekly_rrule(value: str) -> tuple[int, int]:
    """Return (weekday 0=Monday, interval in weeks) or raise ScheduleError.

    Lotse groups meet weekly or every n weeks on one weekday. COUNT and UNTIL are not
    allowed: the end of an offer is its `last_date`.
    """
    text = value.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    parts: dict[str, str] = {}
    for chunk in text.split(";"):
        key, sep, val = chunk.partition("=")
        if not sep or not val:
            raise ScheduleError(f"'{chunk}' is not KEY=VALUE")
        if key not in ALLOWED_PARTS:
            raise ScheduleError(f"{key} is not supported; use FREQ, INTERVAL and BYDAY")
        parts[key] = val
    if parts.get("FREQ") != "WEEKLY":
        raise ScheduleError("FREQ must be WEEKLY")
    if parts.get("BYDAY") not in WEEKDAYS:
        raise ScheduleError("BYDAY must be exactly one weekday (MO..SU)")
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        raise ScheduleError("INTERVAL must be a whole number") from None
    if not 1 <= interval <= 52:
        raise ScheduleError("INTERVAL must be between 1 and 52")
    # Let dateutil confirm it is a real RRULE too.
    try:
        rrule.rrulestr(f"RRULE:{text}", dtstart=dt.datetime(2025, 1, 6, tzinfo=dt.UTC))
    except (ValueError, TypeError) as exc:
        raise ScheduleError(str(exc)) from None
    return WEEKDAYS.index(parts["BYDAY"]), interval


def occurrences(
    value: str, first: dt.date, until: dt.date, last: dt.date | None = None
) -> list[dt.date]:
    """Dates of the rule from `first` through min(until, last)."""
    end = min(until, last) if last else until
    if end < first:
        return []
    rule = rrule.rrulestr(
        f"RRULE:{value.strip().upper().removeprefix('RRULE:')}",
        dtstart=dt.datetime.combine(first, dt.time()),
    )
    return [
        d.date()
        for d in rule.between(
            dt.datetime.combine(first, dt.time()), dt.datetime.combine(end, dt.time()), inc=True
        )
    ]


def german_summary(value: str, start: dt.time, minutes: int) -> str:
    """E.g. 'Jeden Dienstag, 15:00–16:30 Uhr' or 'Alle 2 Wochen am Dienstag, …'."""
    try:
        weekday, interval = parse_weekly_rrule(value)
    except ScheduleError:
        return ""
    end = (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()
    times = f"{start:%H:%M}–{end:%H:%M} Uhr"
    day = WEEKDAY_NAMES_DE[weekday]
    if interval == 1:
        return f"Jeden {day}, {times}"
    return f"Alle {interval} Wochen am {day}, {times}"
