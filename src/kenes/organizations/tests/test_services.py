import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.audit.models import Event
from kenes.common.identifiers import kz_check_digit
from kenes.organizations import services
from kenes.organizations.models import Invitation, Membership, Organization, Sector
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory, SectorFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def bin_for(first_eleven: str) -> str:
    return f"{first_eleven}{kz_check_digit(first_eleven)}"


def events(action):
    return list(Event.objects.filter(action=action))


# --- organisations -----------------------------------------------------------------------------


def test_it_creates_an_organisation_with_names_sectors_and_an_audit_event(staff, region):
    sector = Sector.objects.get(code="environment")
    organization = services.organization_create(
        actor=staff,
        kind=Organization.Kind.NGO,
        country="KZ",
        territory=region,
        name_ru="Зеленый город",
        name_kk="Жасыл қала",
        name_en="Green City",
        registration_number=bin_for("94034000057"),
        sectors=[sector],
    )
    organization.refresh_from_db()
    assert organization.name_kk == "Жасыл қала"
    raw_name = Organization.objects.rewrite(False).filter(pk=organization.pk).values_list("name", flat=True)
    assert list(raw_name) == ["Зеленый город"]  # the untranslated column holds the Russian name
    assert list(organization.sectors.values_list("code", flat=True)) == ["environment"]
    [event] = events("organizations.organization.created")
    assert event.subject_id == str(organization.pk)
    assert event.after["sectors"] == ["environment"]
    assert event.after["territory"] == region.pk


def test_it_refuses_creation_by_a_non_staff_user(alice, region):
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=alice, kind="ngo", country="KZ", territory=region, name_ru="X")
    assert not Organization.objects.filter(name_ru="X").exists()


def test_it_refuses_a_bin_with_a_wrong_check_digit(staff, region):
    good = bin_for("94034000057")
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        services.organization_create(
            actor=staff, kind="ngo", country="KZ", territory=region, name_ru="X", registration_number=bad
        )
    assert "registration_number" in exc.value.message_dict


def test_it_refuses_a_territory_in_another_country(staff):
    bishkek = TerritoryFactory(country="KG", code="41711000000000")
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=staff, kind="ngo", country="KZ", territory=bishkek, name_ru="X")
    assert "territory" in exc.value.message_dict


def test_it_refuses_an_organisation_without_any_name(staff, region):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=staff, kind="ngo", country="KZ", territory=region)
    assert "name" in exc.value.message_dict


def test_it_updates_only_changed_fields_and_records_before_and_after(head, org):
    sector = Sector.objects.get(code="health")
    services.organization_update(
        actor=head,
        organization=org,
        name_kk="Азаматтық хаб",
        phone="+7 700 000 00 00",
        name_en="Civic Hub",
        sectors=[sector],
    )
    org.refresh_from_db()
    assert org.name_kk == "Азаматтық хаб"
    assert org.phone == "+7 700 000 00 00"
    [event] = events("organizations.organization.updated")
    assert event.before == {"name_kk": "", "phone": "", "sectors": []}
    assert event.after == {"name_kk": "Азаматтық хаб", "phone": "+7 700 000 00 00", "sectors": ["health"]}


def test_it_refuses_an_update_by_an_outsider(charlie, org):
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=charlie, organization=org, phone="1")
    org.refresh_from_db()
    assert org.phone == ""


def test_it_records_nothing_when_nothing_changed(head, org):
    services.organization_update(actor=head, organization=org, name_kk="", name_en="Civic Hub", sectors=[])
    assert events("organizations.organization.updated") == []


def test_it_sets_the_status_and_only_staff_may(staff, head, org):
    with pytest.raises(PermissionDenied):
        services.organization_set_status(actor=head, organization=org, status=Organization.Status.LIQUIDATED)
    services.organization_set_status(actor=staff, organization=org, status=Organization.Status.LIQUIDATED)
    org.refresh_from_db()
    assert org.status == Organization.Status.LIQUIDATED
    [event] = events("organizations.organization.status_changed")
    assert event.before == {"status": "operating"} and event.after == {"status": "liquidated"}


