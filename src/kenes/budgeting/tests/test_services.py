import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kenes.accounts.models import Demographics
from kenes.accounts.tests.factories import UserFactory
from kenes.audit.models import Event
from kenes.budgeting import services
from kenes.budgeting.eligibility import voter_eligibility
from kenes.budgeting.models import Ballot, BallotChoice, Process, Proposal, Support
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory, cast
from kenes.notifications.models import Notification
from kenes.obligations.models import Commitment, Kind, Obligation, Response

REASONS = "The site belongs to the district and the estimate matches our prices."
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _events(name):
    return Event.objects.filter(action=name)


def _dates(start=START):
    day = datetime.timedelta(days=1)
    return {
        "proposals_open": start,
        "proposals_close": start + 10 * day,
        "review_close": start + 20 * day,
        "voting_open": start + 21 * day,
        "voting_close": start + 30 * day,
    }


def _process(body, district, phase="voting", **kwargs):
    kwargs.setdefault("residents_only", True)
    return ProcessFactory(organization=body, territory=district, phase=phase, **kwargs)


def _on_ballot(process, *costs):
    return [
        ProposalFactory(process=process, status=Proposal.Status.ON_BALLOT, estimated_cost=c, official_cost=c)
        for c in costs
    ]


# --- processes ------------------------------------------------------------------------------------


def test_it_creates_a_process_for_an_official(official, body, district):
    process = services.process_create(
        actor=official,
        organization=body,
        territory=district,
        title="People's budget",
        title_ru="Народный бюджет",
        budget=1000,
        **_dates(),
    )
    assert process.title_ru == "Народный бюджет"
    assert _events("budgeting.process.created").filter(subject_id=str(process.pk)).exists()


def test_it_refuses_a_process_to_an_outsider(charlie, body, district):
    with pytest.raises(PermissionDenied):
        services.process_create(
            actor=charlie, organization=body, territory=district, title="X", budget=10, **_dates()
        )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"ballot_type": "cumulative"}, "max_points"),
        ({"ballot_type": "ordinal", "rule": "mes_cost"}, "rule_ballot"),
        ({"min_choices": 3, "max_choices": 2}, "choices"),
    ],
)
def test_it_refuses_an_inconsistent_process(official, body, district, kwargs, code):
    with pytest.raises(ValidationError) as error:
        services.process_create(
            actor=official, organization=body, territory=district, title="X", budget=10, **_dates(), **kwargs
        )
    assert error.value.code == code


def test_it_refuses_phases_out_of_order(official, body, district):
    dates = _dates()
    dates["voting_close"] = dates["voting_open"] - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.process_create(
            actor=official, organization=body, territory=district, title="X", budget=10, **dates
        )


def test_it_changes_the_rule_before_voting(official, body, district):
    process = _process(body, district, phase="review")
    services.process_update(actor=official, process=process, rule="greedy", budget=2000)
    process.refresh_from_db()
    assert (process.rule, process.budget) == ("greedy", 2000)


def test_it_refuses_and_audits_a_change_after_voting_opened(official, body, district):
    """RELIABILITY A6: the refused change is rolled back, the refusal is recorded."""
    process = _process(body, district, phase="voting", budget=1000)
    with pytest.raises(ValidationError) as error:
        services.process_update(actor=official, process=process, budget=5000, title="Renamed")
    assert error.value.code == "locked"
    process.refresh_from_db()
    assert (process.budget, process.title) != (5000, "Renamed")
    refused = _events("budgeting.process.change_refused").get(subject_id=str(process.pk))
    assert refused.data == {"fields": ["budget"]}
    assert not _events("budgeting.process.updated").exists()


def test_it_allows_a_title_change_after_voting_opened(official, body, district):
    process = _process(body, district, phase="voting")
    services.process_update(actor=official, process=process, title="Clearer title", budget=process.budget)
    process.refresh_from_db()
    assert process.title == "Clearer title"


def test_it_refuses_a_change_to_a_stranger(charlie, body, district):
    process = _process(body, district, phase="review")
    with pytest.raises(PermissionDenied):
        services.process_update(actor=charlie, process=process, budget=5)


