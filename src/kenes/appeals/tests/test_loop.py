"""The whole loop for an appeal, in Kazakhstan and Kyrgyzstan: submitted with an attachment →
forwarded to the competent body (the author told) → extended (the author told) → answered with
reasons → rated by the author → contested to the supervising body. Deadlines are the hearing
loop's, checked against the dates hand-computed in kenes/obligations/tests/test_loop.py; the
appeal's page shows every step."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kenes.appeals.tests.factories import BodyFactory, RoutingRuleFactory, officer_of, submit
from kenes.notifications.models import Notification
from kenes.obligations import services as obligations
from kenes.obligations.models import Kind, Obligation, Rating, Step
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LOOPS = {
    "KZ": {
        "code": "751000000",
        "opened": D(2026, 3, 19),
        "deadline": D(2026, 4, 14),
        "redirected": D(2026, 3, 20),
        "new_deadline": D(2026, 4, 15),
        "limit": D(2026, 5, 20),
        "extended_on": D(2026, 4, 10),
        "answered": D(2026, 5, 12),
    },
    "KG": {
        "code": "41711000000",
        "opened": D(2026, 3, 19),
        "deadline": D(2026, 4, 9),
        "redirected": D(2026, 3, 23),
        "new_deadline": D(2026, 4, 10),
        "limit": D(2026, 5, 11),
        "extended_on": D(2026, 4, 8),
        "answered": D(2026, 4, 30),
    },
}
REASONS = {
    "redirect": "Street lighting in the city is kept by the city akimat, not by the district.",
    "extend": "We need a survey of the whole street by the lighting contractor first.",
    "respond": "The cables are stolen every month; the street gets solar lamps in the 2027 plan.",
    "contest": "The 2027 plan is too late: the street has been dark since October of last year.",
}


def at(day: D, hour: int = 10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC), tick=False
    )


@pytest.mark.parametrize("country", ["KZ", "KG"])
def test_an_appeal_goes_through_the_whole_loop(country, alice, client, roads):
    dates = LOOPS[country]
    territory = TerritoryFactory(country=country, code=dates["code"], name="City")
    supervisor = BodyFactory(territory=territory, name="Regional akimat")
    district = BodyFactory(territory=territory, name="District akimat", supervising_body=supervisor)
    city = BodyFactory(territory=territory, name="City akimat", supervising_body=supervisor)
    RoutingRuleFactory(country=country, territory=territory, organization=district)
    district_officer, city_officer = officer_of(district), officer_of(city)
    supervisor_officer = officer_of(supervisor)

    with at(dates["opened"]):
        appeal = submit(
            alice,
            territory=territory,
            topic=roads,
            attachments=[SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)],
        )
    assert appeal.number == f"{country}-2026-000001" and appeal.addressee == district
    first = Obligation.objects.for_subject(appeal).get()
    assert (first.kind, first.opened_on, first.deadline) == (Kind.APPEAL, dates["opened"], dates["deadline"])

    with at(dates["redirected"]):
        second = obligations.obligation_redirect(
            actor=district_officer, obligation=first, to_organization=city, reason=REASONS["redirect"]
        )
    assert (second.organization, second.deadline) == (city, dates["new_deadline"])

    with at(dates["extended_on"]):
        obligations.obligation_extend(
            actor=city_officer, obligation=second, new_deadline=dates["limit"], reason=REASONS["extend"]
        )
        client.force_login(alice)
        html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'data-state="extended"' in html and f'data-deadline="{dates["limit"]:%Y-%m-%d}"' in html
    assert "City akimat" in html and REASONS["redirect"] in html and REASONS["extend"] in html

    with at(dates["answered"]):
        response = obligations.obligation_respond(
            actor=city_officer, obligation=second, decision="partly_accepted", reasons=REASONS["respond"]
        )
        # the author rates and contests through the forms the appeal page shows
        client.force_login(alice)
        rate = client.post(
            reverse("obligations:rate", args=[second.pk]), {"score": "2", "comment": "Too slow."}
        )
        contest = client.post(
            reverse("obligations:contest", args=[second.pk]), {"reason": REASONS["contest"]}
        )
    assert response.on_time
    assert rate.status_code == 302 and rate["Location"] == reverse("obligations:detail", args=[second.pk])
    assert contest.status_code == 302
    assert Rating.objects.get(response=response).score == 2
    contested = Obligation.objects.for_subject(appeal).get(kind=Kind.CONTEST)
    assert contested.organization == supervisor and contested.is_private and contested.author == alice

    steps = list(
        Step.objects.filter(subject_id=str(appeal.pk), obligation__in=[first, second, contested]).order_by(
            "at", "id"
        )
    )
    assert [s.kind for s in steps] == ["opened", "redirected", "extended", "answered", "rated", "contested"]
    events = set(Notification.objects.filter(recipient=alice).values_list("event", flat=True))
    assert {
        "appeals.acknowledged",
        "obligations.opened",
        "obligations.redirected",
        "obligations.extended",
        "obligations.answered",
    } <= events

    with at(dates["answered"]):
        html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
        assert 'data-decision="partly_accepted"' in html and 'data-score="2"' in html
        assert f'data-contest="{contested.pk}"' in html
        # the supervising body's officer sees the appeal and its attachment; the district's no longer
        client.force_login(supervisor_officer)
        item = appeal.attachments.get()
        assert client.get(reverse("appeals:attachment", args=[appeal.pk, item.pk])).status_code == 200
        client.force_login(district_officer)
        assert client.get(reverse("appeals:attachment", args=[appeal.pk, item.pk])).status_code == 404
