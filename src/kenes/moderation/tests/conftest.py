"""Moderation tests use tests.testapp's Submission as the content, registered here as a module
would register its content in AppConfig.ready(). Notifications go through services._tell, which
is replaced by a recorder (``told``) so that these tests do not depend on kenes.notifications."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.accounts.tests.factories import UserFactory
from kenes.moderation import registry, services
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory


def _set_hidden(submission: Submission, hidden: bool) -> None:
    Submission.objects.filter(pk=submission.pk).update(is_hidden=hidden)


@pytest.fixture(autouse=True)
def registered_submission():
    registry.register(
        Submission,
        author=lambda s: s.author,
        organization=lambda s: s.organization,
        set_hidden=_set_hidden,
        title=lambda s: s.title,
        visible_to=lambda user, s: not s.is_private or getattr(user, "pk", None) == s.author_id,
    )
    yield Submission
    registry.unregister(Submission)


@dataclass
class Told:
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)

    def events(self) -> list[str]:
        return [call["event"] for call in self.calls]

    def to(self, user: Any) -> list[dict[str, Any]]:
        return [call for call in self.calls if user in call["recipients"]]


@pytest.fixture(autouse=True)
def told(monkeypatch) -> Told:
    recorder = Told()
    monkeypatch.setattr(services, "_tell", recorder)
    return recorder


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Akimat of Astana", name_en="Akimat of Astana")


@pytest.fixture
def moderator(org):
    user = UserFactory(display_name="Mona Moderator")
    MembershipFactory(organization=org, user=user, role=Membership.Role.MODERATOR)
    return user


@pytest.fixture
def second_moderator(org):
    """The head of the organisation: also a moderator, for the four-eyes rule."""
    user = UserFactory(display_name="Hugo Head")
    MembershipFactory(organization=org, user=user, role=Membership.Role.HEAD)
    return user


@pytest.fixture
def submission(org, alice):
    return SubmissionFactory(author=alice, organization=org, title="Fix the bridge")
