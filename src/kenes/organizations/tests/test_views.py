import re

import pytest
from django.core import mail
from django.urls import reverse

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations import services
from kenes.organizations.models import Invitation, Membership, Organization, Sector
from kenes.organizations.tests.factories import InvitationFactory, MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/organizations/"


def names(response):
    return re.findall(r'<h3>\s*<a href="/en/organizations/\d+/">([^<]+)</a>', response.content.decode())


# --- directory -----------------------------------------------------------------------------------


def test_it_lists_organisations_with_kind_status_territory_sectors_and_sample_badge(client, org):
    org.is_sample = True
    org.save()
    org.sectors.add(Sector.objects.get(code="environment"))
    response = client.get(DIRECTORY)
    html = response.content.decode()
    assert response.status_code == 200
    assert names(response) == ["Civic Hub"]
    assert "Non-governmental organisation" in html and "Operating" in html and "Astana" in html
    assert "Environmental protection" in html
    assert 'class="badge badge-sample"' in html
    assert "1 organisation found" in html


def test_it_labels_every_filter_control(client, db):
    html = client.get(DIRECTORY).content.decode()
    for control in ["q", "kind", "sector", "territory", "subtree", "status", "country"]:
        assert f'<label for="id_{control}">' in html
    assert 'name="filtered" value="1"' in html


def test_it_filters_and_keeps_the_filters_in_the_form(client, region):
    OrganizationFactory(territory=region, name_en="Akimat of Astana", kind=Organization.Kind.LOCAL_EXECUTIVE)
    OrganizationFactory(territory=region, name_en="Astana Youth", kind=Organization.Kind.NGO)
    response = client.get(DIRECTORY, {"q": "Astana", "kind": "ngo", "filtered": "1", "subtree": "on"})
    assert names(response) == ["Astana Youth"]
    html = response.content.decode()
    assert 'value="Astana"' in html
    assert '<option value="ngo" selected>' in html


def test_it_shows_an_empty_state(client, org):
    response = client.get(DIRECTORY, {"q": "no such thing"})
    assert names(response) == []
    assert "No organisation matches these filters." in response.content.decode()


def test_it_includes_subdivisions_on_a_first_visit_and_not_when_unchecked(client, region):
    district = TerritoryFactory(parent=region, code="711000000", kind="city_district", name="Almaty District")
    OrganizationFactory(territory=district, name_en="District NGO")
    first_visit = client.get(DIRECTORY, {"territory": region.code})
    assert names(first_visit) == ["District NGO"]
    assert re.search(r'<input type="checkbox" name="subtree"[^>]*checked', first_visit.content.decode())
    unchecked = client.get(DIRECTORY, {"territory": region.code, "filtered": "1"})
    assert names(unchecked) == []
    assert not re.search(r'<input type="checkbox" name="subtree"[^>]*checked', unchecked.content.decode())


def test_it_accepts_a_deep_territory_code_from_a_territory_page(client, region):
    district = TerritoryFactory(parent=region, code="711000000", kind="city_district")
    village = TerritoryFactory(parent=district, code="711010000", kind="settlement", name="Deep Village")
    OrganizationFactory(territory=village, name_en="Village Jamaat")
    response = client.get(DIRECTORY, {"territory": village.code})
    assert names(response) == ["Village Jamaat"]
    assert f'<option value="{village.code}" selected>' in response.content.decode()


def test_it_paginates_and_keeps_the_filters_in_page_links(client, region):
    for n in range(25):
        OrganizationFactory(
            territory=region, name_en=f"Group {n:02d}", kind=Organization.Kind.INITIATIVE_GROUP
        )
    OrganizationFactory(territory=region, name_en="Group of another kind", kind=Organization.Kind.NGO)
    response = client.get(DIRECTORY, {"kind": "initiative_group", "filtered": "1", "subtree": "on"})
    html = response.content.decode()
    assert "25 organisations found" in html
    assert len(names(response)) == 20
    assert re.search(r'href="\?kind=initiative_group&amp;filtered=1&amp;subtree=on&amp;page=2"', html)
    second = client.get(DIRECTORY, {"kind": "initiative_group", "filtered": "1", "subtree": "on", "page": 2})
    assert names(second) == [f"Group {n}" for n in range(20, 25)]
    assert 'aria-current="page"' in second.content.decode()


