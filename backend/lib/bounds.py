"""Sane values, the same on every database: dates within 2000–2100, counts within real bounds.

Each bounded field gets a validator (a 400 with a message naming the field, in the API
and the admin) and its model a CheckConstraint (so that nothing else stores year 1,
9999 or 2⁴⁰ children either: SQLite would store them). This module imports no app.
"""

import datetime as dt

from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db.models import BaseConstraint, CheckConstraint, Q
from django.utils.translation import gettext_lazy as _

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MIN_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MAX_MOMENT = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)
MAX_HEADCOUNT = 500  # people at one session
MAX_VEHICLE_PLACES = 60

OUT_OF_RANGE = _("Bitte ein Datum zwischen 2000 und 2100 angeben.")


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
