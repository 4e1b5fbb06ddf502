"""The issue's "Done when": a subject goes through the whole loop, open → redirect → extend →
respond → commit → milestone delivered, in both countries, with deadlines checked against dates
computed by hand from the 2026 production calendars. Every step leaves a timeline Step, an audit
event and a notice, and the timeline reads in order."""

import datetime

import pytest
import time_machine
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.audit.models import Event
from kenes.notifications.models import Notification
from kenes.notifications.registry import register_followable, unregister_followable
from kenes.notifications.services import follow
from kenes.obligations import services
from kenes.obligations.models import Commitment, Kind, Milestone, Obligation, Response, Step
from kenes.obligations.tests.factories import member, staffed_body

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def followable_submissions():
    register_followable(Submission)
    yield
    unregister_followable(Submission)


def at(day: D, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC), tick=False
    )


# Hand-computed from the 2026 production calendars (weekends plus):
#   KZ: 8 March (Sun) → 9 March off; Nauryz 21–23 March with 21–22 on a weekend → 23, 24, 25 March off;
#       1, 7 and 11 May off.
#   KG: Orozo ait Friday 20 March; Nooruz Saturday 21 March, not transferred; 1 and 4–8 May off.
LOOPS = {
    "KZ": {
        "opened": D(2026, 3, 19),  # Thursday
        "deadline": D(
            2026, 4, 14
        ),  # 20 Mar = 1; 26, 27, 30, 31 Mar = 2–5; 1–3 Apr = 6–8; 6–10 = 9–13; 13, 14 = 14, 15
        "redirected": D(2026, 3, 20),
        "new_deadline": D(2026, 4, 15),  # from Friday 20 March: 26 Mar = 1 … 15 Apr = 15
        "limit": D(2026, 5, 20),  # two months in all from 20 March (a Wednesday, working)
        "extended_on": D(2026, 4, 10),
        "answered": D(2026, 5, 12),
        "days_taken": 31,  # 26, 27, 30, 31 Mar (4) + April (22) + 4, 5, 6, 8, 12 May (5)
    },
    "KG": {
        "opened": D(2026, 3, 19),
        "deadline": D(2026, 4, 9),  # 23–27 Mar = 1–5; 30, 31 = 6, 7; 1–3 Apr = 8–10; 6–9 = 11–14
        "redirected": D(2026, 3, 23),
        "new_deadline": D(2026, 4, 10),  # from Monday 23 March: 24 Mar = 1 … 10 Apr = 14
        "limit": D(2026, 5, 11),  # 30 calendar days after 10 April = Sunday 10 May → Monday 11 May
        "extended_on": D(2026, 4, 8),
        "answered": D(2026, 4, 30),
        "days_taken": 28,  # 24–27, 30, 31 Mar (6) + 1–30 April (22)
    },
}


@pytest.mark.parametrize("country", ["KZ", "KG"])
def test_it_runs_the_whole_loop_with_correct_deadlines(country, alice, charlie):
    dates = LOOPS[country]
    wrong_body = staffed_body(country=country)
    competent = staffed_body(country=country)
    officer = member(competent, "officer")
    submission = SubmissionFactory(author=alice, organization=wrong_body)
    follow_later = charlie

    with at(dates["opened"]):
        obligation = services.obligation_open(
            actor=alice,
            subject=submission,
            organization=wrong_body,
            kind=Kind.APPEAL,
            title="Repair the bridge",
            author=alice,
        )
    assert obligation.opened_on == dates["opened"]
    assert obligation.deadline == obligation.original_deadline == dates["deadline"]
    follow(actor=follow_later, subject=submission)

    with at(dates["redirected"]):
        new = services.obligation_redirect(
            actor=member(wrong_body, "officer"),
            obligation=obligation,
            to_organization=competent,
            reason="Bridges on district roads are kept by the district akimat, not by us.",
        )
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.REDIRECTED
    assert obligation.closed_at is not None
    assert new.redirected_from == obligation
    assert (new.organization, new.opened_on, new.deadline) == (
        competent,
        dates["redirected"],
        dates["new_deadline"],
    )

    with at(dates["extended_on"]):
        too_late = dates["limit"] + datetime.timedelta(days=1)
        with pytest.raises(Exception, match="at the latest"):
            services.obligation_extend(
                actor=officer,
                obligation=new,
                new_deadline=too_late,
                reason="We need an engineering survey of the bridge first.",
            )
        services.obligation_extend(
            actor=officer,
            obligation=new,
            new_deadline=dates["limit"],
            reason="We need an engineering survey of the bridge first.",
        )
    new.refresh_from_db()
    assert (new.state, new.deadline, new.original_deadline) == (
        Obligation.State.EXTENDED,
        dates["limit"],
        dates["new_deadline"],
    )

    with at(dates["answered"]):
        response = services.obligation_respond(
            actor=officer,
            obligation=new,
            decision=Response.Decision.ACCEPTED,
            reasons="The survey found the deck unsafe; it will be rebuilt under the 2026 road programme.",
        )
    assert response.on_time is True
    assert response.working_days_taken == dates["days_taken"]

    with at(dates["answered"] + datetime.timedelta(days=1)):
        commitment = services.commitment_create(
            actor=officer,
            response=response,
            title="Rebuild the bridge deck",
            milestones=[("Deck rebuilt", D(2026, 6, 30))],
        )
    with at(D(2026, 6, 15)):
        milestone = services.milestone_deliver(
            actor=officer, milestone=commitment.milestones.get(), note="Opened to traffic."
        )
    assert milestone.delivered_on_time is True
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DELIVERED
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.DELIVERED

    timeline = list(Step.objects.filter(subject_id=str(submission.pk)).order_by("at", "id"))
    assert [(s.kind, s.organization_id) for s in timeline] == [
        (Step.Kind.OPENED, wrong_body.pk),
        (Step.Kind.REDIRECTED, wrong_body.pk),
        (Step.Kind.EXTENDED, competent.pk),
        (Step.Kind.ANSWERED, competent.pk),
        (Step.Kind.COMMITMENT, competent.pk),
        (Step.Kind.MILESTONE_DELIVERED, competent.pk),
    ]
    assert [s.at.date() for s in timeline] == sorted(s.at.date() for s in timeline)
    assert timeline[1].text.startswith("Bridges on district roads")
    assert timeline[3].text.startswith("The survey found")

    actions = list(
        Event.objects.filter(action__startswith="obligations.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "obligations.obligation.opened",
        "obligations.obligation.redirected",
        "obligations.obligation.extended",
        "obligations.response.created",
        "obligations.commitment.created",
        "obligations.commitment.delivered",
        "obligations.milestone.delivered",
    ]

    to_alice = list(
        Notification.objects.filter(recipient=alice).order_by("id").values_list("event", flat=True)
    )
    assert to_alice == [
        "obligations.opened",
        "obligations.redirected",
        "obligations.extended",
        "obligations.answered",
        "obligations.commitment",
        "obligations.milestone_delivered",
    ]
    to_follower = list(
        Notification.objects.filter(recipient=charlie).order_by("id").values_list("event", flat=True)
    )
    assert to_follower == [
        "obligations.answered",
        "obligations.commitment",
        "obligations.milestone_delivered",
    ]
    opened_notice = Notification.objects.filter(recipient=alice, event="obligations.opened").get()
    assert f"No. {obligation.pk}" in opened_notice.title