def test_it_runs_a_constant_number_of_queries_for_a_page_of_organisations(
    client, region, django_assert_max_num_queries
):
    sectors = list(Sector.objects.all()[:3])

    def make(count):
        for _n in range(count):
            OrganizationFactory(territory=TerritoryFactory(parent=region, kind="district")).sectors.set(
                sectors
            )

    make(20)
    with django_assert_max_num_queries(6):
        assert len(names(client.get(DIRECTORY))) == 20
    make(30)
    with django_assert_max_num_queries(6):
        assert len(names(client.get(DIRECTORY))) == 20


def test_it_survives_invalid_filters(client, org):
    response = client.get(DIRECTORY, {"kind": "bogus", "page": "x", "per_page": "-1", "territory": "nope"})
    assert response.status_code == 200
    assert names(response) == ["Civic Hub"]


# --- detail --------------------------------------------------------------------------------------


def test_it_shows_the_detail_page(client, org, head, alice, state_body):
    org.registration_number = "940340000570"
    org.website = "https://hub.example.org"
    org.save()
    MembershipFactory(organization=org, user=alice, role=Membership.Role.OFFICER)
    akimat = OrganizationFactory(
        kind=Organization.Kind.LOCAL_EXECUTIVE, supervising_body=state_body, name="Akimat"
    )
    OrganizationFactory(kind=Organization.Kind.LOCAL_EXECUTIVE, supervising_body=akimat, name="Rural akimat")
    html = client.get(f"/en/organizations/{org.pk}/").content.decode()
    assert "<h1>" in html and html.count("<h1") == 1
    assert "940340000570" in html and "Гражданский хаб" in html and "https://hub.example.org" in html
    assert f"/territories/{org.territory.code}/" in html
    assert "Bob" in html and "Head" in html and "Alice" in html and "Officer" in html
    assert "bob@example.org" not in html
    akimat_html = client.get(f"/en/organizations/{akimat.pk}/").content.decode()
    assert "Ministry" in akimat_html and "Rural akimat" in akimat_html


def test_it_bounds_the_queries_of_the_detail_page(client, org, django_assert_max_num_queries):
    for _n in range(10):
        MembershipFactory(organization=org)
    with django_assert_max_num_queries(8):
        assert client.get(f"/en/organizations/{org.pk}/").status_code == 200


def test_it_gives_404_for_an_unknown_organisation(client, db):
    assert client.get("/en/organizations/999999/").status_code == 404


# --- edit ----------------------------------------------------------------------------------------


def edit_data(**overrides):
    data = {
        "name_kk": "",
        "name_ru": "Гражданский хаб",
        "name_ky": "",
        "name_en": "Civic Hub 2",
        "website": "",
        "email": "",
        "phone": "",
        "sectors": [],
    }
    for code in ("kk", "ru", "ky", "en"):
        data[f"description_{code}"] = ""
    data.update(overrides)
    return data


def test_it_refuses_the_edit_page_to_outsiders_and_sends_anonymous_people_to_log_in(client, org, charlie):
    url = f"/en/organizations/{org.pk}/edit/"
    assert client.get(url).status_code == 302
    client.force_login(charlie)
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data()).status_code == 403
    org.refresh_from_db()
    assert org.name_en == "Civic Hub"


