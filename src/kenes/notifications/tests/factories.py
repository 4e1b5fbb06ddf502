import factory

from kenes.accounts.tests.factories import UserFactory
from kenes.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "testapp.submission.answered"
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Something happened."
    url = "/testapp/submissions/1/"
