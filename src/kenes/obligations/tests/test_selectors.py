import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory

from kenes.obligations import selectors
from kenes.obligations.models import Milestone, Obligation, Rating, Response, Step
from kenes.obligations.tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    ObligationFactory,
    ResponseFactory,
)
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
State = Obligation.State
Decision = Response.Decision


@pytest.fixture
def places(db):
    region = TerritoryFactory(code="900100000", name="North")
    first = TerritoryFactory(code="900110000", parent=region, kind="district", name="First district")
    second = TerritoryFactory(code="900120000", parent=region, kind="district", name="Second district")
    # A code that starts like the region's: must not fall into its subtree.
    elsewhere = TerritoryFactory(code="9001000001", name="Elsewhere")
    return {"region": region, "first": first, "second": second, "elsewhere": elsewhere}


def body(territory, **kwargs):
    return OrganizationFactory(territory=territory, kind=Organization.Kind.LOCAL_EXECUTIVE, **kwargs)


def obligation(org, state=State.OPEN, deadline=TODAY + datetime.timedelta(days=10), **kwargs):
    opened = kwargs.pop("opened_on", TODAY - datetime.timedelta(days=20))
    return ObligationFactory(
        organization=org,
        state=state,
        opened_on=opened,
        deadline=deadline,
        original_deadline=deadline,
        **kwargs,
    )


def answered(org, decision, on_time, days, score=None):
    response = ResponseFactory(
        obligation=obligation(org, State.ANSWERED),
        organization=org,
        decision=decision,
        on_time=on_time,
        working_days_taken=days,
    )
    if score is not None:
        Rating.objects.create(response=response, author=response.obligation.author, score=score)
    return response


def milestone(response, on_time):
    if on_time is None:
        return MilestoneFactory(commitment__response=response, commitment__organization=response.organization)
    return MilestoneFactory(
        commitment__response=response,
        commitment__organization=response.organization,
        status=Milestone.Status.DELIVERED,
        delivered_at=timezone.now(),
        delivered_on_time=on_time,
    )


@pytest.fixture
def figures_world(places):
    """Ten obligations at body A (first district), two at B (second district), one at C (elsewhere)."""
    a, b, c = body(places["first"]), body(places["second"]), body(places["elsewhere"])
    r1 = answered(a, Decision.ACCEPTED, True, 5, score=5)
    r2 = answered(a, Decision.PARTLY_ACCEPTED, True, 10, score=3)
    answered(a, Decision.REJECTED, False, 20, score=1)
    answered(a, Decision.EXPLAINED, True, 8)
    answered(a, Decision.REJECTED, True, 12, score=4)
    obligation(a, State.OPEN)
    obligation(a, State.EXTENDED)
    obligation(a, State.OVERDUE, deadline=TODAY - datetime.timedelta(days=3))
    obligation(a, State.OPEN, deadline=TODAY - datetime.timedelta(days=1))  # past, not yet marked
    obligation(a, State.WITHDRAWN)
    milestone(r1, True)
    milestone(r1, False)
    milestone(r1, None)  # pending: not counted
    milestone(r2, True)
    answered(b, Decision.ACCEPTED, True, 3, score=2)
    obligation(b, State.OPEN)
    answered(c, Decision.REJECTED, False, 30, score=1)
    milestone(answered(c, Decision.ACCEPTED, False, 40), False)
    return {"a": a, "b": b, "c": c}


def test_it_computes_the_figures_of_a_body_by_hand(figures_world, django_assert_num_queries):
    with django_assert_num_queries(4):
        figures = selectors.accountability_for_organization(figures_world["a"], today=TODAY)
    assert (figures.open, figures.overdue, figures.answered) == (2, 2, 5)
    assert figures.answered_on_time == 4 and figures.on_time_rate == pytest.approx(0.8)
    assert figures.accepted == 2 and figures.acceptance_rate == pytest.approx(0.4)
    # Working days 5, 8, 10, 12, 20: median 10; p90 at position 3.6 → 12 + 0.6 × 8.
    assert figures.median_days == 10
    assert figures.p90_days == pytest.approx(16.8)
    assert (figures.milestones_delivered, figures.milestones_delivered_on_time) == (3, 2)
    assert figures.milestones_on_time_rate == pytest.approx(2 / 3)
    assert figures.average_rating == pytest.approx(3.25)
    assert figures.ratings == 4