# --- proposals ------------------------------------------------------------------------------------


def _submit(process, author, cost=300, **kwargs):
    return services.proposal_submit(
        actor=author,
        process=process,
        title="Benches in the park",
        description="Ten benches along the alley.",
        estimated_cost=cost,
        **kwargs,
    )


def test_it_submits_a_proposal_and_opens_a_review_obligation(alice, body, district):
    process = _process(body, district, phase="proposals")
    proposal = _submit(process, alice)
    obligation = Obligation.objects.for_subject(proposal).get()
    assert (obligation.kind, obligation.organization, obligation.author) == (Kind.BUDGET_REVIEW, body, alice)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert _events("budgeting.proposal.submitted").filter(subject_id=str(proposal.pk)).exists()


@pytest.mark.parametrize("phase", ["draft", "review", "voting", "counting"])
def test_it_refuses_a_proposal_outside_the_call(alice, body, district, phase):
    process = _process(body, district, phase=phase)
    with pytest.raises(ValidationError) as error:
        _submit(process, alice)
    assert error.value.code == "phase"


def test_it_refuses_a_proposal_costing_more_than_the_budget(alice, body, district):
    process = _process(body, district, phase="proposals", budget=1000)
    with pytest.raises(ValidationError):
        _submit(process, alice, cost=1001)
    assert not Proposal.objects.exists()


def test_it_refuses_an_image_that_is_not_an_image(alice, body, district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    process = _process(body, district, phase="proposals")
    text = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    with pytest.raises(ValidationError):
        _submit(process, alice, images=[(text, "Notes")])


def test_it_withdraws_a_proposal_and_its_obligation(alice, body, district):
    process = _process(body, district, phase="proposals")
    proposal = _submit(process, alice)
    services.proposal_withdraw(actor=alice, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert Obligation.objects.for_subject(proposal).get().state == Obligation.State.WITHDRAWN


def test_it_refuses_withdrawal_by_someone_else(alice, charlie, body, district):
    proposal = _submit(_process(body, district, phase="proposals"), alice)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=charlie, proposal=proposal)


def test_it_counts_support_once_and_takes_it_back(alice, charlie, body, district):
    proposal = _submit(_process(body, district, phase="proposals"), alice)
    first = services.proposal_support(actor=charlie, proposal=proposal)
    again = services.proposal_support(actor=charlie, proposal=proposal)
    assert first.pk == again.pk and Support.objects.count() == 1
    services.proposal_unsupport(actor=charlie, proposal=proposal)
    assert not Support.objects.exists()


def test_it_refuses_support_once_voting_opened(charlie, body, district):
    (proposal,) = _on_ballot(_process(body, district, phase="voting"), 100)
    with pytest.raises(ValidationError):
        services.proposal_support(actor=charlie, proposal=proposal)


def test_it_merges_a_duplicate_with_reasons(alice, charlie, official, body, district):
    process = _process(body, district, phase="proposals")
    original, duplicate = _submit(process, alice), _submit(process, charlie)
    services.proposal_support(actor=alice, proposal=duplicate)
    with pytest.raises(ValidationError):
        services.proposal_merge(actor=official, proposal=duplicate, into=original, reason="Same")
    services.proposal_merge(actor=official, proposal=duplicate, into=original, reason=REASONS)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Proposal.Status.MERGED, original)
    assert Support.objects.filter(proposal=original, user=alice).exists()
    assert Obligation.objects.for_subject(duplicate).get().response.decision == Response.Decision.EXPLAINED


def test_it_refuses_a_merge_across_processes(alice, official, body, district):
    one = _submit(_process(body, district, phase="proposals"), alice)
    other = _submit(_process(body, district, phase="proposals"), alice)
    with pytest.raises(ValidationError):
        services.proposal_merge(actor=official, proposal=one, into=other, reason=REASONS)


def test_it_approves_a_proposal_with_an_official_cost(alice, official, body, district):
    proposal = _submit(_process(body, district, phase="proposals"), alice, cost=300)
    services.proposal_review(
        actor=official, proposal=proposal, approved=True, reasons=REASONS, official_cost=350
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.cost) == (Proposal.Status.ON_BALLOT, 350)
    response = Obligation.objects.for_subject(proposal).get().response
    assert (response.decision, response.reasons) == (Response.Decision.ACCEPTED, REASONS)


