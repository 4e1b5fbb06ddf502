"""Permissions of appeals: each person against a private, a published and a collective appeal."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kenes.accounts.tests.factories import UserFactory
from kenes.appeals import services
from kenes.appeals.tests.factories import BodyFactory, officer_of, submit
from kenes.obligations import services as obligations
from kenes.obligations.models import Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, charlie, body, regional_body):
    return {
        "anonymous": AnonymousUser(),
        "author": alice,
        "outsider": charlie,
        "member": officer_of(body, role="member"),
        "officer": officer_of(body),
        "head": officer_of(body, role="head"),
        "supervisor": officer_of(regional_body),
        "staff": UserFactory(is_staff=True),
    }


EXPECTED = {
    # person: (view private, view published, publish, view attachment)
    "anonymous": (False, True, False, False),
    "author": (True, True, True, True),
    "outsider": (False, True, False, False),
    "member": (False, True, False, False),
    "officer": (True, True, False, True),
    "head": (True, True, False, True),
    "supervisor": (True, True, False, True),
    "staff": (True, True, False, False),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_may_see_and_publish(who, people, alice, village, roads, body):
    person = people[who]
    private = submit(alice, territory=village, topic=roads, addressee=body)
    published = submit(alice, territory=village, topic=roads, addressee=body, is_public=True)
    view_private, view_published, publish, files = EXPECTED[who]
    assert person.has_perm("appeals.view_appeal", private) is view_private
    assert person.has_perm("appeals.view_appeal", published) is view_published
    assert person.has_perm("appeals.publish_appeal", private) is publish
    assert person.has_perm("appeals.view_attachment", published) is files
    assert person.has_perm("appeals.submit_appeal") is (who != "anonymous")


def test_cosigners_see_and_download_and_only_others_may_cosign(alice, charlie, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    single = submit(alice, territory=village, topic=roads, addressee=body)
    assert charlie.has_perm("appeals.cosign_appeal", appeal)
    assert not alice.has_perm("appeals.cosign_appeal", appeal)
    assert not charlie.has_perm("appeals.cosign_appeal", single)
    assert not AnonymousUser().has_perm("appeals.cosign_appeal", appeal)
    token = services.appeal_cosign_link(actor=alice, appeal=appeal)
    appeal.refresh_from_db()
    services.appeal_cosign(actor=charlie, appeal=appeal, token=token)
    assert charlie.has_perm("appeals.view_appeal", appeal)
    assert charlie.has_perm("appeals.view_attachment", appeal)
    assert not charlie.has_perm("appeals.publish_appeal", appeal)


def test_after_a_redirection_files_go_to_the_new_body_only(alice, official, village, roads, body, district):
    appeal = submit(alice, territory=village, topic=roads, addressee=body)
    other = BodyFactory(territory=district)
    obligations.obligation_redirect(
        actor=official,
        obligation=Obligation.objects.for_subject(appeal).get(),
        to_organization=other,
        reason="The roads department of the district is competent for street lights.",
    )
    new_officer = officer_of(other)
    assert official.has_perm("appeals.view_appeal", appeal)
    assert not official.has_perm("appeals.view_attachment", appeal)
    assert new_officer.has_perm("appeals.view_attachment", appeal)
