"""FilterSet base for tenant data."""

import django_filters
from django import forms
from django.db import models


class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number the database can hold, else 400 (same on every DB)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class TenantFilterSet(django_filters.FilterSet):
    """Foreign keys filter by plain id.

    django-filter's default for a foreign key validates the id against *all* rows of
    the model, so `?offer=<another organisation's id>` would answer differently from an
    id that does not exist, and reveal that it exists. A plain number filter on the
    already scoped queryset just finds nothing.
    """

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class SessionRecordFilterSet(TenantFilterSet):
    """Records of one session each (absences, attendance): filter by offer and date."""

    offer = IdFilter(field_name="session__offer")
    date_from = django_filters.DateFilter(field_name="session__starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="session__starts_at", lookup_expr="date__lte")