def test_it_rejects_a_proposal_with_reasons_the_author_can_contest(alice, official, body, district):
    proposal = _submit(_process(body, district, phase="proposals"), alice)
    services.proposal_review(actor=official, proposal=proposal, approved=False, reasons=REASONS)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    response = Obligation.objects.for_subject(proposal).get().response
    assert alice.has_perm("obligations.contest_response", response)


def test_it_refuses_a_trivial_review(alice, official, body, district):
    proposal = _submit(_process(body, district, phase="proposals"), alice)
    with pytest.raises(ValidationError):
        services.proposal_review(actor=official, proposal=proposal, approved=False, reasons="No.")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_it_refuses_review_by_an_outsider(alice, charlie, body, district):
    proposal = _submit(_process(body, district, phase="proposals"), alice)
    with pytest.raises(PermissionDenied):
        services.proposal_review(actor=charlie, proposal=proposal, approved=True, reasons=REASONS)


def test_it_moves_submitted_proposals_to_review_once(alice, body, district):
    process = _process(body, district, phase="proposals")
    proposal = _submit(process, alice)
    with time_machine.travel(process.proposals_close + datetime.timedelta(hours=1)):
        assert services.proposals_start_review() == 1
        assert services.proposals_start_review() == 0
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.UNDER_REVIEW


# --- eligibility and ballots ----------------------------------------------------------------------


def test_it_lets_a_resident_of_the_subtree_vote(make_voter, body, district):
    process = _process(body, district)
    a, b = _on_ballot(process, 300, 400)
    voter = make_voter()
    ballot = services.ballot_cast(actor=voter, process=process, choices=[a.pk, b.pk])
    assert set(ballot.choices.values_list("proposal_id", flat=True)) == {a.pk, b.pk}


def test_it_refuses_a_voter_outside_the_territory(make_voter, elsewhere, body, district):
    process = _process(body, district)
    (a,) = _on_ballot(process, 300)
    for voter in (make_voter(home_territory=elsewhere), make_voter(home_territory=None)):
        with pytest.raises(ValidationError) as error:
            services.ballot_cast(actor=voter, process=process, choices=[a.pk])
        assert error.value.code == "not_eligible"
        assert "home territory" in error.value.messages[0]
    assert not Ballot.objects.exists()


def test_it_lets_anyone_vote_when_not_residents_only(make_voter, elsewhere, body, district):
    process = _process(body, district, residents_only=False)
    assert voter_eligibility(voter=make_voter(home_territory=elsewhere), process=process).eligible


def test_it_refuses_an_unverified_voter(make_voter, body, district):
    process = _process(body, district, min_verification_level=2)
    eligibility = voter_eligibility(voter=make_voter(verification_level=1), process=process)
    assert not eligibility.eligible and "verification" in eligibility.reason
    assert voter_eligibility(voter=make_voter(verification_level=2), process=process).eligible


def _born(user, year):
    Demographics.objects.create(
        user=user, birth_year=year, consent_given_at=timezone.now(), consent_version="1"
    )
    return user


def test_it_checks_the_minimum_age(make_voter, body, district):
    process = _process(body, district, min_age=16)
    year = timezone.localtime(process.voting_close).year
    unknown = voter_eligibility(voter=make_voter(), process=process)
    assert not unknown.eligible and "year of birth" in unknown.reason
    assert not voter_eligibility(voter=_born(make_voter(), year - 15), process=process).eligible
    assert voter_eligibility(voter=_born(make_voter(), year - 16), process=process).eligible


def test_it_refuses_anonymous_voters(body, district):
    from django.contrib.auth.models import AnonymousUser

    process = _process(body, district)
    assert not voter_eligibility(voter=AnonymousUser(), process=process).eligible
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=AnonymousUser(), process=process, choices=[])


@pytest.mark.parametrize("phase", ["proposals", "review", "counting", "results"])
def test_it_refuses_ballots_outside_voting(make_voter, body, district, phase):
    process = _process(body, district, phase=phase)
    (a,) = _on_ballot(process, 100)
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(actor=make_voter(), process=process, choices=[a.pk])
    assert error.value.code == "phase"


