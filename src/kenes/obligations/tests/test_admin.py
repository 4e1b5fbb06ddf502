import pytest
from django.contrib import admin

from kenes.obligations import models
from kenes.obligations.tests.factories import DeadlineRuleFactory, MilestoneFactory, ResponseFactory

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    models.DeadlineRule,
    models.Obligation,
    models.Extension,
    models.Redirection,
    models.Response,
    models.ResponseAttachment,
    models.Rating,
    models.Commitment,
    models.Milestone,
    models.Evidence,
    models.Step,
    models.Reminder,
]


def test_it_registers_every_model_with_search_and_filters():
    for model in ALL_MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


def test_every_changelist_and_change_page_renders(client, staff):
    milestone = MilestoneFactory()
    DeadlineRuleFactory(country="KG", kind="petition", response_days=14)
    client.force_login(staff)
    for model in ALL_MODELS:
        opts = model._meta
        response = client.get(f"/en/admin/{opts.app_label}/{opts.model_name}/", {"q": "x"})
        assert response.status_code == 200, model
    obligation = milestone.commitment.response.obligation
    assert client.get(f"/en/admin/obligations/obligation/{obligation.pk}/change/").status_code == 200


def test_deadline_rules_are_editable_and_the_rest_read_only(client, staff):
    rule = DeadlineRuleFactory(country="KG", kind="petition", response_days=14)
    response_row = ResponseFactory()
    client.force_login(staff)
    page = client.get("/en/admin/obligations/deadlinerule/").content.decode()
    assert "response_days" in page or "days to respond" in page
    data = {
        "country": "KG",
        "kind": "petition",
        "response_days": 10,
        "day_type": "working",
        "max_extensions": 1,
        "extension_total_months": "",
        "extension_extra_days": 30,
        "extension_notice_days": 3,
        "redirect_days": 3,
        "registration_days": 1,
        "legal_basis": "Law No. 67 of 2007, as amended in 2026",
    }
    response = client.post(f"/en/admin/obligations/deadlinerule/{rule.pk}/change/", data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.response_days == 10
    assert client.get("/en/admin/obligations/obligation/add/").status_code == 403
    delete = f"/en/admin/obligations/response/{response_row.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert models.Response.objects.filter(pk=response_row.pk).exists()
