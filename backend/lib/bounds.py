"""Sane values, the same on every database: dates within 2000–2100, counts within real bounds.

Each bounded field gets a validator (a 400 with a message naming the field, in the API
and the admin) and its model a CheckConstraint (so that nothing else stores year 1,
9999 or 2⁴⁰ children either: SQLite would store them). A pair of fields that spans a
period (from/to, min/max) gets both too: `ordered` in the database, `check_order` in
`clean`. This module imports no app.
"""

import datetime as dt
import functools
import operator
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db.models import BaseConstraint, CheckConstraint, F, Q
from django.utils.translation import gettext_lazy as _

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MIN_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MAX_MOMENT = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)
MAX_HEADCOUNT = 500  # people at one session
MAX_VEHICLE_PLACES = 60

OUT_OF_RANGE = _("Bitte ein Datum zwischen 2000 und 2100 angeben.")
ENDS_BEFORE_START = _("Das Ende liegt vor dem Beginn.")

T = TypeVar("T", dt.date, dt.time, int)  # a datetime is a date


def date_validators() -> list[BaseValidator]:
    return [
        MinValueValidator(MIN_DATE, message=OUT_OF_RANGE),
        MaxValueValidator(MAX_DATE, message=OUT_OF_RANGE),
    ]


def moment_validators() -> list[BaseValidator]:
    return [
        MinValueValidator(MIN_MOMENT, message=OUT_OF_RANGE),
        MaxValueValidator(MAX_MOMENT, message=OUT_OF_RANGE),
    ]


def at_most(limit: int) -> list[BaseValidator]:
    return [MaxValueValidator(limit)]


def _between(field: str, low: object, high: object) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


def date_range(prefix: str, *fields: str) -> list[BaseConstraint]:
    """One constraint per date field: NULL or within MIN_DATE..MAX_DATE."""
    return [
        CheckConstraint(condition=_between(f, MIN_DATE, MAX_DATE), name=f"{prefix}_{f}_range")
        for f in fields
    ]


def moment_range(prefix: str, *fields: str) -> list[BaseConstraint]:
    return [
        CheckConstraint(condition=_between(f, MIN_MOMENT, MAX_MOMENT), name=f"{prefix}_{f}_range")
        for f in fields
    ]


def count_range(prefix: str, limit: int, *fields: str) -> list[BaseConstraint]:
    return [
        CheckConstraint(condition=_between(f, 0, limit), name=f"{prefix}_{f}_range") for f in fields
    ]


def ordered(
    name: str, start: str, end: str, *, strict: bool = False, unless_null: tuple[str, ...] = ()
) -> CheckConstraint:
    """`end` is not before `start` (after it, if `strict`); a NULL in `unless_null` passes."""
    lookup = "gt" if strict else "gte"
    nulls = [Q(**{f"{field}__isnull": True}) for field in unless_null]
    condition = functools.reduce(operator.or_, [*nulls, Q(**{f"{end}__{lookup}": F(start)})])
    return CheckConstraint(condition=condition, name=name)


def out_of_order(start: T | None, end: T | None, *, strict: bool = False) -> bool:
    """Both are given and `end` lies before `start` (or at it, if `strict`)."""
    if start is None or end is None:
        return False
    return end <= start if strict else end < start


def check_order(start: T | None, end: T | None, field: str, *, strict: bool = False) -> None:
    """`ordered` for `clean`: a ValidationError on `field` (the end) when out of order."""
    if out_of_order(start, end, strict=strict):
        raise ValidationError({field: ENDS_BEFORE_START})
