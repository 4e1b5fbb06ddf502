"""Appeals' services: routing precedence, numbering, attachments, privacy, publication, co-signing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kenes.accounts.tests.factories import UserFactory
from kenes.appeals import selectors, services
from kenes.appeals.models import Appeal, AppealAttachment, Cosigner, NumberSequence
from kenes.appeals.tests.factories import BodyFactory, RoutingRuleFactory, submit
from kenes.audit.models import Event
from kenes.notifications.models import Notification
from kenes.obligations import services as obligations
from kenes.obligations.models import Kind, Obligation
from kenes.obligations.uploads import MAX_UPLOAD_BYTES
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 64


def pdf(name="scan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- routing ------------------------------------------------------------------------------------


def test_the_deepest_territory_wins(village, district, region, roads):
    country = RoutingRuleFactory(country="KZ")
    regional = RoutingRuleFactory(territory=region)
    local = RoutingRuleFactory(territory=district)
    assert selectors.route(territory=village, topic=roads) == local
    assert selectors.route(territory=region, topic=roads) == regional
    local.delete()
    assert selectors.route(territory=village, topic=roads) == regional
    regional.delete()
    assert selectors.route(territory=village, topic=roads) == country


def test_a_topic_rule_beats_an_any_topic_rule_of_the_same_territory(district, village, roads, health):
    any_topic = RoutingRuleFactory(territory=district)
    roads_rule = RoutingRuleFactory(territory=district, topic=roads)
    assert selectors.route(territory=village, topic=roads) == roads_rule
    assert selectors.route(territory=village, topic=health) == any_topic


def test_a_deeper_any_topic_rule_beats_a_shallower_topic_rule(region, district, village, roads):
    regional_roads = RoutingRuleFactory(territory=region, topic=roads)
    district_any = RoutingRuleFactory(territory=district)
    assert selectors.route(territory=village, topic=roads) == district_any
    district_any.delete()
    assert selectors.route(territory=village, topic=roads) == regional_roads


def test_the_country_default_comes_last_and_the_country_topic_rule_before_it(village, roads, health):
    default = RoutingRuleFactory(country="KZ")
    country_roads = RoutingRuleFactory(country="KZ", topic=roads)
    assert selectors.route(territory=village, topic=roads) == country_roads
    assert selectors.route(territory=village, topic=health) == default


def test_rules_of_other_territories_countries_and_closed_bodies_do_not_apply(village, roads):
    from kenes.territories.tests.factories import TerritoryFactory

    RoutingRuleFactory(territory=TerritoryFactory(code="790000000"))
    RoutingRuleFactory(country="KG")
    closed = RoutingRuleFactory(country="KZ")
    closed.organization.status = "liquidated"
    closed.organization.save(update_fields=["status"])
    assert selectors.route(territory=village, topic=roads) is None


def test_submission_follows_the_rules_and_a_chosen_body_wins(alice, village, district, roads, body):
    rule = RoutingRuleFactory(territory=district, organization=body)
    routed = submit(alice, territory=village, topic=roads)
    assert routed.addressee == body and routed.routed_by == rule
    other = BodyFactory(territory=district, name="Roads department")
    chosen = submit(alice, territory=village, topic=roads, addressee=other)
    assert chosen.addressee == other and chosen.routed_by is None
    assert Obligation.objects.for_subject(chosen).get().organization == other


def test_without_a_rule_or_a_choice_submission_is_refused_clearly(alice, village, roads):
    with pytest.raises(ValidationError) as error:
        submit(alice, territory=village, topic=roads)
    assert "choose the body yourself" in str(error.value)
    assert not Appeal.objects.exists() and not NumberSequence.objects.filter(last__gt=0).exists()


def test_only_an_operating_state_body_of_the_same_country_can_be_chosen(alice, village, roads, district):
    ngo = OrganizationFactory(territory=district, kind="ngo")
    with pytest.raises(ValidationError, match="operating state body"):
        submit(alice, territory=village, topic=roads, addressee=ngo)
    from kenes.territories.tests.factories import TerritoryFactory

    kg_body = BodyFactory(territory=TerritoryFactory(country="KG", code="41000000000"))
    with pytest.raises(ValidationError, match="same country"):
        submit(alice, territory=village, topic=roads, addressee=kg_body)


# --- numbering ----------------------------------------------------------------------------------


def test_numbers_run_per_country_and_year_without_gaps(alice, village, roads, body):
    from kenes.territories.tests.factories import TerritoryFactory

    kg_territory = TerritoryFactory(country="KG", code="41100000000")
    kg_body = BodyFactory(territory=kg_territory)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        first = submit(alice, territory=village, topic=roads, addressee=body)
        second = submit(alice, territory=village, topic=roads, addressee=body)
        kg = submit(alice, territory=kg_territory, topic=roads, addressee=kg_body)
    with time_machine.travel(datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC), tick=False):
        next_year = submit(alice, territory=village, topic=roads, addressee=body)
    assert [first.number, second.number, kg.number, next_year.number] == [
        "KZ-2026-000001",
        "KZ-2026-000002",
        "KG-2026-000001",
        "KZ-2027-000001",
    ]


def test_a_refused_submission_gives_its_number_back(alice, village, roads, body):
    submit(alice, territory=village, topic=roads, addressee=body)
    with pytest.raises(ValidationError):
        submit(alice, territory=village, topic=roads, addressee=body, subject="")
    third = submit(alice, territory=village, topic=roads, addressee=body)
    assert third.number.endswith("-000002")


# --- the obligation and the acknowledgement -------------------------------------------------------


def test_submission_opens_a_private_obligation_and_acknowledges_with_the_number(alice, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body)
    obligation = Obligation.objects.for_subject(appeal).get()
    assert obligation.kind == Kind.APPEAL and obligation.organization == body
    assert obligation.is_private and not appeal.is_public and appeal.published_at is None
    assert obligation.title == f"{appeal.number}: Street lights"
    assert obligation.author == alice and obligation.deadline > obligation.opened_on
    notices = Notification.objects.filter(recipient=alice)
    acknowledgement = notices.get(event="appeals.acknowledged")
    assert appeal.number in acknowledgement.title
    assert obligation.deadline.strftime("%Y") in acknowledgement.body
    assert notices.filter(event="obligations.opened").exists()
    event = Event.objects.get(action="appeals.appeal.submitted")
    assert event.data["number"] == appeal.number and "alice" not in str(event.data)


def test_published_at_submission_the_obligation_is_public(alice, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_public=True)
    assert appeal.is_public and appeal.published_at is not None
    assert not Obligation.objects.for_subject(appeal).get().is_private


def test_an_organisation_needs_its_member_to_write_for_it(alice, village, roads, body, district):
    ngo = OrganizationFactory(territory=district, kind="ngo")
    with pytest.raises(ValidationError, match="member"):
        submit(alice, territory=village, topic=roads, addressee=body, on_behalf_of=ngo)
    MembershipFactory(organization=ngo, user=alice)
    assert submit(alice, territory=village, topic=roads, addressee=body, on_behalf_of=ngo).on_behalf_of == ngo


def test_anonymous_people_cannot_submit(village, roads, body):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        submit(AnonymousUser(), territory=village, topic=roads, addressee=body)


def test_kind_and_language_are_checked(alice, village, roads, body):
    with pytest.raises(ValidationError, match="kind"):
        submit(alice, territory=village, topic=roads, addressee=body, kind="wish")
    with pytest.raises(ValidationError, match="language"):
        submit(alice, territory=village, topic=roads, addressee=body, language="de")


# --- attachments --------------------------------------------------------------------------------


def test_attachments_are_stored_under_the_appeal(alice, village, roads, body, media):
    appeal = submit(
        alice, territory=village, topic=roads, addressee=body, attachments=[pdf("../../Скан 1.PDF")]
    )
    item = AppealAttachment.objects.get(appeal=appeal)
    assert item.name == "скан-1.pdf" and item.content_type == "application/pdf" and item.size == len(PDF)
    assert item.file.name.startswith(f"appeals/{appeal.pk}/")
    assert str(item.file.path).startswith(str(media))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ" + b"0" * 20), "only PDF"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "does not contain"),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES), "larger than"),
    ],
)
def test_attachments_of_a_wrong_type_or_size_are_refused(alice, village, roads, body, upload, message):
    with pytest.raises(ValidationError, match=message):
        submit(alice, territory=village, topic=roads, addressee=body, attachments=[upload])
    assert not Appeal.objects.exists() and not AppealAttachment.objects.exists()


def test_at_most_five_attachments(alice, village, roads, body):
    with pytest.raises(ValidationError, match="At most 5"):
        submit(alice, territory=village, topic=roads, addressee=body, attachments=[pdf() for _ in range(6)])


# --- publication --------------------------------------------------------------------------------


def test_the_author_publishes_and_unpublishes_and_the_obligation_follows(alice, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body)
    appeal = services.appeal_publish(actor=alice, appeal=appeal)
    assert appeal.is_public and appeal.published_at is not None
    assert not Obligation.objects.for_subject(appeal).get().is_private
    assert Event.objects.filter(action="appeals.appeal.published").exists()
    appeal = services.appeal_unpublish(actor=alice, appeal=appeal)
    assert not appeal.is_public and appeal.published_at is None
    assert Obligation.objects.for_subject(appeal).get().is_private


def test_only_the_author_publishes(alice, charlie, official, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body)
    for person in (charlie, official):
        with pytest.raises(PermissionDenied):
            services.appeal_publish(actor=person, appeal=appeal)


def test_a_redirected_appeal_follows_publication_everywhere(alice, official, village, roads, body, district):
    appeal = submit(alice, territory=village, topic=roads, addressee=body)
    other = BodyFactory(territory=district)
    obligations.obligation_redirect(
        actor=official,
        obligation=Obligation.objects.for_subject(appeal).get(),
        to_organization=other,
        reason="The roads department of the district is competent for street lights.",
    )
    services.appeal_publish(actor=alice, appeal=appeal)
    assert not Obligation.objects.for_subject(appeal).filter(is_private=True).exists()


# --- co-signing ---------------------------------------------------------------------------------


def test_cosigning_once_with_the_link(alice, charlie, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    token = services.appeal_cosign_link(actor=alice, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.cosign_token_hash == services.token_digest(token) and token not in appeal.cosign_token_hash
    services.appeal_cosign(actor=charlie, appeal=appeal, token=token)
    with pytest.raises(ValidationError, match="already co-signed"):
        services.appeal_cosign(actor=charlie, appeal=appeal, token=token)
    assert Cosigner.objects.filter(appeal=appeal).count() == 1


def test_a_wrong_or_replaced_token_is_refused(alice, charlie, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    old = services.appeal_cosign_link(actor=alice, appeal=appeal)
    services.appeal_cosign_link(actor=alice, appeal=appeal)
    appeal.refresh_from_db()
    for token in (old, "guess"):
        with pytest.raises(ValidationError, match="not valid"):
            services.appeal_cosign(actor=charlie, appeal=appeal, token=token)


def test_only_collective_appeals_are_cosigned_and_not_by_their_author(alice, charlie, village, roads, body):
    single = submit(alice, territory=village, topic=roads, addressee=body)
    with pytest.raises(ValidationError, match="collective"):
        services.appeal_cosign_link(actor=alice, appeal=single)
    collective = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    token = services.appeal_cosign_link(actor=alice, appeal=collective)
    collective.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.appeal_cosign(actor=alice, appeal=collective, token=token)
    with pytest.raises(PermissionDenied):
        services.appeal_cosign_link(actor=charlie, appeal=collective)


def test_an_answered_appeal_can_no_longer_be_cosigned(alice, charlie, official, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body, is_collective=True)
    token = services.appeal_cosign_link(actor=alice, appeal=appeal)
    appeal.refresh_from_db()
    obligations.obligation_respond(
        actor=official,
        obligation=Obligation.objects.for_subject(appeal).get(),
        decision="accepted",
        reasons="The lights will be repaired by the city service next week.",
    )
    with pytest.raises(ValidationError, match="no longer"):
        services.appeal_cosign(actor=charlie, appeal=appeal, token=token)


# --- routing rules --------------------------------------------------------------------------------


def test_routing_rules_are_checked_and_audited(staff, region, body):
    from kenes.appeals.models import RoutingRule
    from kenes.territories.tests.factories import TerritoryFactory

    rule = services.routing_rule_save(
        actor=staff, rule=RoutingRule(country="KZ", territory=region, organization=body)
    )
    assert Event.objects.filter(action="appeals.routingrule.created", subject_id=str(rule.pk)).exists()
    with pytest.raises(ValidationError):
        services.routing_rule_save(
            actor=staff,
            rule=RoutingRule(
                country="KG", territory=TerritoryFactory(country="KG", code="41200000000"), organization=body
            ),
        )
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(actor=UserFactory(), rule=RoutingRule(country="KZ", organization=body))
    services.routing_rule_delete(actor=staff, rule=rule)
    assert not RoutingRule.objects.exists()
