"""Participatory budgeting in a browser: a resident proposes a project in the proposals phase; an
official of the responsible body approves it for the ballot; residents vote, one in English and one
in Russian; after voting closes the official counts and publishes; the results page shows the funded
project with its explanation. Phases are moved by setting the process's dates between steps (setup)."""

import re

import pytest

from kenes.budgeting.models import Ballot, Process, Proposal
from kenes.budgeting.tests.factories import ProcessFactory, ProposalFactory
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory
from tests.browser.helpers import log_in, person

REASONS = "The site belongs to the city and the cost estimate matches similar playgrounds built last year."


def move_to(process, phase):
    """Test setup: give the process the dates of another phase."""
    dates = ProcessFactory.build(phase=phase)
    fields = ["proposals_open", "proposals_close", "review_close", "voting_open", "voting_close"]
    Process.objects.filter(pk=process.pk).update(**{name: getattr(dates, name) for name in fields})


@pytest.fixture
def journey(transactional_db):
    region = TerritoryFactory(code="930000000", name_en="Akmola region", name_ru="Акмолинская область")
    town = TerritoryFactory(
        code="931000000", parent=region, kind=Territory.Kind.DISTRICT, name_en="Kokshetau"
    )
    body = OrganizationFactory(
        territory=region,
        kind=Organization.Kind.LOCAL_EXECUTIVE,
        name_en="Akimat of Akmola Region",
        name_ru="Акимат Акмолинской области",
    )
    official = person("official@example.org", "Official", "en", verification_level=1)
    MembershipFactory(organization=body, user=official, role=Membership.Role.OFFICER)
    people = {
        "author": person("author@example.org", "Author", "en", town, verification_level=1),
        "voter_en": person("voter.en@example.org", "Voter", "en", town, verification_level=1),
        "voter_ru": person("voter.ru@example.org", "Избиратель", "ru", town, verification_level=1),
    }
    process = ProcessFactory(
        phase="proposals",
        organization=body,
        territory=region,
        title="People's budget of Akmola",
        title_en="People's budget of Akmola",
        title_ru="Народный бюджет Акмолы",
        budget=1_000_000,
        residents_only=True,
        rule=Process.Rule.MES_COST_ADD1_GREEDY,
    )
    # Another project already on the ballot, too expensive to fund next to the playground.
    rival = ProposalFactory(
        process=process,
        author=official,
        title="New stadium",
        estimated_cost=900_000,
        official_cost=900_000,
        status=Proposal.Status.ON_BALLOT,
    )
    return {"process": process, "official": official, "rival": rival, **people}


def propose(page, process):
    page.goto(f"/en/budgeting/{process.pk}/")
    page.get_by_role("link", name="Propose a project").click()
    form = page.locator("form[data-action=propose]")
    form.locator("input[name=title]").fill("Playground in the courtyard")
    form.locator("textarea[name=description]").fill("Swings and a sandpit for the children of the block.")
    form.locator("input[name=estimated_cost]").fill("300000")
    form.locator("input[name=category]").fill("Children")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/budgeting/proposals/\d+/$"))
    assert page.locator("[data-status=submitted]").count() == 1
    return Proposal.objects.get(title="Playground in the courtyard")


def review(page, process, proposal):
    page.goto(f"/en/budgeting/{process.pk}/review/")
    card = page.locator(f"article[data-proposal='{proposal.pk}']")
    card.get_by_label("Approve for the ballot").check()
    card.locator("input[name=official_cost]").fill("350000")
    card.locator("textarea[name=reasons]").fill(REASONS)
    card.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/budgeting/{process.pk}/review/$"))
    assert page.locator(f"article[data-proposal='{proposal.pk}']").count() == 0


def vote(page, process, proposal, language, check_label, cast_label):
    page.goto(f"/{language}/budgeting/{process.pk}/vote/")
    box = page.locator(f"input[name=projects][value='{proposal.pk}']")
    box.focus()
    page.keyboard.press("Space")  # keyboard only
    assert box.is_checked()
    assert "350" in page.locator("#budget-text").inner_text()  # ballot.js updates the bar live
    page.get_by_role("button", name=check_label).click()
    assert "350" in page.locator("#budget-text").inner_text()
    assert page.locator(f"input[name=projects][value='{proposal.pk}']").is_checked()
    page.get_by_role("button", name=cast_label).click()
    page.wait_for_url(re.compile(rf"/{language}/budgeting/{process.pk}/vote/$"))
    assert page.locator("[data-has-ballot]").count() == 1
    assert page.locator("html").get_attribute("lang") == language


def test_propose_review_vote_in_two_languages_count_and_publish(page, journey):
    process = journey["process"]

    # A resident proposes a project while proposals are open.
    log_in(page, "en", "author@example.org")
    proposal = propose(page, process)

    # The official approves it for the ballot with an official cost.
    move_to(process, "review")
    log_in(page, "en", "official@example.org")
    review(page, process, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ON_BALLOT and proposal.official_cost == 350_000

    # Residents vote: one in English, one in Russian.
    move_to(process, "voting")
    log_in(page, "en", "voter.en@example.org")
    vote(page, process, proposal, "en", "Check my choices", "Cast my ballot")
    log_in(page, "ru", "voter.ru@example.org")
    ru_page = page.goto(f"/ru/budgeting/{process.pk}/vote/")
    assert ru_page.ok
    check = page.locator("form.ballot button[name=check]").inner_text().strip()
    cast = page.locator("form.ballot button[name=cast]").inner_text().strip()
    vote(page, process, proposal, "ru", check, cast)
    assert Ballot.objects.filter(process=process).count() == 2

    # After voting closes the official counts the votes and publishes the results.
    move_to(process, "counting")
    log_in(page, "en", "official@example.org")
    page.goto(f"/en/budgeting/{process.pk}/results/")
    page.get_by_role("button", name="Count the votes").click()
    page.wait_for_url(re.compile(rf"/en/budgeting/{process.pk}/results/$"))
    page.get_by_role("button", name="Publish results").click()
    page.wait_for_url(re.compile(rf"/en/budgeting/{process.pk}/results/$"))

    # Everyone sees the funded project with its explanation.
    page.context.clear_cookies()
    page.goto(f"/en/budgeting/{process.pk}/results/")
    row = page.locator(f"tr[data-proposal='{proposal.pk}']")
    assert row.get_attribute("data-funded") == "1"
    assert "Funded" in row.locator("td.explanation").inner_text()
    rival = page.locator(f"tr[data-proposal='{journey['rival'].pk}']")
    assert rival.get_attribute("data-funded") == "0"
    assert "Not funded" in rival.locator("td.explanation").inner_text()
    assert page.locator("[data-ballots='2']").count() == 1