def test_it_refuses_an_approval_ballot_over_budget(make_voter, body, district):
    """RELIABILITY L4: no ballot over budget."""
    process = _process(body, district, budget=1000)
    a, b, c = _on_ballot(process, 400, 500, 200)
    voter = make_voter()
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(actor=voter, process=process, choices=[a.pk, b.pk, c.pk])
    assert error.value.code == "over_budget"
    services.ballot_cast(actor=voter, process=process, choices=[a.pk, b.pk])
    assert BallotChoice.objects.count() == 2


def test_it_refuses_projects_not_on_the_ballot(make_voter, body, district):
    process = _process(body, district)
    (a,) = _on_ballot(process, 100)
    rejected = ProposalFactory(process=process, status=Proposal.Status.REJECTED)
    (other,) = _on_ballot(_process(body, district), 100)
    for choices in ([a.pk, rejected.pk], [other.pk], [a.pk, a.pk]):
        with pytest.raises(ValidationError):
            services.ballot_cast(actor=make_voter(), process=process, choices=choices)


def test_it_enforces_the_number_of_choices(make_voter, body, district):
    process = _process(body, district, min_choices=2, max_choices=2, budget=10_000)
    a, b, c = _on_ballot(process, 100, 100, 100)
    for choices, code in (([a.pk], "too_few"), ([a.pk, b.pk, c.pk], "too_many")):
        with pytest.raises(ValidationError) as error:
            services.ballot_cast(actor=make_voter(), process=process, choices=choices)
        assert error.value.code == code


def test_it_checks_cumulative_points(make_voter, body, district):
    process = _process(body, district, ballot_type="cumulative", rule="greedy", max_points=10)
    a, b = _on_ballot(process, 100, 100)
    voter = make_voter()
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(actor=voter, process=process, choices={a.pk: 6, b.pk: 5})
    assert error.value.code == "too_many_points"
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=voter, process=process, choices=[a.pk])
    services.ballot_cast(actor=voter, process=process, choices={a.pk: 6, b.pk: 4})
    assert dict(BallotChoice.objects.values_list("proposal_id", "points")) == {a.pk: 6, b.pk: 4}


def test_it_stores_an_ordinal_ranking(make_voter, body, district):
    process = _process(body, district, ballot_type="ordinal", rule="greedy")
    a, b, c = _on_ballot(process, 100, 100, 100)
    services.ballot_cast(actor=make_voter(), process=process, choices=[c.pk, a.pk, b.pk])
    assert list(BallotChoice.objects.order_by("rank").values_list("proposal_id", flat=True)) == [
        c.pk,
        a.pk,
        b.pk,
    ]


def test_it_replaces_a_ballot_and_keeps_one_per_voter(make_voter, body, district):
    process = _process(body, district)
    a, b = _on_ballot(process, 100, 100)
    voter = make_voter()
    first = services.ballot_cast(actor=voter, process=process, choices=[a.pk])
    second = services.ballot_cast(actor=voter, process=process, choices=[b.pk])
    assert first.pk == second.pk and Ballot.objects.count() == 1
    assert list(
        services.ballot_for(voter=voter, process=process).choices.values_list("proposal_id", flat=True)
    ) == [b.pk]
    assert _events("budgeting.ballot.replaced").count() == 1


