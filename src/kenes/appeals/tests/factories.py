"""Factories for appeals. Appeals themselves are made with the service (``submit``), which numbers
them and opens their obligation; the factories set up routing, topics and bodies."""

import factory

from kenes.appeals import services
from kenes.appeals.models import RoutingRule
from kenes.organizations.models import Membership, Organization, Topic
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory

TEXT = "The street lights on Abai street have not worked since October; please repair them."


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    name_en = factory.SelfAttribute("name")


class BodyFactory(OrganizationFactory):
    """An operating state body (an akimat) of the territory's country."""

    kind = Organization.Kind.LOCAL_EXECUTIVE
    country = factory.SelfAttribute("territory.country")


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    country = "KZ"
    territory = None
    topic = None
    organization = factory.SubFactory(BodyFactory)


def officer_of(body: Organization, user=None, role: str = Membership.Role.OFFICER):
    membership = MembershipFactory(organization=body, role=role, **({"user": user} if user else {}))
    return membership.user


def submit(author, *, territory, topic, addressee=None, **fields):
    """An appeal submitted through the service (numbered, with its obligation)."""
    fields.setdefault("kind", "complaint")
    fields.setdefault("subject", "Street lights")
    fields.setdefault("text", TEXT)
    fields.setdefault("language", "en")
    return services.appeal_submit(
        actor=author, territory=territory, topic=topic, addressee=addressee, **fields
    )
