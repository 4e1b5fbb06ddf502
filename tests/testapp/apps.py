from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A stand-in participation module, installed only in test settings: its Submission is
    a subject for obligations, notifications and moderation before real modules exist."""

    name = "tests.testapp"
    label = "testapp"
    verbose_name = "Test app"
