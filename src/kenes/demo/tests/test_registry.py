import pytest

from kenes.audit.models import Event
from kenes.demo.registry import ENROL, demo_registry_ensure
from kenes.demo.services import demo_admin_ensure, demo_organizations_ensure
from kenes.registry.models import AnnualReport, NGOProfile, RegistryStatus
from kenes.territories.services import default_source_dir, territories_load


@pytest.fixture
def admin(db, django_capture_on_commit_callbacks):
    admin, _password = demo_admin_ensure()
    territories_load(actor=None, source_dir=default_source_dir()[0])
    demo_organizations_ensure(actor=admin)
    return admin


def test_it_loads_a_registry_with_reports_and_one_flagged_ngo_once(admin, client):
    assert demo_registry_ensure(admin=admin) is True
    assert NGOProfile.objects.count() == len(ENROL)
    assert all(ngo.organization.is_sample for ngo in NGOProfile.objects.select_related("organization"))
    flagged = NGOProfile.objects.get(status=RegistryStatus.POSSIBLY_NON_OPERATING)
    assert flagged.flagged_by_job and flagged.organization.registration_number == ENROL[2]["bin"]
    assert not flagged.reports.exists()
    reporting = len(ENROL) - 1
    assert AnnualReport.objects.filter(is_current=True).count() == 4 * reporting
    assert AnnualReport.objects.filter(is_current=False).count() == 1  # the corrected version
    assert Event.objects.filter(action="registry.annualreport.corrected").count() == 1
    counts = (NGOProfile.objects.count(), AnnualReport.objects.count(), Event.objects.count())
    assert demo_registry_ensure(admin=admin) is False
    assert (NGOProfile.objects.count(), AnnualReport.objects.count(), Event.objects.count()) == counts
    assert client.get(f"/en/registry/{flagged.pk}/").status_code == 200
    assert "Possibly non-operating" in client.get("/en/registry/statistics/").content.decode()
