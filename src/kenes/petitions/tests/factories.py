"""Factories for the petitions module.

``PetitionFactory()`` is an open regional petition (opened a day ago, closing in 90 days) addressed
to a state body, with its terms set directly (threshold 100, verification level 1).
``PetitionFactory(state="draft")`` (or pending, rejected, closed) arranges the dates and moderation
fields to fit that state. ``SignatureFactory`` writes a counted signature (confirmed a second ago) directly,
bypassing the signing service: use ``kenes.petitions.signing.signature_create`` to test signing.
``audited_signature`` adds the audit event the service would record; ``events`` counts a petition's events;
``confirmation_token`` reads the token of the last confirmation link e-mailed.
"""

import datetime
import re
from typing import Any

import factory
from django.core import mail
from django.utils import timezone

from kenes.accounts.tests.factories import UserFactory
from kenes.audit.models import Event
from kenes.audit.services import record
from kenes.organizations.models import Organization, Topic
from kenes.organizations.tests.factories import OrganizationFactory
from kenes.petitions.models import Level, Petition, Signature
from kenes.territories.models import Territory

DAY = datetime.timedelta(days=1)
PUBLIC_STATES = (Petition.State.OPEN, Petition.State.CLOSED)
MODERATED_STATES = (Petition.State.OPEN, Petition.State.CLOSED, Petition.State.REJECTED)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


def _opens_at(o: Any) -> datetime.datetime | None:
    if o.state == Petition.State.OPEN:
        return o.now - DAY
    if o.state == Petition.State.CLOSED:
        return o.now - 100 * DAY
    return None


def _closes_at(o: Any) -> datetime.datetime | None:
    if o.state == Petition.State.OPEN:
        return o.now + 90 * DAY
    if o.state == Petition.State.CLOSED:
        return o.now - DAY
    return None


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    class Params:
        now = factory.LazyFunction(timezone.now)

    author = factory.SubFactory(UserFactory, verification_level=1)
    title = factory.Sequence(lambda n: f"Repair the road to school number {n}")
    text = "The road is full of potholes and children walk on the verge in the dark."
    demand = "Repair the road and light it before winter."
    addressee = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.STATE_BODY)
    territory = factory.SelfAttribute("addressee.territory")
    topic = factory.SubFactory(TopicFactory)
    language = "en"
    level = Level.REGIONAL
    country = "KZ"
    state = Petition.State.OPEN
    threshold = 100
    duration_months = 3
    min_verification_level = 1
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.state == Petition.State.DRAFT else o.now - 2 * DAY
    )
    moderated_at = factory.LazyAttribute(lambda o: o.now - DAY if o.state in MODERATED_STATES else None)
    moderation_reason = factory.LazyAttribute(
        lambda o: "The petition asks for something outside any body's power." if o.state == "rejected" else ""
    )
    opens_at = factory.LazyAttribute(_opens_at)
    closes_at = factory.LazyAttribute(_closes_at)
    closed_at = factory.LazyAttribute(lambda o: o.now - DAY if o.state == Petition.State.CLOSED else None)


def region_of(user: Any) -> Territory | None:
    """The top-level territory above ``user``'s home territory (what the signing service stores)."""
    home = getattr(user, "home_territory", None)
    if home is None:
        return None
    codes = [c for c in home.path.split("/") if c]
    return Territory.objects.filter(country=home.country, code=codes[0]).first() if codes else home


class SignatureFactory(factory.django.DjangoModelFactory):
    """A counted signature (confirmed at creation). ``confirmed_at=None`` makes a pending one."""

    class Meta:
        model = Signature

    petition = factory.SubFactory(PetitionFactory)
    user = factory.SubFactory(UserFactory, verification_level=1)
    email_canonical = factory.LazyAttribute(lambda o: o.user.email.lower())
    region = factory.LazyAttribute(lambda o: region_of(o.user))
    show_name = False
    # A moment ago: the counting job's window ends at the database's clock, which on SQLite has only
    # millisecond precision, so a Python stamp of "now" could fall just after it and not be counted.
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(seconds=1))
    confirmed_at = factory.SelfAttribute("created_at")


def audited_signature(petition: Petition, user: Any, *, counted: bool = True, **fields: Any) -> Signature:
    """A signature (counted, or pending with ``counted=False``) with the audit event signing records."""
    if not counted:
        fields["confirmed_at"] = None
    signature = SignatureFactory(petition=petition, user=user, **fields)
    event = "petitions.signature.confirmed" if counted else "petitions.signature.created"
    record(event=event, actor=user, obj=petition, data={"signature": signature.pk})
    return signature


def events(petition: Petition, action: str) -> int:
    """How many audit events ``action`` the petition has."""
    return Event.objects.filter(action=action, subject_id=str(petition.pk)).count()


def confirmation_token() -> str:
    """The token of the last signature confirmation link e-mailed (queued or sent)."""
    from kenes.notifications.models import OutgoingEmail

    bodies = [*OutgoingEmail.objects.values_list("body", flat=True)]
    for message in mail.outbox:
        bodies += [message.body, *(str(alt[0]) for alt in getattr(message, "alternatives", []))]
    found = re.findall(r"/petitions/signatures/confirm/([A-Za-z0-9_-]+)/", " ".join(bodies))
    assert found, "the confirmation e-mail carries the link"
    return found[-1]
