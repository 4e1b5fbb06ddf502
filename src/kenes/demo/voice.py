"""Sample petitions and appeals (the citizens' voice), loaded through the modules' own services so
every row, audit event, obligation and notice is what real use would leave behind.

- An answered local petition to the Akimat of Sayram District: signed by the sample residents past
  its threshold, counted by the counting job, answered with reasons and a commitment with a
  milestone. Its threshold is lowered to ``ANSWERED_THRESHOLD`` (the real KZ local default is in
  the petition rules) so that the sample residents can reach it; the page says it is a sample.
- A second petition still collecting signatures.
- Appeal routing rules for Turkistan Region and Sayram District, a published (anonymised) appeal
  that was answered and rated, and a private one still being considered.

Idempotent: each sample is found by its title (petitions) or subject (appeals) before it is made."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kenes.accounts.models import User
from kenes.appeals import services as appeals
from kenes.appeals.models import Appeal, RoutingRule
from kenes.audit import services as audit
from kenes.obligations import services as obligations
from kenes.obligations.models import Obligation, Response
from kenes.organizations.models import Organization, Topic
from kenes.petitions import counting, signing
from kenes.petitions import services as petitions
from kenes.petitions.models import Level, Petition
from kenes.territories.models import Territory

from .budgeting import ORGANIZATION_EN, TERRITORY_CODE, _official, _sample_users

ANSWERED_TITLE = "Safe pedestrian crossing by School No. 12 in Aksukent"
COLLECTING_TITLE = "Extend the No. 7 bus route to the new Karabulak district"
ANSWERED_THRESHOLD = 40
ANSWERED_SIGNERS = 46
COLLECTING_SIGNERS = 12
REGION_AKIMAT_EN = "Akimat of Turkistan Region"

ANSWER = (
    "The crossing is justified: the traffic survey confirmed the risk for pupils. The akimat will "
    "install a raised crossing with lights and signs before the new school year."
)
APPEAL_SUBJECT = "Water supply interruptions on Tole Bi street"
APPEAL_ANSWER = (
    "The interruptions were caused by a worn pump at the Aksukent station. The pump was replaced on "
    "the 14th and supply has been normal since; the station is now checked every week."
)
PRIVATE_SUBJECT = "Request for the 2026 road repair plan of Sayram District"


def _petition(author: User, title: str, text: str, demand: str, body: Organization, admin: Any) -> Petition:
    petition = petitions.petition_create(
        actor=author,
        title=title,
        text=text,
        demand=demand,
        addressee=body,
        territory=body.territory,
        topic=Topic.objects.get(code="roads_transport"),
        language="en",
        level=Level.LOCAL,
    )
    Petition.objects.filter(pk=petition.pk).update(is_sample=True)
    petition = petitions.petition_submit(actor=author, petition=petition)
    return petitions.petition_approve(actor=admin, petition=petition)


def _sign(petition: Petition, signers: list[User]) -> None:
    for index, signer in enumerate(signers):
        signing.signature_create(actor=signer, petition=petition, show_name=index % 3 == 0)


def _answer(petition: Petition, official: User) -> None:
    obligation = Obligation.objects.live().for_subject(petition).get()
    response = obligations.obligation_respond(
        actor=official, obligation=obligation, decision=Response.Decision.ACCEPTED, reasons=ANSWER
    )
    obligations.commitment_create(
        actor=official,
        response=response,
        title="Raised pedestrian crossing with lights by School No. 12",
        description="Design, works and acceptance by the district's road department.",
        milestones=[("Crossing built and opened", timezone.localdate() + datetime.timedelta(days=120))],
    )


def demo_petitions_ensure(*, admin: Any) -> int:
    """The two sample petitions; returns how many were created."""
    body = Organization.objects.filter(is_sample=True, name_en=ORGANIZATION_EN).first()
    territory = Territory.objects.filter(code=TERRITORY_CODE).first()
    if body is None or territory is None:
        return 0
    made = 0
    residents = _sample_users(territory)
    official = _official(body)
    if not Petition.objects.filter(is_sample=True, title=ANSWERED_TITLE).exists():
        with transaction.atomic():
            petition = _petition(
                residents[0],
                ANSWERED_TITLE,
                "Pupils cross the busy Abai street to reach School No. 12 with no crossing, lights or signs.",
                "Build a safe, lit pedestrian crossing by the school before the next school year.",
                body,
                admin,
            )
            Petition.objects.filter(pk=petition.pk).update(threshold=ANSWERED_THRESHOLD)
            petition.refresh_from_db()
            _sign(petition, residents[1 : ANSWERED_SIGNERS + 1])
            counting.signatures_count(lag_seconds=0)
            _answer(petition, official)
            audit.record(event="demo.petitions.loaded", obj=petition, actor_label="demo")
        made += 1
    if not Petition.objects.filter(is_sample=True, title=COLLECTING_TITLE).exists():
        with transaction.atomic():
            petition = _petition(
                residents[2],
                COLLECTING_TITLE,
                "Residents of the new Karabulak district walk two kilometres to the nearest bus stop.",
                "Extend the No. 7 bus route by three stops to serve the new district.",
                body,
                admin,
            )
            _sign(petition, residents[10 : 10 + COLLECTING_SIGNERS])
            counting.signatures_count(lag_seconds=0)
        made += 1
    return made


def _routing(admin: Any, region_akimat: Organization | None, body: Organization) -> None:
    wanted = [(body.territory, None, body)]
    if region_akimat is not None:
        wanted.append((region_akimat.territory, None, region_akimat))
    for territory, topic, organization in wanted:
        if not RoutingRule.objects.filter(
            country=organization.country, territory=territory, topic=topic
        ).exists():
            rule = RoutingRule(
                country=organization.country,
                territory=territory,
                topic=topic,
                organization=organization,
                note="Sample rule",
            )
            appeals.routing_rule_save(actor=admin, rule=rule)


def demo_appeals_ensure(*, admin: Any) -> int:
    """Routing rules and two sample appeals; returns how many appeals were created."""
    body = Organization.objects.filter(is_sample=True, name_en=ORGANIZATION_EN).first()
    territory = Territory.objects.filter(code=TERRITORY_CODE).first()
    if body is None or territory is None:
        return 0
    region_akimat = Organization.objects.filter(is_sample=True, name_en=REGION_AKIMAT_EN).first()
    residents = _sample_users(territory)
    official = _official(body)
    made = 0
    with transaction.atomic():
        _routing(admin, region_akimat, body)
        if not Appeal.objects.filter(is_sample=True, subject=APPEAL_SUBJECT).exists():
            appeal = appeals.appeal_submit(
                actor=residents[4],
                kind=Appeal.Kind.COMPLAINT,
                territory=territory,
                topic=Topic.objects.get(code="housing_utilities"),
                subject=APPEAL_SUBJECT,
                text="Since March the water is cut off for hours almost every evening, without notice.",
                language="en",
                is_public=True,
            )
            Appeal.objects.filter(pk=appeal.pk).update(is_sample=True)
            obligation = Obligation.objects.live().for_subject(appeal).get()
            response = obligations.obligation_respond(
                actor=official,
                obligation=obligation,
                decision=Response.Decision.ACCEPTED,
                reasons=APPEAL_ANSWER,
            )
            obligations.response_rate(
                actor=residents[4], response=response, score=4, comment="Fixed, thank you."
            )
            made += 1
        if not Appeal.objects.filter(is_sample=True, subject=PRIVATE_SUBJECT).exists():
            appeal = appeals.appeal_submit(
                actor=residents[6],
                kind=Appeal.Kind.INFORMATION_REQUEST,
                territory=territory,
                topic=Topic.objects.get(code="roads_transport"),
                subject=PRIVATE_SUBJECT,
                text="Please send the streets planned for repair in 2026 and the budget of each repair.",
                language="en",
            )
            Appeal.objects.filter(pk=appeal.pk).update(is_sample=True)
            made += 1
    return made
