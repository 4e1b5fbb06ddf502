import datetime
import hashlib

import factory
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.organizations.models import Invitation, Membership, Organization, Sector
from kenes.territories.tests.factories import TerritoryFactory


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")
    name_en = factory.SelfAttribute("name")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.NGO
    name = factory.Sequence(lambda n: f"Organisation {n}")
    name_en = factory.SelfAttribute("name")
    name_ru = factory.SelfAttribute("name")
    country = "KZ"
    territory = factory.SubFactory(TerritoryFactory)
    status = Organization.Status.OPERATING


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.MEMBER
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token-{n}".encode()).hexdigest())
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
