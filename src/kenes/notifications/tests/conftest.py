import copy
import datetime
from pathlib import Path

import pytest
import rules
from tests.testapp.factories import SubmissionFactory
from tests.testapp.models import Submission

from kenes.notifications.registry import register_followable, unregister_followable

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE = "notifications_test/hello"
VIEW_PERM = "notifications_test.view_submission"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    """Our own notification templates (tests/templates/notifications_test/…)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates


@pytest.fixture
def followable(db):
    """Submissions are followable; private ones only by their author (a rules perm)."""
    rules.add_perm(VIEW_PERM, rules.predicate(lambda user, s: not s.is_private or s.author_id == user.pk))
    register_followable(Submission, perm=VIEW_PERM)
    yield Submission
    unregister_followable(Submission)
    rules.remove_perm(VIEW_PERM)


@pytest.fixture
def submission(db, alice):
    return SubmissionFactory(author=alice, title="Repair the bridge")


@pytest.fixture
def hello():
    """Keyword arguments for notify() with our test template."""
    return {
        "event": "testapp.submission.answered",
        "template": TEMPLATE,
        "context": {"when": datetime.date(2025, 1, 15), "name": "Aigerim"},
    }