# --- the supervising chain -----------------------------------------------------------------------


def test_it_allows_a_state_body_under_a_state_body(staff, region):
    ministry = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY)
    akimat = OrganizationFactory(territory=region, kind=Organization.Kind.LOCAL_EXECUTIVE)
    services.organization_update(actor=staff, organization=akimat, supervising_body=ministry)
    akimat.refresh_from_db()
    assert akimat.supervising_body == ministry


def test_it_refuses_a_supervising_body_for_an_ngo_or_a_non_state_supervisor(staff, org, state_body, region):
    with pytest.raises(ValidationError) as exc:
        services.organization_update(actor=staff, organization=org, supervising_body=state_body)
    assert exc.value.error_dict["supervising_body"][0].code == "supervisor_not_state"
    akimat = OrganizationFactory(territory=region, kind=Organization.Kind.LOCAL_EXECUTIVE)
    with pytest.raises(ValidationError) as exc:
        services.organization_update(actor=staff, organization=akimat, supervising_body=org)
    assert exc.value.error_dict["supervising_body"][0].code == "supervisor_kind"


def test_it_refuses_a_cycle_in_the_supervising_chain(staff, region):
    a = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY)
    b = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, supervising_body=a)
    c = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY, supervising_body=b)
    with pytest.raises(ValidationError) as exc:
        services.organization_update(actor=staff, organization=a, supervising_body=c)
    assert exc.value.error_dict["supervising_body"][0].code == "supervisor_cycle"
    a.refresh_from_db()
    assert a.supervising_body_id is None


# --- memberships ---------------------------------------------------------------------------------


def test_it_keeps_the_last_head(head, org):
    membership = Membership.objects.get(user=head, organization=org)
    with pytest.raises(ValidationError):
        services.membership_change_role(actor=head, membership=membership, role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=head, membership=membership)
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.HEAD


def test_it_changes_a_role_and_lets_a_head_step_down_when_another_head_exists(head, org, alice):
    other = MembershipFactory(organization=org, user=alice, role=Membership.Role.MEMBER)
    services.membership_change_role(actor=head, membership=other, role=Membership.Role.HEAD)
    own = Membership.objects.get(user=head, organization=org)
    services.membership_change_role(actor=head, membership=own, role=Membership.Role.OFFICER)
    assert Membership.objects.get(pk=own.pk).role == Membership.Role.OFFICER
    roles = [(e.before, e.after) for e in events("organizations.membership.role_changed")]
    assert roles == [({"role": "member"}, {"role": "head"}), ({"role": "head"}, {"role": "officer"})]


def test_it_lets_a_member_leave_but_not_remove_others(head, org, alice, charlie):
    mine = MembershipFactory(organization=org, user=alice)
    theirs = MembershipFactory(organization=org, user=charlie)
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=alice, membership=theirs)
    services.membership_remove(actor=alice, membership=mine)
    assert not Membership.objects.filter(pk=mine.pk).exists()
    assert Membership.objects.filter(pk=theirs.pk).exists()
    assert len(events("organizations.membership.removed")) == 1


def test_it_lets_a_head_remove_a_member(head, org, alice):
    membership = MembershipFactory(organization=org, user=alice)
    services.membership_remove(actor=head, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


# --- invitations ---------------------------------------------------------------------------------


def invite(actor, organization, email="Newcomer@Example.org", role=Membership.Role.OFFICER, **kwargs):
    return services.membership_invite(
        actor=actor, organization=organization, email=email, role=role, **kwargs
    )


def test_it_invites_by_mail_in_the_inviters_language_and_stores_only_a_digest(
    head, org, django_capture_on_commit_callbacks
):
    head.language = "ru"
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(head, org, base_url="https://kenes.example/")
    assert invitation.email == "newcomer@example.org"
    assert invitation.token_hash == services.token_digest(token) and token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=13, hours=23)
    [message] = mail.outbox
    assert message.to == ["newcomer@example.org"]
    assert f"https://kenes.example/ru/organizations/invitations/{token}/" in message.body
    assert "Гражданский хаб" in message.subject  # the org's name in Russian
    assert len(events("organizations.invitation.created")) == 1
    assert "newcomer" not in str(events("organizations.invitation.created")[0].data)


