"""The sample petitions and appeals: made through the modules' services, answered where the
demo says so, consistent with their audit log, and not duplicated by a second run."""

import pytest

from kenes.appeals.models import Appeal, RoutingRule
from kenes.demo.services import demo_load
from kenes.demo.voice import (
    ANSWERED_SIGNERS,
    ANSWERED_TITLE,
    APPEAL_SUBJECT,
    COLLECTING_TITLE,
    PRIVATE_SUBJECT,
)
from kenes.obligations.models import Obligation
from kenes.petitions.counting import petition_verify_count
from kenes.petitions.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.KENES_DATA_DIR = tmp_path / "absent"  # the bundled extract, as in a clone
    return demo_load()


def test_the_answered_petition_passed_its_threshold_and_was_answered_with_a_commitment(demo, client):
    petition = Petition.objects.get(is_sample=True, title=ANSWERED_TITLE)
    assert petition.state == Petition.State.OPEN
    assert petition.signature_count == ANSWERED_SIGNERS >= petition.threshold
    assert petition.threshold_reached_at is not None
    obligation = Obligation.objects.for_subject(petition).get()
    assert obligation.state == Obligation.State.ANSWERED
    assert obligation.response.commitments.count() == 1
    assert petition_verify_count(petition).ok
    page = client.get(f"/en/petitions/{petition.pk}/")
    assert page.status_code == 200 and "Raised pedestrian crossing" in page.content.decode()


def test_the_collecting_petition_has_signatures_and_no_obligation(demo):
    petition = Petition.objects.get(is_sample=True, title=COLLECTING_TITLE)
    assert 0 < petition.signature_count < petition.threshold
    assert not Obligation.objects.for_subject(petition).exists()


def test_the_sample_appeals_are_routed_numbered_and_one_is_answered_and_public(demo, client):
    public = Appeal.objects.get(is_sample=True, subject=APPEAL_SUBJECT)
    private = Appeal.objects.get(is_sample=True, subject=PRIVATE_SUBJECT)
    assert public.is_public and not private.is_public
    assert public.number != private.number and public.routed_by is not None
    assert Obligation.objects.for_subject(public).get().state == Obligation.State.ANSWERED
    assert Obligation.objects.for_subject(private).get().is_live
    assert client.get(f"/en/appeals/{public.pk}/").status_code == 200
    assert client.get(f"/en/appeals/{private.pk}/").status_code == 404


def test_a_second_run_adds_no_petition_appeal_or_rule(demo):
    counts = (Petition.objects.count(), Appeal.objects.count(), RoutingRule.objects.count())
    again = demo_load()
    assert again.petitions_created == 0 and again.appeals_created == 0
    assert (Petition.objects.count(), Appeal.objects.count(), RoutingRule.objects.count()) == counts
