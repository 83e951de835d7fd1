"""The period a report covers: a month, a quarter, a year, from–to, or the last 12 months.

Read from the query string of the report page and the API (German parameter names, as in
the page's form); bad values raise `PeriodError` with a German message per field.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip
KINDS = {
    "12monate": "letzte 12 Monate",
    "monat": "Monat",
    "quartal": "Quartal",
    "jahr": "Jahr",
    "frei": "von – bis",
}
MAX_DAYS = 5 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodError(ValueError):
    """Bad period parameters: `errors` maps each parameter to its German message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # included

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError({"zeitraum": f"Unbekannter Zeitraum: {self.kind!r}."})
        if self.end < self.start:
            raise PeriodError({"bis": "Das Ende liegt vor dem Beginn."})
        if (self.end - self.start).days >= MAX_DAYS:
            raise PeriodError({"bis": "Ein Bericht umfasst höchstens fünf Jahre."})

    @property
    def label(self) -> str:
        if self.kind == "monat":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        if self.kind == "quartal":
            return f"{(self.start.month - 1) // 3 + 1}. Quartal {self.start.year}"
        if self.kind == "jahr":
            return f"Jahr {self.start.year}"
        if self.kind == "12monate":
            return "letzte 12 Monate"
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches."""
        first, result = self.start.replace(day=1), []
        while first <= self.end:
            result.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return result

    def month_fraction(self, month: dt.date, until: dt.date) -> float:
        """How much of calendar `month` lies in the period and on or before `until`."""
        days = calendar.monthrange(month.year, month.month)[1]
        first = max(self.start, month)
        last = min(self.end, until, month.replace(day=days))
        return max((last - first).days + 1, 0) / days

    def query(self) -> dict[str, str]:
        """The query parameters that give this period back (links, exports)."""
        if self.kind == "monat":
            return {
                "zeitraum": "monat",
                "jahr": str(self.start.year),
                "monat": str(self.start.month),
            }
        if self.kind == "quartal":
            quarter = str((self.start.month - 1) // 3 + 1)
            return {"zeitraum": "quartal", "jahr": str(self.start.year), "quartal": quarter}
        if self.kind == "jahr":
            return {"zeitraum": "jahr", "jahr": str(self.start.year)}
        return {"zeitraum": self.kind, "von": self.start.isoformat(), "bis": self.end.isoformat()}


def _int(params: Mapping[str, str], name: str, low: int, high: int, default: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise PeriodError({name: f"Bitte eine ganze Zahl von {low} bis {high} angeben."}) from None
    if not low <= value <= high:
        raise PeriodError({name: f"Bitte eine Zahl von {low} bis {high} angeben."})
    return value


def _date(params: Mapping[str, str], name: str) -> dt.date:
    raw = (params.get(name) or "").strip()
    if not raw:
        raise PeriodError({name: "Bitte ein Datum angeben."})
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise PeriodError({name: "Bitte ein Datum im Format JJJJ-MM-TT angeben."}) from None


def last_twelve_months(today: dt.date) -> Period:
    """The twelve whole calendar months before the current one (on 02.12.2026:
    01.12.2025–30.11.2026), so that every month of the plots is complete."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    first = end.replace(day=1)
    for _n in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return Period("12monate", first, end)


def period_from(params: Mapping[str, str], today: dt.date) -> Period:
    """The period named by `params` (page form or API); PeriodError if it is not valid."""
    kind = (params.get("zeitraum") or "12monate").strip()
    if kind not in KINDS:
        raise PeriodError({"zeitraum": "Bitte Monat, Quartal, Jahr oder von – bis wählen."})
    if kind == "12monate":
        return last_twelve_months(today)
    if kind == "frei":
        return Period(kind, _date(params, "von"), _date(params, "bis"))
    year = _int(params, "jahr", FIRST_YEAR, LAST_YEAR, today.year)
    if kind == "jahr":
        return Period(kind, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if kind == "quartal":
        quarter = _int(params, "quartal", 1, 4, (today.month - 1) // 3 + 1)
        start = dt.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        return Period(
            kind, start, dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
        )
    month = _int(params, "monat", 1, 12, today.month)
    return Period(
        kind, dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    )
