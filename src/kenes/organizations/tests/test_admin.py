import pytest

from kenes.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_it_opens_the_admin_pages(client, staff, org, head):
    client.force_login(staff)
    for url in [
        "/en/admin/organizations/organization/",
        f"/en/admin/organizations/organization/{org.pk}/change/",
        "/en/admin/organizations/sector/",
        "/en/admin/organizations/membership/",
        "/en/admin/organizations/invitation/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/en/admin/organizations/organization/", {"q": "Гражданский"}).status_code == 200


def test_it_runs_the_supervision_checks_in_the_admin_form(client, staff, org, state_body):
    client.force_login(staff)
    data = {
        "kind": "ngo",
        "name_ru": "Гражданский хаб",
        "country": "KZ",
        "territory": org.territory_id,
        "status": "operating",
        "supervising_body": state_body.pk,
        "registration_number": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(f"/en/admin/organizations/organization/{org.pk}/change/", data)
    assert response.status_code == 200
    assert "Only a state body can have a supervising body." in response.content.decode()
    assert Organization.objects.get(pk=org.pk).supervising_body_id is None
