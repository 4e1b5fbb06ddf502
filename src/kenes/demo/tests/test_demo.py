import pytest
from django.core.management import call_command

from kenes.accounts.models import User
from kenes.audit.services import audit_verify
from kenes.common.identifiers import is_valid_kz_iin_bin
from kenes.demo.samples import ORGANIZATIONS, sample_bin
from kenes.demo.services import ADMIN_EMAIL, demo_load
from kenes.organizations.models import Membership, Organization
from kenes.territories.models import Territory


@pytest.fixture
def bundled_sample(settings, tmp_path):
    """Force the bundled extract, as on a clone without ../shared/data."""
    settings.KENES_DATA_DIR = tmp_path / "absent"


@pytest.mark.django_db
def test_it_loads_the_demo_once_and_duplicates_nothing_on_a_second_run(bundled_sample):
    first = demo_load()
    counts = (
        User.objects.count(),
        Territory.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    )
    second = demo_load()

    assert first.admin_password and second.admin_password is None
    assert first.territories_sample is True
    assert len(first.organizations_created) == len(ORGANIZATIONS)
    assert second.organizations_created == [] and second.territories_created == 0
    assert (
        User.objects.count(),
        Territory.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_every_demo_organisation_is_marked_as_a_sample(bundled_sample):
    demo_load()
    assert Organization.objects.count() == len(ORGANIZATIONS)
    assert not Organization.objects.filter(is_sample=False).exists()
    sayram = Organization.objects.get(name_en="Akimat of Sayram District")
    assert sayram.supervising_body.name_en == "Akimat of Turkistan Region"


@pytest.mark.django_db
def test_the_demo_administrator_can_log_in(bundled_sample, client):
    password = demo_load().admin_password
    response = client.post("/en/accounts/login/", {"login": ADMIN_EMAIL, "password": password})
    assert response.status_code == 302
    assert client.get("/en/admin/").status_code == 200


@pytest.mark.django_db
def test_the_demo_leaves_a_sealed_and_verifiable_audit_log(bundled_sample):
    demo_load()
    report = audit_verify()
    assert report.ok and report.pending == 0 and report.blocks_checked >= 1


@pytest.mark.django_db
def test_the_demo_command_prints_the_credentials_only_once(bundled_sample, capsys):
    call_command("demo")
    first = capsys.readouterr().out
    call_command("demo")
    second = capsys.readouterr().out
    assert "password:" in first and "password:" not in second
    assert "bundled sample extract" in first


def test_sample_registration_numbers_have_valid_check_digits():
    numbers = [
        s["registration_number"]
        for s in ORGANIZATIONS
        if s["country"] == "KZ" and s.get("registration_number")
    ]
    assert numbers and all(is_valid_kz_iin_bin(n) for n in numbers)
    assert len({sample_bin(i) for i in range(1, 50)}) == 49
