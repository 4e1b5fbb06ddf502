"""Every Kenes model has an admin page, with search and filters that work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

KENES_APPS = [
    "accounts",
    "territories",
    "organizations",
    "audit",
    "notifications",
    "moderation",
    "obligations",
]
# Admins without filters, and why.
NO_FILTERS = {
    "organizations.Sector": "nine fixed rows",
    "organizations.Topic": "a short list of topics",
    "audit.Seal": "link rows, reached from their event or block",
}


def kenes_models():
    return [model for label in KENES_APPS for model in apps.get_app_config(label).get_models()]


@pytest.mark.parametrize("model", kenes_models(), ids=lambda m: m._meta.label)
def test_every_model_is_registered_in_the_admin(model):
    assert admin.site.is_registered(model), model._meta.label


@pytest.mark.django_db
@pytest.mark.parametrize("model", kenes_models(), ids=lambda m: m._meta.label)
def test_every_changelist_loads_with_search(admin_client, model):
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"q": "x"} if model_admin.search_fields else {})
    assert response.status_code == 200
    assert model_admin.search_fields or model._meta.label == "audit.Seal", "searchable"
    assert model_admin.list_filter or model._meta.label in NO_FILTERS, "filterable"
