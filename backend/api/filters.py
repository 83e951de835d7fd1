"""FilterSet base for tenant data."""

import django_filters
from django.db import models


class TenantFilterSet(django_filters.FilterSet):
    """Foreign keys filter by plain id.

    django-filter's default for a foreign key validates the id against *all* rows of
    the model, so `?offer=<another organisation's id>` would answer differently from an
    id that does not exist, and reveal that it exists. A plain number filter on the
    already scoped queryset just finds nothing.
    """

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": django_filters.NumberFilter},
        models.OneToOneField: {"filter_class": django_filters.NumberFilter},
    }