def test_it_has_a_database_guard_against_a_second_ballot(make_voter, body, district):
    process = _process(body, district)
    voter = make_voter()
    Ballot.objects.create(process=process, voter=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(process=process, voter=voter)


def test_it_keeps_the_choices_out_of_the_audit_trail(make_voter, body, district):
    process = _process(body, district)
    (a,) = _on_ballot(process, 100)
    voter = make_voter()
    ballot = services.ballot_cast(actor=voter, process=process, choices=[a.pk])
    event = _events("budgeting.ballot.cast").get()
    assert event.data == {"process": process.pk}
    assert event.subject_type.model == "process" and event.subject_id == str(process.pk)
    assert ballot.pk and event.before is None and event.after is None


# --- counting, publication, Pabulib ----------------------------------------------------------------


def _voted(process, make_voter, ballots):
    for choices in ballots:
        cast(process, make_voter(), choices)


def test_it_counts_as_the_engine_solves(make_voter, body, district):
    from kenes.budgeting.counting import build_election
    from kenes.engines.pb import solve

    process = _process(body, district, phase="counting", budget=1000)
    a, b, c, d = _on_ballot(process, 600, 400, 300, 500)
    _voted(process, make_voter, [[a, b], [a], [b, c], [c], [d], [a, c], [b]])
    expected = solve(build_election(process), process.rule)
    result = services.process_count(actor=UserFactory(is_staff=True), process=process)
    lines = {line.proposal_id: line for line in result.lines.all()}
    assert tuple(
        str(pk) for pk, line in sorted(lines.items(), key=lambda i: i[1].position or 99) if line.funded
    ) == (expected.selected)
    assert result.ballots_counted == 7 and result.total_cost == expected.total_cost
    assert lines[a.pk].votes == 3 and lines[d.pk].votes == 1
    assert all(line.reason == expected.explanations[str(pk)].reason for pk, line in lines.items())
    funded = set(Proposal.objects.filter(status=Proposal.Status.FUNDED).values_list("pk", flat=True))
    assert {str(pk) for pk in funded} == set(expected.selected)
    assert Proposal.objects.filter(status=Proposal.Status.NOT_FUNDED).count() == 4 - len(funded)
    process.refresh_from_db()
    assert process.counted_at is not None


def test_it_refuses_to_count_twice_or_too_early(official, make_voter, body, district):
    early = _process(body, district, phase="voting")
    with pytest.raises(ValidationError):
        services.process_count(actor=official, process=early)
    process = _process(body, district, phase="counting")
    _on_ballot(process, 100)
    services.process_count(actor=official, process=process)
    with pytest.raises(ValidationError) as error:
        services.process_count(actor=official, process=process)
    assert error.value.code == "counted"


def test_it_refuses_counting_to_an_outsider(charlie, body, district):
    with pytest.raises(PermissionDenied):
        services.process_count(actor=charlie, process=_process(body, district, phase="counting"))


def test_it_builds_the_election_in_constant_queries(make_voter, body, district, django_assert_num_queries):
    from kenes.budgeting.counting import build_election

    process = _process(body, district, phase="counting")
    proposals = _on_ballot(process, 100, 200, 300)
    _voted(process, make_voter, [proposals[: i % 3 + 1] for i in range(12)])
    process = Process.objects.select_related("territory").get(pk=process.pk)
    with django_assert_num_queries(3):
        election = build_election(process)
    assert election.voter_count == 12 and len(election.projects) == 3


def test_it_runs_from_proposal_to_commitment(alice, charlie, official, make_voter, body, district):
    """The whole process, moving through the phases with time-machine."""
    with time_machine.travel(START + datetime.timedelta(hours=1)):
        process = services.process_create(
            actor=official,
            organization=body,
            territory=district,
            title="People's budget",
            budget=1000,
            **_dates(),
        )
        benches = _submit(process, alice, cost=600)
        lights = _submit(process, charlie, cost=500)
        services.proposal_support(actor=charlie, proposal=benches)
    with time_machine.travel(START + datetime.timedelta(days=12)):
        services.proposal_review(actor=official, proposal=benches, approved=True, reasons=REASONS)
        services.proposal_review(actor=official, proposal=lights, approved=True, reasons=REASONS)
    with time_machine.travel(START + datetime.timedelta(days=22)):
        for choices in ([benches.pk], [benches.pk], [lights.pk]):
            services.ballot_cast(actor=make_voter(), process=process, choices=choices)
    with time_machine.travel(START + datetime.timedelta(days=31)):
        services.process_count(actor=official, process=process)
        services.results_publish(actor=official, process=process)
        with pytest.raises(ValidationError):
            services.results_publish(actor=official, process=process)
    benches.refresh_from_db()
    lights.refresh_from_db()
    assert (benches.status, lights.status) == (Proposal.Status.FUNDED, Proposal.Status.NOT_FUNDED)
    commitment = Commitment.objects.get()
    assert commitment.response.obligation.subject_id == str(benches.pk) and commitment.title == benches.title
    funded_notices = Notification.objects.filter(event="budgeting.proposal_funded")
    assert set(funded_notices.values_list("recipient_id", flat=True)) == {alice.pk, charlie.pk}
    assert Notification.objects.filter(event="budgeting.proposal_not_funded", recipient=charlie).exists()


def test_it_publishes_as_staff_with_the_reviewer_committing(alice, official, body, district):
    staff = UserFactory(is_staff=True)
    process = _process(body, district, phase="proposals")
    proposal = _submit(process, alice, cost=100)
    services.proposal_review(actor=official, proposal=proposal, approved=True, reasons=REASONS)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.FUNDED)
    Process.objects.filter(pk=process.pk).update(counted_at=timezone.now())
    process.refresh_from_db()
    services.results_publish(actor=staff, process=process)
    assert Commitment.objects.get().created_by == official


