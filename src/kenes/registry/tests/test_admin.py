import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from .factories import ReportFactory

MODELS = list(apps.get_app_config("registry").get_models())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_changelist_loads_with_search(admin_client, model, ngo):
    ReportFactory(ngo=ngo, donors="Nurlan Bekov")
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:registry_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"q": "x"} if model_admin.search_fields else {})
    assert response.status_code == 200


def test_the_report_admin_hides_private_fields(admin_client, ngo):
    report = ReportFactory(ngo=ngo, donors="Nurlan Bekov", contact_phone="+7 701 555")
    page = admin_client.get(reverse("admin:registry_annualreport_change", args=[report.pk])).content.decode()
    assert "Nurlan Bekov" not in page and "+7 701 555" not in page and "Education" in page


def test_staff_set_reporting_deadlines(admin_client, db):
    url = reverse("admin:registry_reportingdeadline_add")
    assert admin_client.post(url, {"year": "2025", "due_on": "2026-05-15"}).status_code == 302
    from kenes.registry.services import due_on

    assert due_on(2025).isoformat() == "2026-05-15" and due_on(2024).isoformat() == "2025-03-31"


def test_a_deadline_inside_its_own_year_is_refused(admin_client, db):
    from kenes.registry.models import ReportingDeadline

    url = reverse("admin:registry_reportingdeadline_add")
    response = admin_client.post(url, {"year": "2025", "due_on": "2025-12-01"})
    assert response.status_code == 200 and "after that year has ended" in response.content.decode()
    assert not ReportingDeadline.objects.exists()
