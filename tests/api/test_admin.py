"""The admin lists, searches, filters and edits every domain model."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

DOMAIN_APPS = {"organisations", "offers", "families", "fleet"}
MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in DOMAIN_APPS
)


def test_every_domain_model_is_in_the_admin():
    from django.apps import apps

    expected = {
        (m._meta.app_label, m._meta.model_name)
        for label in DOMAIN_APPS
        for m in apps.get_app_config(label).get_models()
    }
    assert expected <= set(MODELS)


@pytest.fixture
def admin_client_(api_world, client):
    client.force_login(User.objects.create_superuser("root", password="root-pass-123"))
    return client


@pytest.mark.parametrize("app_label, model_name", MODELS)
def test_admin_pages_load(admin_client_, app_label, model_name):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client_.get(changelist).status_code == 200
    assert admin_client_.get(changelist, {"q": "a"}).status_code == 200
    assert admin_client_.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    assert admin_client_.get(change).status_code == 200
