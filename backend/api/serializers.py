"""Serializer building blocks shared by every app's API."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error

from backend.lib.address import HOME, PlacedMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ModelCleanMixin(serializers.ModelSerializer[Any]):
    """Run the model's `clean()` on the would-be instance, so cross-field rules
    (end before start, age range, birth month for children) answer 400 per field.

    The rules live once, in the model; the admin calls the same `clean()`.
    """

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: type[models.Model] = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(candidate, name, value)
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(as_serializer_error(exc)) from None
        return attrs


def ensure_unique(
    others: models.QuerySet[Any], instance: models.Model | None, message: StrOrPromise
) -> None:
    """400 with `message` when `others` holds a row other than `instance` (being edited).

    For uniqueness within an organisation, which the model's own validators cannot see.
    """
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise serializers.ValidationError(message)


def check_coordinates_pair(attrs: dict, instance, lat: str, lon: str) -> None:
    """Latitude and longitude come together or not at all."""
    values = {
        name: attrs[name] if name in attrs else getattr(instance, name, None) for name in (lat, lon)
    }
    if (values[lat] is None) != (values[lon] is None):
        missing = lat if values[lat] is None else lon
        raise serializers.ValidationError(
            {missing: _("Breiten- und Längengrad gehören zusammen: bitte beide angeben.")}
        )


class AddressSerializer(serializers.ModelSerializer[Any]):
    """For a model with addresses placed on save (`PlacedMixin.placed_addresses`,
    backend/lib/address.py): list each address's fields in `Meta.fields` (`ADDRESS_FIELDS`
    for the home address) and its source in `Meta.read_only_fields`, since the model places
    the address. Latitude and longitude of each address come together or not at all."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        model: type[PlacedMixin] = self.Meta.model
        for address in model.placed_addresses:
            check_coordinates_pair(attrs, self.instance, address.latitude, address.longitude)
        return super().validate(attrs)


# An `Address`'s fields in the API: street, postcode, town, coordinates and their source.
ADDRESS_FIELDS = list(HOME.names)


class CountSerializer(serializers.Serializer):
    created = serializers.IntegerField(read_only=True)