def test_it_mails_an_existing_user_in_their_own_language(head, org, django_capture_on_commit_callbacks):
    UserFactory(email="newcomer@example.org", language="en")
    head.language = "ru"
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(head, org)
    [message] = mail.outbox
    assert "Civic Hub" in message.subject
    assert "/en/organizations/invitations/" in message.body


def test_it_sends_no_mail_when_the_transaction_does_not_commit(head, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(head, org)
    assert len(callbacks) == 1 and mail.outbox == []


def test_it_refuses_a_second_open_invitation_to_the_same_address(head, org):
    invite(head, org)
    with pytest.raises(ValidationError) as exc:
        invite(head, org, email="NEWCOMER@example.org")
    assert "email" in exc.value.message_dict
    assert Invitation.objects.count() == 1


def test_it_replaces_an_expired_invitation(head, org):
    first, _token = invite(head, org)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        second, _token = invite(head, org)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.pk != first.pk


def test_it_refuses_to_invite_an_existing_member(head, org):
    with pytest.raises(ValidationError):
        invite(head, org, email="BOB@example.org")


def test_it_refuses_invitations_from_outsiders(charlie, org):
    with pytest.raises(PermissionDenied):
        invite(charlie, org)


def test_it_accepts_an_invitation_with_the_matching_email_in_any_case(head, org):
    invitation, token = invite(head, org)
    newcomer = UserFactory(email="newcomer@example.org")
    membership = services.invitation_accept(actor=newcomer, token=token)
    assert membership.organization == org and membership.role == Membership.Role.OFFICER
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    assert len(events("organizations.invitation.accepted")) == 1
    assert len(events("organizations.membership.created")) == 1


def test_it_refuses_accepting_twice(head, org):
    _invitation, token = invite(head, org)
    newcomer = UserFactory(email="newcomer@example.org")
    services.invitation_accept(actor=newcomer, token=token)
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(actor=newcomer, token=token)
    assert exc.value.code == "invitation_accepted"
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_it_refuses_an_expired_invitation(head, org):
    _invitation, token = invite(head, org)
    newcomer = UserFactory(email="newcomer@example.org")
    later = timezone.now() + datetime.timedelta(days=14, seconds=1)
    with time_machine.travel(later), pytest.raises(ValidationError) as exc:
        services.invitation_accept(actor=newcomer, token=token)
    assert exc.value.code == "invitation_expired"


def test_it_refuses_a_revoked_invitation(head, org):
    invitation, token = invite(head, org)
    services.invitation_revoke(actor=head, invitation=invitation)
    assert len(events("organizations.invitation.revoked")) == 1
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(actor=UserFactory(email="newcomer@example.org"), token=token)
    assert exc.value.code == "invitation_revoked"


def test_it_refuses_an_invitation_for_another_email(head, org, charlie):
    _invitation, token = invite(head, org)
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(actor=charlie, token=token)
    assert exc.value.code == "invitation_email_mismatch"
    assert not Membership.objects.filter(user=charlie).exists()


def test_it_refuses_an_invitation_when_already_a_member(head, org):
    newcomer = UserFactory(email="newcomer@example.org")
    _invitation, token = invite(head, org)
    MembershipFactory(organization=org, user=newcomer)
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(actor=newcomer, token=token)
    assert exc.value.code == "already_member"


def test_it_refuses_an_unknown_token(alice):
    with pytest.raises(ValidationError):
        services.invitation_accept(actor=alice, token="nope")


def test_it_does_not_mail_a_revoked_invitation(head, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation, _token = invite(head, org)
    services.invitation_revoke(actor=head, invitation=invitation)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_sector_factory_does_not_clash_with_the_shipped_sectors():
    assert SectorFactory().code.startswith("sector-")
    assert Sector.objects.filter(code__in=["environment", "other"]).count() == 2
