"""Read paths: the phase filter agrees with Process.phase, proposals and results come out in the
order the pages promise, explanations are read whatever nesting the count stored, and a voter's
ballot is shown only to that voter."""

import pytest

from kenes.budgeting import selectors
from kenes.budgeting.models import Process, Proposal, Result, ResultLine
from kenes.budgeting.tests.factories import PHASE_OFFSETS, ProcessFactory, ProposalFactory, cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phase", list(PHASE_OFFSETS))
def test_the_phase_filter_agrees_with_the_phase_property(phase, body):
    processes = {p: ProcessFactory(phase=p, organization=body) for p in PHASE_OFFSETS}
    found = list(selectors.process_list_public(phase=phase))
    assert found == [processes[phase]]
    assert found[0].phase == phase


def test_the_list_takes_in_the_territory_subtree(body, village, elsewhere):
    inside = ProcessFactory(organization=body, territory=village)
    ProcessFactory(territory=elsewhere)
    assert list(selectors.process_list_public(territory=body.territory)) == [inside]


def test_proposals_on_the_ballot_come_first_with_support_counts(body, alice, charlie):
    process = ProcessFactory(phase="review", organization=body)
    submitted = ProposalFactory(process=process)
    listed = ProposalFactory(process=process, status=Proposal.Status.ON_BALLOT)
    ProposalFactory(process=process, is_hidden=True)
    submitted.supports.create(user=alice)
    submitted.supports.create(user=charlie)
    proposals = selectors.proposals_of(process)
    assert proposals == [listed, submitted]
    assert proposals[1].support_count == 2


def test_the_timeline_marks_exactly_the_current_phase(body):
    process = ProcessFactory(phase="voting", organization=body)
    steps = selectors.phase_timeline(process)
    assert [s.phase for s in steps if s.is_current] == ["voting"]
    assert [s.phase for s in steps if s.is_past] == ["proposals", "review"]


def test_a_voters_ballot_is_shown_back_only_to_them(body, make_voter):
    process = ProcessFactory(phase="voting", organization=body)
    a = ProposalFactory(process=process, status=Proposal.Status.ON_BALLOT)
    voter, other = make_voter(email="a@example.org"), make_voter(email="b@example.org")
    cast(process, voter, [a])
    assert list(selectors.ballot_choices_of(voter=voter, process=process)) == [a.pk]
    assert selectors.ballot_choices_of(voter=other, process=process) is None


def test_results_put_funded_projects_in_the_order_chosen(body):
    process = ProcessFactory(phase="results", organization=body)
    a, b, c = (ProposalFactory(process=process) for _ in range(3))
    result = Result.objects.create(process=process, rule="greedy", ballots_counted=3, total_cost=200)
    ResultLine.objects.create(result=result, proposal=a, funded=True, position=2, votes=1, reason="funded")
    ResultLine.objects.create(result=result, proposal=b, funded=True, position=1, votes=3, reason="funded")
    ResultLine.objects.create(result=result, proposal=c, funded=False, votes=2, reason="over_budget")
    view = selectors.result_of(process)
    assert [line.proposal for line in view.funded] == [b, a]
    assert [line.proposal for line in view.others] == [c]
    assert selectors.result_of(ProcessFactory(organization=body)) is None


@pytest.mark.parametrize(
    "explanation",
    [
        {"supporters_money": "450", "budget_left": 700},
        {"details": {"supporters_budget": 450.4, "budget_left": "700"}},
    ],
)
def test_explanation_facts_read_flat_or_nested_details(explanation, body):
    process = ProcessFactory(organization=body)
    line = ResultLine(
        proposal=ProposalFactory(process=process),
        funded=True,
        votes=1,
        reason="funded",
        explanation=explanation,
    )
    facts = selectors.explanation_facts(line)
    assert facts["supporters_money"] == 450 and facts["budget_left"] == 700 and facts["reason"] == "funded"


def test_eligibility_is_said_in_plain_words(body):
    process = ProcessFactory(organization=body, residents_only=True, min_age=16, min_verification_level=1)
    text = " ".join(str(s) for s in selectors.eligibility_sentences(process))
    assert body.territory.name in text and "16 years old" in text and "verified" in text


def test_every_rule_has_a_plain_sentence():
    assert set(selectors.RULE_SENTENCES) == set(Process.Rule.values)