def test_it_computes_the_figures_of_a_territory_over_its_subtree(
    figures_world, places, django_assert_num_queries
):
    with django_assert_num_queries(4):
        figures = selectors.accountability_for_territory(places["region"], today=TODAY)
    assert (figures.open, figures.overdue, figures.answered) == (3, 2, 6)
    assert figures.on_time_rate == pytest.approx(5 / 6)
    assert figures.acceptance_rate == pytest.approx(0.5)
    # Working days 3, 5, 8, 10, 12, 20: median 9; p90 at position 4.5 → 12 + 0.5 × 8.
    assert figures.median_days == 9
    assert figures.p90_days == pytest.approx(16.0)
    assert figures.average_rating == pytest.approx(3.0)
    assert figures.ratings == 5
    assert figures.milestones_on_time_rate == pytest.approx(2 / 3)  # body C's late milestone is elsewhere


def test_it_gives_none_rather_than_zero_without_data(places):
    figures = selectors.accountability_for_organization(body(places["first"]), today=TODAY)
    assert (figures.open, figures.overdue, figures.answered, figures.ratings) == (0, 0, 0, 0)
    assert figures.median_days is None and figures.p90_days is None
    assert figures.on_time_rate is None and figures.acceptance_rate is None
    assert figures.milestones_on_time_rate is None and figures.average_rating is None


def test_the_query_count_does_not_grow_with_the_data(places, django_assert_num_queries):
    org = body(places["first"])
    for days in range(1, 30):
        answered(org, Decision.ACCEPTED, days < 15, days, score=days % 5 + 1)
    with django_assert_num_queries(4):
        selectors.accountability_for_organization(org, today=TODAY)


# --- the public register ------------------------------------------------------------------------


def ids(queryset):
    return [o.pk for o in queryset]


def test_the_register_hides_private_obligations_and_filters_by_territory_subtree(places):
    a, b, c = body(places["first"]), body(places["second"]), body(places["elsewhere"])
    in_a = obligation(a, title="Bridge")
    in_b = obligation(b, state=State.ANSWERED, title="School")
    obligation(a, is_private=True, title="Private matter")
    in_c = obligation(c, title="Well")
    assert set(ids(selectors.obligation_list_public())) == {in_a.pk, in_b.pk, in_c.pk}
    assert set(ids(selectors.obligation_list_public(territory=places["region"]))) == {in_a.pk, in_b.pk}
    assert ids(selectors.obligation_list_public(territory=places["second"])) == [in_b.pk]
    assert ids(selectors.obligation_list_public(organization=a)) == [in_a.pk]
    assert set(ids(selectors.obligation_list_public(state="live"))) == {in_a.pk, in_c.pk}
    assert ids(selectors.obligation_list_public(state=State.ANSWERED)) == [in_b.pk]
    assert ids(selectors.obligation_list_public(q="brid")) == [in_a.pk]
    assert ids(selectors.obligation_list_public(q=str(in_b.pk))) == [in_b.pk]
    assert ids(selectors.obligation_list_public(kind="petition")) == []


def test_the_register_is_one_query_whatever_the_number_of_rows(places, django_assert_num_queries):
    for n in range(15):
        obligation(body(places["first"]), title=f"Item {n}")
    with django_assert_num_queries(1):
        rows = list(selectors.obligation_list_public())
        assert [o.organization.territory.name for o in rows]


# --- the inbox ----------------------------------------------------------------------------------


def test_the_inbox_sorts_by_deadline_and_filters(places, bob):
    head = body(places["region"])
    sub = body(places["first"], supervising_body=head)
    subsub = body(places["second"], supervising_body=sub)
    late = obligation(head, deadline=TODAY - datetime.timedelta(days=2), assigned_to=bob)
    soon = obligation(head, deadline=TODAY + datetime.timedelta(days=1))
    later = obligation(head, deadline=TODAY + datetime.timedelta(days=9), kind="petition")
    done = obligation(head, state=State.ANSWERED, deadline=TODAY + datetime.timedelta(days=3))
    below = obligation(sub, deadline=TODAY + datetime.timedelta(days=4))
    deeper = obligation(subsub, deadline=TODAY + datetime.timedelta(days=5))
    obligation(body(places["first"]))  # another body

    assert ids(selectors.inbox(organization=head, today=TODAY)) == [late.pk, soon.pk, done.pk, later.pk]
    assert ids(selectors.inbox(organization=head, state="live", today=TODAY)) == [late.pk, soon.pk, later.pk]
    assert ids(selectors.inbox(organization=head, overdue_only=True, today=TODAY)) == [late.pk]
    assert ids(selectors.inbox(organization=head, assigned_to=bob, today=TODAY)) == [late.pk]
    assert ids(selectors.inbox(organization=head, kind="petition", today=TODAY)) == [later.pk]
    assert ids(selectors.inbox(organization=head, include_subordinates=True, state="live", today=TODAY)) == [
        late.pk,
        soon.pk,
        below.pk,
        deeper.pk,
        later.pk,
    ]
    assert ids(selectors.inbox(organization=head, order="-deadline", today=TODAY))[0] == later.pk


