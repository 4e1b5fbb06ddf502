from typing import Any

import factory
from django.contrib.contenttypes.models import ContentType

from kenes.accounts.tests.factories import UserFactory
from kenes.moderation.models import Report


class ReportFactory(factory.django.DjangoModelFactory):
    """A report row written directly (for selector and view tests); services are tested separately."""

    class Meta:
        model = Report

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.content))
    object_id = factory.LazyAttribute(lambda o: str(o.content.pk))
    organization = factory.LazyAttribute(lambda o: getattr(o.content, "organization", None))
    reporter = factory.SubFactory(UserFactory)
    category = Report.Category.SPAM

    class Params:
        content = None


def verified(n: int = 1, **kwargs: Any) -> list[Any]:
    return [UserFactory(verification_level=1, **kwargs) for _ in range(n)]


def unverified(n: int = 1) -> list[Any]:
    return [UserFactory(verification_level=0) for _ in range(n)]
