"""Admin: processes are editable (frozen fields once voting opened), the rest is read-only, and
ballots are not in the admin at all (no page joins a voter to their choices)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kenes.budgeting.models import Ballot, BallotChoice, Proposal, Result, Support
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_ballots_and_their_choices_are_not_in_the_admin():
    assert not admin.site.is_registered(Ballot)
    assert not admin.site.is_registered(BallotChoice)


def test_proposals_supports_and_results_are_read_only(client, staff, body):
    proposal = ProposalFactory(process=ProcessFactory(organization=body))
    client.force_login(staff)
    for model in (Proposal, Support, Result):
        assert admin.site.is_registered(model)
        assert client.get(reverse(f"admin:budgeting_{model._meta.model_name}_add")).status_code == 403
    response = client.get(reverse("admin:budgeting_proposal_change", args=[proposal.pk]))
    assert response.status_code == 200
    assert b'name="title"' not in response.content


def test_outcome_fields_are_frozen_once_voting_opened(client, staff, body):
    client.force_login(staff)
    draft = ProcessFactory(phase="proposals", organization=body)
    voting = ProcessFactory(phase="voting", organization=body)
    assert b'name="budget"' in client.get(reverse("admin:budgeting_process_change", args=[draft.pk])).content
    html = client.get(reverse("admin:budgeting_process_change", args=[voting.pk])).content
    assert b'name="budget"' not in html and b'name="rule"' not in html
    assert b'name="title_en"' in html  # translations stay editable
    assert client.get(reverse("admin:budgeting_process_changelist")).status_code == 200