def test_the_inbox_is_one_query_with_author_officer_and_body(places, bob, django_assert_num_queries):
    org = body(places["first"])
    for _n in range(12):
        obligation(org, assigned_to=bob)
    with django_assert_num_queries(1):
        rows = list(selectors.inbox(organization=org, include_subordinates=True, today=TODAY))
        assert all(o.assigned_to.public_name and o.author.public_name and o.organization.name for o in rows)


def test_my_inboxes_count_live_and_overdue_obligations(places, bob, charlie):
    org = body(places["first"])
    MembershipFactory(organization=org, user=bob, role=Membership.Role.OFFICER)
    obligation(org)
    obligation(org, state=State.OVERDUE, deadline=TODAY - datetime.timedelta(days=1))
    obligation(org, state=State.ANSWERED)
    [row] = selectors.inbox_organizations(bob, today=TODAY)
    assert (row.pk, row.open_count, row.overdue_count) == (org.pk, 2, 1)
    assert list(selectors.inbox_organizations(charlie, today=TODAY)) == []
    assert list(selectors.inbox_organizations(AnonymousUser())) == []


# --- the timeline -------------------------------------------------------------------------------


def step(o, kind, days_ago):
    return Step.objects.create(
        subject_type=o.subject_type,
        subject_id=o.subject_id,
        obligation=o,
        kind=kind,
        organization=o.organization,
        text=f"{kind} text",
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_timeline_shows_a_subjects_steps_in_order_and_hides_private_ones(
    places, alice, charlie, django_assert_max_num_queries
):
    submission = SubmissionFactory(author=alice)
    first = obligation(body(places["first"]), submission=submission, author=alice, state=State.REDIRECTED)
    second = obligation(body(places["second"]), submission=submission, author=alice, is_private=True)
    step(first, Step.Kind.OPENED, 5)
    step(first, Step.Kind.REDIRECTED, 4)
    step(second, Step.Kind.OPENED, 4)
    step(second, Step.Kind.EXTENDED, 1)
    step(obligation(body(places["first"])), Step.Kind.OPENED, 3)  # another subject

    kinds = [(s.obligation_id, s.kind) for s in selectors.subject_timeline(submission, user=alice)]
    assert kinds == [
        (first.pk, "opened"),
        (first.pk, "redirected"),
        (second.pk, "opened"),
        (second.pk, "extended"),
    ]
    assert [s.obligation_id for s in selectors.subject_timeline(submission, user=charlie)] == [first.pk] * 2
    assert [s.obligation_id for s in selectors.subject_timeline(submission)] == [first.pk] * 2
    with django_assert_max_num_queries(
        3
    ):  # the steps; one permission check (two queries) for the private one
        timeline = selectors.obligation_timeline(first, user=charlie)
        assert [s.organization.name for s in timeline]
    assert ContentType.objects.get_for_model(submission).pk == first.subject_type_id


def test_the_detail_brings_response_rating_attachments_extensions_and_commitments(places):
    response = answered(body(places["first"]), Decision.ACCEPTED, True, 4, score=4)
    MilestoneFactory(commitment=CommitmentFactory(response=response))
    detail = selectors.obligation_detail(response.obligation_id)
    assert detail.response == response
    assert selectors.rating_of(detail.response).score == 4
    assert len(detail.commitments) == 1 and len(detail.commitments[0].milestones.all()) == 1
    with pytest.raises(Exception, match="No such obligation"):
        selectors.obligation_detail(10**9)
    unanswered = selectors.obligation_detail(obligation(body(places["first"])).pk)
    assert unanswered.response is None and unanswered.commitments == []
