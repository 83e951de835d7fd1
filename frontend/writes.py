"""Page forms write through the API's serializers, so that a rule is written once.

A page's form parses what a person typed (German dates, a weekday instead of an RRULE);
the API serializer of the same model then validates it with exactly the API's rules
(field validators, the model's `clean()`, the organisation's own foreign keys) and
saves it. Its errors land on the form's fields, and nothing is stored on bad input.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from backend.organisations.access import TenantHttpRequest

NON_FIELD = "non_field_errors"


def payload(form: forms.BaseForm, fields: list[str] | None = None) -> dict[str, Any]:
    """The form's cleaned values as a serializer's input: related objects become ids."""
    data = {}
    for name, value in form.cleaned_data.items():
        if fields is not None and name not in fields:
            continue
        data[name] = value.pk if isinstance(value, models.Model) else value
    return data


def add_errors(
    form: forms.BaseForm, errors: Mapping[str, Any], field_map: Mapping[str, str]
) -> None:
    """Put a serializer's errors on the form: on the field of the same name, on the form
    field that produced it (`field_map`, e.g. rrule → weekday), or on the whole form."""
    for name, messages in errors.items():
        mapped = field_map.get(name, name)
        target = mapped if mapped in form.fields and mapped != NON_FIELD else None
        for message in _flatten(messages):
            if target is not None and target in form.cleaned_data:
                del form.cleaned_data[target]  # add_error wants it gone; keeps the typed value
            form.add_error(target, message)


def _flatten(messages: Any) -> list[str]:
    if isinstance(messages, ErrorDetail | str):
        return [str(messages)]
    if isinstance(messages, Mapping):
        return [m for value in messages.values() for m in _flatten(value)]
    return [m for value in messages for m in _flatten(value)]


def validate_through(
    serializer_class: type[serializers.ModelSerializer[Any]],
    request: TenantHttpRequest,
    form: forms.BaseForm,
    data: dict[str, Any],
    *,
    instance: models.Model | None = None,
    field_map: Mapping[str, str] | None = None,
) -> serializers.ModelSerializer[Any] | None:
    """The API serializer for `data`, validated; None (with the errors on `form`) when
    it is refused. An edit changes only the fields in `data`, as a PATCH would; a new
    object leaves out what was left empty, so that the API's defaults and its
    "required" messages apply."""
    if instance is None:
        data = {name: value for name, value in data.items() if value is not None}
    serializer = serializer_class(
        instance, data=data, partial=instance is not None, context={"request": request}
    )
    if not serializer.is_valid():
        add_errors(form, serializer.errors, field_map or {})
        return None
    return serializer


def save_through(
    serializer_class: type[serializers.ModelSerializer[Any]],
    request: TenantHttpRequest,
    form: forms.BaseForm,
    data: dict[str, Any],
    *,
    instance: models.Model | None = None,
    field_map: Mapping[str, str] | None = None,
    inject: Mapping[str, Any] | None = None,
) -> Any:
    """Validate `data` with the API serializer and save it; None when it is refused.
    `inject` are the fields the API injects itself (the organisation)."""
    serializer = validate_through(
        serializer_class, request, form, data, instance=instance, field_map=field_map
    )
    if serializer is None:
        return None
    try:
        with transaction.atomic():
            return serializer.save(**(inject or {}))
    except DjangoValidationError as exc:
        # Saving may still refuse (an address the geocoder cannot place): on the field.
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        add_errors(form, errors, field_map or {})
        return None


def save_form(
    serializer_class: type[serializers.ModelSerializer[Any]],
    request: TenantHttpRequest,
    form: forms.BaseForm,
    *,
    instance: models.Model | None = None,
    extra: Mapping[str, Any] | None = None,
    in_org: bool = True,
) -> Any:
    """Save a page form's values (and `extra` ones) through the API serializer; None while
    the form or the serializer refuses them. A new object of an organisation's own model
    (`in_org`) gets the organisation, as the API injects it."""
    if not form.is_valid():
        return None
    data = {**payload(form), **(extra or {})}
    inject = {"organisation": request.org} if in_org and instance is None else None
    return save_through(serializer_class, request, form, data, instance=instance, inject=inject)
