"""Admin: every grants model is registered, searchable and read-only (changes go through services)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_ONLY = {
    "indicator", "lot", "criterion", "requireddocument", "budgetline", "teammember", "applicationdocument",
    "award", "contractmilestone", "milestonetarget", "reportvalue", "score",
}  # fmt: skip


def _models():
    return [m for m in apps.get_app_config("grants").get_models() if m._meta.model_name not in INLINE_ONLY]


def test_every_model_is_registered_with_search_and_filters():
    for model in _models():
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields and model_admin.list_filter, model


def test_the_admin_is_read_only_and_searchable(client, staff, world):
    world.apply(0)
    client.force_login(staff)
    for model in _models():
        name = model._meta.model_name
        assert client.get(reverse(f"admin:grants_{name}_add")).status_code == 403
        assert client.get(reverse(f"admin:grants_{name}_changelist"), {"q": "x"}).status_code == 200
    page = client.get(reverse("admin:grants_call_change", args=[world.call.pk])).content.decode()
    assert world.call.title in page and 'name="title"' not in page
