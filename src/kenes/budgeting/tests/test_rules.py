import pytest
from django.contrib.auth.models import AnonymousUser

from kenes.accounts.tests.factories import UserFactory
from kenes.budgeting.models import Proposal
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory

ROLES = ["anonymous", "outsider", "author", "member", "officer", "head", "staff", "inactive"]
PROCESS_PERMS = {
    # perm: roles that hold it on a process of the body
    "budgeting.view_process": set(ROLES),
    "budgeting.add_process": {"officer", "head", "staff"},
    "budgeting.change_process": {"officer", "head", "staff"},
    "budgeting.count_process": {"officer", "head", "staff"},
    "budgeting.publish_results": {"officer", "head", "staff"},
    "budgeting.add_proposal": {"outsider", "author", "member", "officer", "head", "staff"},
    "budgeting.vote": {"outsider", "author", "member", "officer", "head", "staff"},
}
PROPOSAL_PERMS = {
    "budgeting.support_proposal": {"outsider", "author", "member", "officer", "head", "staff"},
    "budgeting.review_proposal": {"officer", "head"},
    "budgeting.merge_proposal": {"officer", "head"},
    "budgeting.change_proposal": {"author"},
}


@pytest.fixture
def world(db):
    process = ProcessFactory()
    author = UserFactory()
    proposal = ProposalFactory(process=process, author=author)
    people = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "author": author,
        "staff": UserFactory(is_staff=True),
        "inactive": UserFactory(is_active=False),
    }
    for role in ("member", "officer", "head"):
        people[role] = MembershipFactory(organization=process.organization, role=role).user
    return process, proposal, people


@pytest.mark.parametrize("perm", sorted(PROCESS_PERMS))
def test_it_grants_process_perms_by_role(world, perm):
    process, _proposal, people = world
    granted = {role for role, user in people.items() if user.has_perm(perm, process)}
    assert granted == PROCESS_PERMS[perm]


@pytest.mark.parametrize("perm", sorted(PROPOSAL_PERMS))
def test_it_grants_proposal_perms_by_role(world, perm):
    _process, proposal, people = world
    granted = {role for role, user in people.items() if user.has_perm(perm, proposal)}
    assert granted == PROPOSAL_PERMS[perm]


def test_it_lets_the_author_change_only_a_submitted_proposal(world):
    _process, proposal, people = world
    for status in Proposal.Status.values:
        proposal.status = status
        assert people["author"].has_perm("budgeting.change_proposal", proposal) == (status == "submitted")


def test_it_hides_a_hidden_proposal_from_the_public(world):
    _process, proposal, people = world
    proposal.is_hidden = True
    visible = {role for role, user in people.items() if user.has_perm("budgeting.view_proposal", proposal)}
    assert visible == {"author", "officer", "head", "staff"}


def test_it_lets_officials_create_processes_for_their_organisation_only(world):
    process, _proposal, people = world
    other = MembershipFactory(role=Membership.Role.HEAD).organization
    assert people["head"].has_perm("budgeting.add_process", process.organization)
    assert not people["head"].has_perm("budgeting.add_process", other)
    assert not people["head"].has_perm("budgeting.add_process", None)
