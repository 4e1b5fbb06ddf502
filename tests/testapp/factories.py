import factory

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.tests.factories import OrganizationFactory

from .models import Submission


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    title = factory.Sequence(lambda n: f"Submission {n}")
    text = "Please repair the bridge on the road to the school."
    author = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
