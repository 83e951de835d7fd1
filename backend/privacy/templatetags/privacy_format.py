"""`de_date`: an ISO date or datetime from the export data as a German date (and time)."""

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def de_date(value: str | None) -> str:
    if not value:
        return "–"
    if len(value) == 10:
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    moment = timezone.localtime(dt.datetime.fromisoformat(value))
    return moment.strftime("%d.%m.%Y %H:%M")
