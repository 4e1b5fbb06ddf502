"""The budgeting pages over HTTP: status, permissions (403/404), forms keeping input, the server-side
budget bar (check vs cast), and pinned query counts on the list, detail, vote and results pages."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kenes.budgeting import services
from kenes.budgeting.models import Ballot, Process, Proposal, ProposalImage, Support
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory, cast
from kenes.obligations.models import Kind, Obligation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64

pytestmark = pytest.mark.django_db
REASONS = "The site was inspected and the cost estimate is realistic for this kind of work."


def on_ballot(process, n=1, cost=300, **kwargs):
    return [
        ProposalFactory(process=process, status=Proposal.Status.ON_BALLOT, official_cost=cost, **kwargs)
        for _ in range(n)
    ]


@pytest.fixture
def voting(body):
    return ProcessFactory(phase="voting", organization=body, territory=body.territory, budget=1000)


@pytest.fixture
def voter(client, make_voter):
    user = make_voter(email="voter@example.org")
    client.force_login(user)
    return user


# --- list -------------------------------------------------------------------------------------


def test_it_lists_processes_with_phase_budget_and_sample_badge(client, body):
    ProcessFactory(phase="voting", organization=body, title="Voting one", budget=2_500_000, is_sample=True)
    ProcessFactory(phase="proposals", organization=body, title="Proposing one")
    response = client.get(reverse("budgeting:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voting one" in html and "Proposing one" in html
    assert "badge-sample" in html
    assert 'data-phase="voting"' in html
    assert "2,500,000" in html or "2 500 000" in html or "2\xa0500\xa0000" in html


def test_it_filters_processes_by_phase_and_territory(client, body, elsewhere):
    ProcessFactory(phase="voting", organization=body, title="Voting one")
    ProcessFactory(phase="proposals", organization=body, title="Proposing one")
    ProcessFactory(phase="voting", territory=elsewhere, title="Far away")
    html = client.get(reverse("budgeting:list"), {"phase": "voting"}).content.decode()
    assert "Voting one" in html and "Proposing one" not in html and "Far away" in html
    html = client.get(reverse("budgeting:list"), {"territory": body.territory.code}).content.decode()
    assert "Voting one" in html and "Far away" not in html


def test_it_shows_an_empty_state(client, db):
    response = client.get(reverse("budgeting:list"), {"phase": "results"})
    assert "No participatory-budget process matches these filters." in response.content.decode()


def test_it_paginates_the_list_in_a_fixed_number_of_queries(client, body, django_assert_max_num_queries):
    ProcessFactory.create_batch(3, organization=body)
    with django_assert_max_num_queries(4):
        client.get(reverse("budgeting:list"))
    ProcessFactory.create_batch(12, organization=body)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("budgeting:list"), {"per_page": 10})
    assert response.context["page"].paginator.num_pages == 2


# --- detail -----------------------------------------------------------------------------------


def test_it_shows_the_timeline_rule_eligibility_and_proposals(client, voting):
    funded = on_ballot(voting, cost=420)[0]
    ProposalFactory(process=voting, status=Proposal.Status.REJECTED, title="Rejected idea")
    voting.residents_only = True
    voting.save()
    html = client.get(reverse("budgeting:detail", args=[voting.pk])).content.decode()
    assert re.search(r'<li data-phase="voting" aria-current="step"', html)
    assert html.count('aria-current="step"') == 1
    assert "Equal Shares" in html
    assert f"You must live in {voting.territory.name}" in html
    assert funded.title in html and "420" in html
    assert "Rejected idea" in html and "Not feasible" in html
    assert reverse("budgeting:vote", args=[voting.pk]) in html
    assert reverse("budgeting:propose", args=[voting.pk]) not in html


def test_it_offers_to_propose_only_in_the_proposals_phase(client, body):
    process = ProcessFactory(phase="proposals", organization=body)
    html = client.get(reverse("budgeting:detail", args=[process.pk])).content.decode()
    assert reverse("budgeting:propose", args=[process.pk]) in html
    assert reverse("budgeting:vote", args=[process.pk]) not in html


def test_it_answers_404_for_a_missing_process(client, db):
    assert client.get(reverse("budgeting:detail", args=[999])).status_code == 404


def test_the_detail_page_does_not_grow_with_proposals(client, voting, django_assert_max_num_queries):
    on_ballot(voting, n=2)
    with django_assert_max_num_queries(6):
        client.get(reverse("budgeting:detail", args=[voting.pk]))
    on_ballot(voting, n=10)
    ProposalFactory.create_batch(5, process=voting)
    with django_assert_max_num_queries(6):
        client.get(reverse("budgeting:detail", args=[voting.pk]))


# --- propose ----------------------------------------------------------------------------------


@pytest.fixture
def proposing(body):
    return ProcessFactory(phase="proposals", organization=body, territory=body.territory, budget=10_000)


def test_it_sends_anonymous_people_to_log_in(client, proposing):
    response = client.get(reverse("budgeting:propose", args=[proposing.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_submits_a_proposal_with_an_image_and_opens_the_review(
    client, proposing, alice, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    data = {
        "title": "Benches in the park",
        "description": "Ten benches along the lake.",
        "estimated_cost": "900",
        "category": "Parks",
        "latitude": "51.128207",
        "longitude": "71.430411",
        "image_1": SimpleUploadedFile("../../Lake View.PNG", PNG, content_type="image/png"),
        "image_1_description": "The lake shore without benches",
    }
    response = client.post(reverse("budgeting:propose", args=[proposing.pk]), data)
    proposal = Proposal.objects.get(title="Benches in the park")
    assert response.status_code == 302
    assert response["Location"] == reverse("budgeting:proposal", args=[proposal.pk])
    image = ProposalImage.objects.get(proposal=proposal)
    assert image.file.name.endswith("lake-view.png")
    assert Obligation.objects.for_subject(proposal).filter(kind=Kind.BUDGET_REVIEW).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'alt="The lake shore without benches"' in page
    assert reverse("obligations:detail", args=[Obligation.objects.for_subject(proposal).get().pk]) in page
    image_response = client.get(reverse("budgeting:image", args=[proposal.pk, image.pk]))
    assert image_response.status_code == 200 and b"".join(image_response.streaming_content) == PNG


def test_it_refuses_an_image_that_is_not_png_or_jpeg_and_keeps_the_input(client, proposing, alice):
    client.force_login(alice)
    data = {
        "title": "Benches in the park",
        "description": "Ten benches.",
        "estimated_cost": "900",
        "image_1": SimpleUploadedFile("photo.png", b"GIF89a" + b"\x00" * 20, content_type="image/png"),
        "image_1_description": "A photo",
    }
    response = client.post(reverse("budgeting:propose", args=[proposing.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only PNG and JPEG images can be uploaded." in html
    assert 'value="Benches in the park"' in html
    assert 'href="#id_image_1"' in html  # the error summary links to the field
    assert not Proposal.objects.exists()


def test_it_requires_a_description_for_each_image(client, proposing, alice):
    client.force_login(alice)
    data = {
        "title": "Benches",
        "description": "Ten benches.",
        "estimated_cost": "900",
        "image_2": SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg"),
    }
    response = client.post(reverse("budgeting:propose", args=[proposing.pk]), data)
    assert response.status_code == 400
    assert "Describe the image for people who cannot see it." in response.content.decode()


def test_it_refuses_an_image_over_5_mb(client, proposing, alice):
    client.force_login(alice)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    data = {
        "title": "B",
        "description": "D",
        "estimated_cost": "9",
        "image_1": big,
        "image_1_description": "x",
    }
    response = client.post(reverse("budgeting:propose", args=[proposing.pk]), data)
    assert "The image is larger than 5 MB." in response.content.decode()


def test_it_shows_the_services_refusal_outside_the_proposals_phase(client, voting, alice):
    client.force_login(alice)
    data = {"title": "Late idea", "description": "Too late.", "estimated_cost": "10"}
    response = client.post(reverse("budgeting:propose", args=[voting.pk]), data)
    assert response.status_code == 400
    assert 'value="Late idea"' in response.content.decode()
    assert not Proposal.objects.exists()


# --- proposal, support, merge -----------------------------------------------------------------


def test_it_supports_and_unsupports_a_proposal(client, proposing, charlie):
    proposal = ProposalFactory(process=proposing)
    client.force_login(charlie)
    url = reverse("budgeting:support", args=[proposal.pk])
    assert client.post(url, {"action": "support"}).status_code == 302
    assert Support.objects.filter(proposal=proposal, user=charlie).exists()
    html = client.get(reverse("budgeting:proposal", args=[proposal.pk])).content.decode()
    assert 'data-supporters="1"' in html and "Withdraw my support" in html
    client.post(url, {"action": "unsupport"})
    assert not Support.objects.filter(proposal=proposal).exists()


def test_support_needs_a_post_and_a_login(client, proposing):
    proposal = ProposalFactory(process=proposing)
    url = reverse("budgeting:support", args=[proposal.pk])
    assert client.post(url).status_code == 302  # to the login page
    assert not Support.objects.exists()
    client.force_login(proposal.author)
    assert client.get(url).status_code == 405


def test_a_hidden_proposal_is_404_to_the_public(client, proposing, charlie):
    proposal = ProposalFactory(process=proposing, is_hidden=True)
    client.force_login(charlie)
    assert client.get(reverse("budgeting:proposal", args=[proposal.pk])).status_code == 404


def test_an_official_merges_a_duplicate_with_reasons(client, proposing, official):
    original = ProposalFactory(process=proposing, title="Playground")
    duplicate = ProposalFactory(process=proposing, title="Playground again")
    client.force_login(official)
    url = reverse("budgeting:merge", args=[duplicate.pk])
    response = client.post(url, {"into": original.pk, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"into": original.pk, "reason": REASONS})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Proposal.Status.MERGED and duplicate.merged_into == original
    html = client.get(reverse("budgeting:proposal", args=[duplicate.pk])).content.decode()
    assert reverse("budgeting:proposal", args=[original.pk]) in html


def test_a_resident_cannot_merge(client, proposing, charlie):
    a, b = ProposalFactory(process=proposing), ProposalFactory(process=proposing)
    client.force_login(charlie)
    response = client.post(reverse("budgeting:merge", args=[b.pk]), {"into": a.pk, "reason": "x"})
    assert response.status_code == 403


# --- review -----------------------------------------------------------------------------------


def _submit(process, author, **kwargs):
    return services.proposal_submit(
        actor=author,
        process=process,
        title=kwargs.get("title", "Lights"),
        description="LED lights.",
        estimated_cost=kwargs.get("cost", 500),
    )


def test_an_official_approves_a_proposal_with_an_official_cost(client, proposing, official, alice):
    proposal = _submit(proposing, alice)
    client.force_login(official)
    url = reverse("budgeting:review", args=[proposing.pk])
    html = client.get(url).content.decode()
    assert f'data-proposal="{proposal.pk}"' in html
    data = {"proposal": proposal.pk, "decision": "approve", "official_cost": "650", "reasons": REASONS}
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ON_BALLOT and proposal.official_cost == 650


def test_a_review_without_reasons_is_refused_and_keeps_the_input(client, proposing, official, alice):
    proposal = _submit(proposing, alice)
    client.force_login(official)
    data = {"proposal": proposal.pk, "decision": "reject", "official_cost": "777", "reasons": ""}
    response = client.post(reverse("budgeting:review", args=[proposing.pk]), data)
    assert response.status_code == 400
    assert 'value="777"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_the_review_page_is_for_officials_only(client, proposing, charlie):
    client.force_login(charlie)
    assert client.get(reverse("budgeting:review", args=[proposing.pk])).status_code == 403


# --- vote -------------------------------------------------------------------------------------


def test_the_ballot_lists_proposals_with_costs_and_an_empty_budget_bar(client, voting, voter):
    projects = on_ballot(voting, n=2, cost=300)
    html = client.get(reverse("budgeting:vote", args=[voting.pk])).content.decode()
    for project in projects:
        assert f'value="{project.pk}"' in html
        assert '<label for="id_projects_' in html
    assert '<meter id="budget-meter"' in html and 'value="0"' in html
    assert "0 of 1,000 KZT used" in " ".join(html.split())


def test_check_my_choices_shows_the_total_without_saving(client, voting, voter):
    a, b, c = on_ballot(voting, n=3, cost=400)
    url = reverse("budgeting:vote", args=[voting.pk])
    response = client.post(url, {"projects": [a.pk, b.pk], "check": "1"})
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "800 of 1,000 KZT used" in text
    assert not Ballot.objects.exists()
    response = client.post(url, {"projects": [a.pk, b.pk, c.pk], "check": "1"})
    assert response.status_code == 400
    text = " ".join(response.content.decode().split())
    assert "1,200 of 1,000 KZT used" in text and "over the budget" in text
    assert "cost more than the budget" in text
    assert f'value="{c.pk}" id="id_projects_2" data-cost="400" checked' in text  # the choices are kept
    assert not Ballot.objects.exists()


def test_cast_my_ballot_saves_it_and_shows_it_back(client, voting, voter):
    a, b = on_ballot(voting, n=2, cost=400)
    url = reverse("budgeting:vote", args=[voting.pk])
    response = client.post(url, {"projects": [a.pk], "cast": "1"})
    assert response.status_code == 302
    ballot = Ballot.objects.get(process=voting, voter=voter)
    assert [c.proposal_id for c in ballot.choices.all()] == [a.pk]
    html = client.get(url).content.decode()
    assert "data-has-ballot" in html
    assert f'value="{a.pk}" id="id_projects_0" data-cost="400" checked' in html
    client.post(url, {"projects": [b.pk], "cast": "1"})  # changing the ballot replaces it
    assert [c.proposal_id for c in Ballot.objects.get().choices.all()] == [b.pk]


def test_an_over_budget_ballot_is_not_cast(client, voting, voter):
    a, b, c = on_ballot(voting, n=3, cost=400)
    response = client.post(
        reverse("budgeting:vote", args=[voting.pk]), {"projects": [a.pk, b.pk, c.pk], "cast": "1"}
    )
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not Ballot.objects.exists()


def test_an_ineligible_person_sees_why_instead_of_the_ballot(client, voting, make_voter, elsewhere):
    voting.residents_only = True
    voting.save()
    on_ballot(voting)
    client.force_login(make_voter(email="far@example.org", home_territory=elsewhere))
    html = client.get(reverse("budgeting:vote", args=[voting.pk])).content.decode()
    assert "data-ineligible" in html and "Only residents of" in html
    assert "Cast my ballot" not in html


def test_the_vote_page_asks_anonymous_people_to_log_in(client, voting):
    html = client.get(reverse("budgeting:vote", args=[voting.pk])).content.decode()
    assert "Log in to vote" in html and "Cast my ballot" not in html


def test_the_ballot_page_does_not_grow_with_proposals(client, voting, voter, django_assert_max_num_queries):
    on_ballot(voting, n=2, cost=10)
    with django_assert_max_num_queries(12):
        client.get(reverse("budgeting:vote", args=[voting.pk]))
    projects = on_ballot(voting, n=15, cost=10)
    cast(voting, voter, projects[:5])
    with django_assert_max_num_queries(12):
        client.get(reverse("budgeting:vote", args=[voting.pk]))


def test_a_cumulative_ballot_counts_points_on_the_server(client, body, voter):
    process = ProcessFactory(
        phase="voting", organization=body, ballot_type=Process.BallotType.CUMULATIVE, max_points=10
    )
    a, b = on_ballot(process, n=2, cost=100)
    url = reverse("budgeting:vote", args=[process.pk])
    response = client.post(url, {f"points_{a.pk}": "7", f"points_{b.pk}": "6", "check": "1"})
    assert response.status_code == 400
    assert "You gave 13 points but have only 10." in response.content.decode()
    response = client.post(url, {f"points_{a.pk}": "7", f"points_{b.pk}": "3", "cast": "1"})
    assert response.status_code == 302
    points = {c.proposal_id: c.points for c in Ballot.objects.get().choices.all()}
    assert points == {a.pk: 7, b.pk: 3}


def test_an_ordinal_ballot_ranks_with_one_select_per_position(client, body, voter):
    process = ProcessFactory(phase="voting", organization=body, ballot_type=Process.BallotType.ORDINAL)
    a, b = on_ballot(process, n=2, cost=100)
    url = reverse("budgeting:vote", args=[process.pk])
    html = client.get(url).content.decode()
    assert '<label for="id_rank_1">' in html and '<label for="id_rank_2">' in html
    response = client.post(url, {"rank_1": a.pk, "rank_2": a.pk, "cast": "1"})
    assert (
        response.status_code == 400 and "Each project can be ranked only once." in response.content.decode()
    )
    assert client.post(url, {"rank_1": b.pk, "rank_2": a.pk, "cast": "1"}).status_code == 302
    ranks = {c.proposal_id: c.rank for c in Ballot.objects.get().choices.all()}
    assert ranks == {b.pk: 1, a.pk: 2}


# --- results ----------------------------------------------------------------------------------


def move_to(process, phase):
    """Test setup: give the process the dates of another phase (as ProcessFactory would)."""
    dates = ProcessFactory.build(phase=phase)
    fields = ["proposals_open", "proposals_close", "review_close", "voting_open", "voting_close"]
    Process.objects.filter(pk=process.pk).update(**{name: getattr(dates, name) for name in fields})
    process.refresh_from_db()
    return process


@pytest.fixture
def counted(body, make_voter, official, alice):
    """Three projects proposed and approved through the services, four ballots, voting closed."""
    process = ProcessFactory(phase="proposals", organization=body, budget=1000, rule=Process.Rule.GREEDY)
    projects = []
    for title, cost in (("Park", 600), ("Road", 500), ("Fountain", 300)):
        proposal = _submit(process, alice, title=title, cost=cost)
        projects.append(
            services.proposal_review(actor=official, proposal=proposal, approved=True, reasons=REASONS)
        )
    park, road, fountain = projects
    move_to(process, "counting")
    for n, choices in enumerate([[park, road], [park], [road, fountain], [park, fountain]]):
        cast(process, make_voter(email=f"v{n}@example.org"), choices)
    return process, park, road, fountain


def test_officials_count_and_publish_and_everyone_sees_the_explanation(client, counted, official, charlie):
    process, park, road, fountain = counted
    results_url = reverse("budgeting:results", args=[process.pk])
    client.force_login(charlie)
    html = client.get(results_url).content.decode()
    assert "The results are not published yet." in html and "Count the votes" not in html
    assert client.post(reverse("budgeting:count", args=[process.pk])).status_code == 403

    client.force_login(official)
    assert "Count the votes" in client.get(results_url).content.decode()
    assert client.post(reverse("budgeting:count", args=[process.pk])).status_code == 302
    html = client.get(results_url).content.decode()
    assert "data-unpublished" in html and "Publish results" in html
    assert client.post(reverse("budgeting:publish", args=[process.pk])).status_code == 302

    client.force_login(charlie)
    html = " ".join(client.get(results_url).content.decode().split())
    assert re.search(rf'data-proposal="{park.pk}" data-funded="1"', html)
    assert re.search(rf'data-proposal="{road.pk}" data-funded="0" data-reason="over_budget"', html)
    assert "did not fit the remaining budget" in html
    assert 'data-ballots="4"' in html
    assert "900 of 1,000 KZT" in html
    assert "/obligations/commitments/" in html  # funded projects link to their commitment


def test_the_results_page_does_not_grow_with_proposals(
    client, body, make_voter, official, django_assert_max_num_queries
):
    def make(n):
        process = ProcessFactory(phase="counting", organization=body, budget=10_000, rule=Process.Rule.GREEDY)
        projects = on_ballot(process, n=n, cost=100)
        for i in range(3):
            cast(process, make_voter(email=f"r{n}-{i}@example.org"), projects[: i + 1])
        services.process_count(actor=official, process=process)
        return process

    small, big = make(2), make(12)
    Process.objects.filter(pk__in=[small.pk, big.pk]).update(results_published_at=timezone.now())
    with django_assert_max_num_queries(8):
        client.get(reverse("budgeting:results", args=[small.pk]))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("budgeting:results", args=[big.pk]))
    assert len(response.context["funded"]) == 12


def test_it_exports_anonymised_ballots_only_after_publication(client, counted, official):
    process = counted[0]
    url = reverse("budgeting:export", args=[process.pk])
    assert client.get(url).status_code == 404
    services.process_count(actor=official, process=process)
    services.results_publish(actor=official, process=process)
    response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;") and ".pb" in response["Content-Disposition"]
    )
    text = response.content.decode()
    assert "META" in text and "VOTES" in text
    assert "@example.org" not in text


# --- compare ----------------------------------------------------------------------------------

PB = """META
key;value
description;Test
country;Poland
unit;Test
instance;2024
num_projects;2
num_votes;3
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;selected
1;60;2;1
2;50;1;0
VOTES
voter_id;vote
1;1
2;1,2
3;2
"""


def test_officials_compare_rules_on_a_pabulib_file(client, official):
    client.force_login(official)
    upload = SimpleUploadedFile("test.pb", PB.encode(), content_type="text/plain")
    response = client.post(reverse("budgeting:compare"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-rule="greedy"' in html and 'data-matches="yes"' in html


def test_compare_refuses_residents_and_bad_files(client, charlie, official):
    client.force_login(charlie)
    assert client.get(reverse("budgeting:compare")).status_code == 403
    client.force_login(official)
    upload = SimpleUploadedFile("test.pb", b"nonsense", content_type="text/plain")
    response = client.post(reverse("budgeting:compare"), {"file": upload})
    assert response.status_code == 400
    assert "not a valid Pabulib file" in response.content.decode()


def test_compare_refuses_a_file_that_is_not_pb(client, official):
    client.force_login(official)
    upload = SimpleUploadedFile("test.txt", io.BytesIO(PB.encode()).read(), content_type="text/plain")
    response = client.post(reverse("budgeting:compare"), {"file": upload})
    assert "Choose a .pb file." in response.content.decode()
