import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from kenes.moderation import services

pytestmark = pytest.mark.django_db

MODELS = list(apps.get_app_config("moderation").get_models())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_moderation_model_has_a_searchable_filterable_read_only_admin(
    admin_client, model, submission, alice
):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter
    url = reverse(f"admin:moderation_{model._meta.model_name}_changelist")
    assert admin_client.get(url, {"q": "x"}).status_code == 200
    assert admin_client.get(reverse(f"admin:moderation_{model._meta.model_name}_add")).status_code == 403


def test_the_changelists_show_rows(admin_client, submission, charlie, staff):
    services.report_create(actor=charlie, content=submission, category="spam", text="casino")
    services.decision_hide(
        actor=staff, content=submission, reason="An advert for a casino, not a submission."
    )
    response = admin_client.get(reverse("admin:moderation_report_changelist"), {"q": "casino"})
    assert response.status_code == 200 and "testapp.submission" in response.content.decode()
    response = admin_client.get(reverse("admin:moderation_decision_changelist"), {"action__exact": "hide"})
    assert response.status_code == 200 and "Hide testapp.submission" in response.content.decode()
    response = admin_client.get(reverse("admin:moderation_decision_changelist"), {"action__exact": "restore"})
    assert "Hide testapp.submission" not in response.content.decode()
