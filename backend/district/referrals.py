"""Referral paths (Zugangswege): how many families came which way, per quarter.

The providers record on each family how it came (`Family.referral_kind`). The office sees
only counts across the providers that share with it, per path and quarter, each count
an `AnonymousCount` (below five reads "< 5"). There are no totals: a total beside a
suppressed cell would give the suppressed number away.

A family counts in the quarter it was taken on: the day its first enrolment started
(`Enrolment.joined_on`), or the day it was entered when it has no enrolment yet. The
join date is what staff set when a family starts; the entry date is only when someone
typed it in (and a re-entered or imported family would all land in one quarter).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min

from backend.district.sharing import sharing_providers
from backend.families.models import Family, ReferralKind
from backend.lib import clock
from backend.lib.counts import AnonymousCount, anonymous

QUARTERS_SHOWN = 4


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)


@dataclass(frozen=True)
class PathRow:
    kind: str  # a ReferralKind value
    label: str
    counts: tuple[AnonymousCount, ...]  # one per quarter, in the table's order


@dataclass(frozen=True)
class ReferralTable:
    quarters: tuple[Quarter, ...]  # oldest first
    rows: tuple[PathRow, ...]  # one per referral kind, in the kinds' order


def last_quarters(today: dt.date, n: int = QUARTERS_SHOWN) -> tuple[Quarter, ...]:
    quarters = [Quarter.of(today)]
    while len(quarters) < n:
        quarters.append(quarters[-1].previous())
    return tuple(reversed(quarters))


def taken_on_days() -> list[tuple[str, dt.date]]:
    """(referral kind, day taken on) of every family of the providers that share.

    Only these two facts leave the query: no reference, name or address. Anonymised
    families count too: retention keeps their row for exactly such figures.
    """
    families = (
        Family.objects.filter(organisation__in=sharing_providers())
        .annotate(first_joined=Min("participants__enrolments__joined_on"))
        .values_list("referral_kind", "first_joined", "created_at")
    )
    return [
        (kind, joined if joined is not None else clock.local(created).date())
        for kind, joined, created in families
    ]


def referral_table(today: dt.date | None = None) -> ReferralTable:
    quarters = last_quarters(today or clock.today())
    counts: dict[tuple[str, Quarter], int] = {}
    for kind, day in taken_on_days():
        key = (kind, Quarter.of(day))
        counts[key] = counts.get(key, 0) + 1
    rows = tuple(
        PathRow(
            kind.value,
            str(kind.label),
            tuple(anonymous(counts.get((kind.value, q), 0)) for q in quarters),
        )
        for kind in ReferralKind
    )
    return ReferralTable(quarters, rows)