def test_it_lets_the_head_edit(client, org, head):
    client.force_login(head)
    url = f"/en/organizations/{org.pk}/edit/"
    assert 'value="Гражданский хаб"' in client.get(url).content.decode()
    response = client.post(url, edit_data(sectors=[Sector.objects.get(code="health").pk], phone="123"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_en == "Civic Hub 2" and org.phone == "123"
    assert [s.code for s in org.sectors.all()] == ["health"]


def test_it_keeps_the_typed_input_when_the_edit_fails(client, org, head):
    client.force_login(head)
    response = client.post(
        f"/en/organizations/{org.pk}/edit/",
        edit_data(name_ru="", name_en="", name_kk="Typed name", email="not-an-email"),
    )
    # name_kk given, so the names are fine; the e-mail is not
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Typed name"' in html and 'value="not-an-email"' in html
    assert 'class="errorlist"' in html
    org.refresh_from_db()
    assert org.name_kk is None


# --- members -------------------------------------------------------------------------------------


def test_it_refuses_the_members_page_to_non_heads(client, org, alice):
    MembershipFactory(organization=org, user=alice, role=Membership.Role.MODERATOR)
    client.force_login(alice)
    url = f"/en/organizations/{org.pk}/members/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.org", "role": "member"}).status_code == 403
    assert not Invitation.objects.exists()


def test_it_lets_the_head_invite_and_keeps_the_input_on_error(
    client, org, head, django_capture_on_commit_callbacks
):
    client.force_login(head)
    url = f"/en/organizations/{org.pk}/members/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "new@example.org", "role": "officer"})
    assert response.status_code == 302
    assert Invitation.objects.get().email == "new@example.org"
    assert len(mail.outbox) == 1 and "http://testserver/en/organizations/invitations/" in mail.outbox[0].body
    page = client.get(url).content.decode()
    assert "new@example.org" in page
    again = client.post(url, {"email": "new@example.org", "role": "officer"})
    assert again.status_code == 400
    html = again.content.decode()
    assert "already open" in html and 'value="new@example.org"' in html


def test_it_lets_the_head_change_a_role_remove_a_member_and_revoke_an_invitation(client, org, head, alice):
    membership = MembershipFactory(organization=org, user=alice)
    invitation = InvitationFactory(organization=org, invited_by=head)
    client.force_login(head)
    base = f"/en/organizations/{org.pk}"
    client.post(f"{base}/members/{membership.pk}/role/", {"role": "moderator"})
    assert Membership.objects.get(pk=membership.pk).role == "moderator"
    client.post(f"{base}/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.post(f"{base}/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_explains_why_the_last_head_cannot_step_down(client, org, head):
    own = Membership.objects.get(user=head)
    client.force_login(head)
    response = client.post(
        f"/en/organizations/{org.pk}/members/{own.pk}/role/", {"role": "member"}, follow=True
    )
    assert "at least one head" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).role == "head"


def test_it_lets_a_member_leave_from_the_detail_page(client, org, head, alice):
    membership = MembershipFactory(organization=org, user=alice)
    client.force_login(alice)
    assert "Leave this organisation" in client.get(f"/en/organizations/{org.pk}/").content.decode()
    response = client.post(f"/en/organizations/{org.pk}/members/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_removing_someone_else_without_permission(client, org, head, alice, charlie):
    membership = MembershipFactory(organization=org, user=alice)
    client.force_login(charlie)
    assert client.post(f"/en/organizations/{org.pk}/members/{membership.pk}/remove/").status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- accepting an invitation ----------------------------------------------------------------------


def test_it_accepts_an_invitation_through_the_page(client, org, head):
    _invitation, token = services.membership_invite(
        actor=head, organization=org, email="new@example.org", role="member"
    )
    url = reverse("organizations:invitation_accept", args=[token])
    assert client.get(url).status_code == 302  # log in first
    newcomer = UserFactory(email="new@example.org")
    client.force_login(newcomer)
    page = client.get(url).content.decode()
    assert "Bob invites you to join Civic Hub as Member." in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/en/organizations/{org.pk}/"
    assert Membership.objects.filter(organization=org, user=newcomer).exists()


def test_it_shows_why_an_invitation_cannot_be_accepted(client, org, head, charlie):
    _invitation, token = services.membership_invite(
        actor=head, organization=org, email="new@example.org", role="member"
    )
    client.force_login(charlie)
    response = client.post(reverse("organizations:invitation_accept", args=[token]))
    assert response.status_code == 400
    assert "another e-mail address" in response.content.decode()
    assert client.get(reverse("organizations:invitation_accept", args=["unknown"])).status_code == 404