def test_it_refuses_to_publish_before_counting(official, body, district):
    with pytest.raises(ValidationError):
        services.results_publish(actor=official, process=_process(body, district, phase="counting"))


def test_it_exports_anonymised_ballots_that_round_trip(make_voter, body, district):
    from kenes.engines.pb import loads

    process = _process(body, district, phase="counting")
    a, b = _on_ballot(process, 100, 200)
    voters = [make_voter() for _ in range(4)]
    ballots = [cast(process, v, c) for v, c in zip(voters, [[a], [a, b], [b], [a]], strict=True)]
    text = services.pabulib_export(process=process)
    election = loads(text)
    assert sorted(v.voter_id for v in election.votes) == ["1", "2", "3", "4"]
    assert sorted(v.projects for v in election.votes) == sorted(
        [(str(a.pk),), (str(a.pk), str(b.pk)), (str(b.pk),), (str(a.pk),)]
    )
    assert election.budget == process.budget and election.projects[str(b.pk)].cost == 200
    for person in voters:
        assert person.email not in text
    assert "voter_id;vote\n" in text and len(ballots) == 4


def test_it_refuses_export_before_voting_closes(body, district):
    with pytest.raises(ValidationError):
        services.pabulib_export(process=_process(body, district, phase="voting"))


TINY_PB = """META
key;value
description;Tiny
num_projects;3
num_votes;4
budget;100
vote_type;approval
PROJECTS
project_id;cost;votes;selected
1;60;3;1
2;50;2;0
3;40;2;1
VOTES
voter_id;vote
1;1,2
2;1,3
3;1
4;2,3
"""


def test_it_compares_every_rule_with_the_official_outcome(db):
    from kenes.engines.pb import RULES, loads, solve

    comparisons = {c.rule: c for c in services.pabulib_compare(text=TINY_PB)}
    assert set(comparisons) == set(RULES)
    for rule, comparison in comparisons.items():
        selected = solve(loads(TINY_PB), rule).selected
        assert comparison.selected == selected
        assert comparison.matches == (set(selected) == {"1", "3"})
        assert set(comparison.missing) == {"1", "3"} - set(selected)


def test_it_names_the_line_of_a_broken_file(db):
    with pytest.raises(ValidationError) as error:
        services.pabulib_compare(text=TINY_PB.replace("1;60;3;1", "1;sixty;3;1"))
    assert "line 10" in error.value.messages[0]


# --- personal data ---------------------------------------------------------------------------------


def test_it_exports_and_erases_a_persons_budgeting_data(alice, make_voter, body, district):
    from kenes.accounts.exports import erasers, exporters

    process = _process(body, district)
    (a,) = _on_ballot(process, 100)
    voter = make_voter()
    services.ballot_cast(actor=voter, process=process, choices=[a.pk])
    data = exporters()["budgeting"](voter)
    assert data["ballots"] == [
        {
            "process": process.pk,
            "cast_at": data["ballots"][0]["cast_at"],
            "choices": [{"proposal": a.pk, "points": 1, "rank": None}],
        }
    ]
    for erase in erasers():
        if erase.__module__ == "kenes.budgeting.exports":
            erase(voter)
    assert not Ballot.objects.filter(voter=voter).exists()
