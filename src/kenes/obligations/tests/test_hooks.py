"""What modules hang on the loop: the 'answered' hook, privacy following the subject, and the
obligation page leading back to the submission."""

import pytest
from django.urls import reverse
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.obligations import hooks, services
from kenes.obligations.models import Obligation, Response
from kenes.obligations.tests.factories import ObligationFactory, member, staffed_body

pytestmark = pytest.mark.django_db

REASONS = "The request is justified and the works are funded this year."


@pytest.fixture
def body():
    return staffed_body()


@pytest.fixture
def obligation(body, alice):
    return ObligationFactory(submission=SubmissionFactory(author=alice, organization=body))


@pytest.fixture
def calls():
    seen: list[Response] = []
    hooks.on_answered(Submission, seen.append)
    yield seen
    hooks.clear(Submission)


def test_the_answered_hook_runs_after_the_answer_commits(
    django_capture_on_commit_callbacks, body, obligation, calls
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = services.obligation_respond(
            actor=member(body, "officer"), obligation=obligation, decision="accepted", reasons=REASONS
        )
    assert calls == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert calls == [response]


def test_the_hook_is_not_run_for_other_subjects(django_capture_on_commit_callbacks, body, obligation):
    seen: list[Response] = []
    hooks.on_answered(Obligation, seen.append)  # some other model
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.obligation_respond(
                actor=member(body, "officer"), obligation=obligation, decision="accepted", reasons=REASONS
            )
    finally:
        hooks.clear(Obligation)
    assert seen == []


def test_privacy_follows_the_subject(obligation):
    subject = obligation.subject
    assert services.obligations_set_private(subject=subject, private=True) == 1
    assert Obligation.objects.get(pk=obligation.pk).is_private
    assert services.obligations_set_private(subject=subject, private=True) == 0  # already private
    assert services.obligations_set_private(subject=subject, private=False) == 1
    assert not Obligation.objects.get(pk=obligation.pk).is_private


def test_the_obligation_page_links_to_the_submission(client, obligation):
    page = client.get(reverse("obligations:detail", args=[obligation.pk])).content.decode()
    assert f'href="{obligation.subject.get_absolute_url()}"' in page
