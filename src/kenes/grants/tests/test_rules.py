"""Who may do what, swept over roles and stages (the table in docs/grants.md)."""

from decimal import Decimal

import pytest

from kenes.grants import services
from kenes.grants.models import Call
from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world, charlie, user_factory):
    member = user_factory(display_name="Plain member")
    MembershipFactory(organization=world.ngos[0], user=member, role=Membership.Role.MEMBER)
    body_member = user_factory(display_name="Body member")
    MembershipFactory(organization=world.body, user=body_member, role=Membership.Role.MEMBER)
    staff = user_factory(display_name="Staff", is_staff=True)  # staff, not a superuser
    staff = user_factory(display_name="Staff", is_staff=True)  # staff, not a superuser
    return {
        "official": world.official,
        "body_member": body_member,
        "applicant": world.officers[0],
        "ngo_member": member,
        "other_ngo": world.officers[1],
        "expert": world.experts[0],
        "outsider": charlie,
        "staff": staff,
    }


def _who(people, perm, obj):
    return {name for name, user in people.items() if user.has_perm(perm, obj)}


def test_a_draft_call_is_seen_only_by_the_body_and_staff(world, people):
    Call.objects.filter(pk=world.call.pk).update(state=Call.State.DRAFT)
    world.call.refresh_from_db()
    assert _who(people, "grants.view_call", world.call) == {"official", "staff"}
    assert _who(people, "grants.manage_call", world.call) == {"official"}


def test_who_sees_and_changes_an_application(world, people):
    application = world.apply(0)
    assert _who(people, "grants.view_application", application) == {
        "official",
        "applicant",
        "ngo_member",
        "staff",
    }
    assert _who(people, "grants.change_application", application) == {"applicant"}
    assert _who(people, "grants.manage_application", application) == {"official"}
    services.expert_assign(actor=world.official, call=world.call, expert=world.experts[0])
    assert "expert" in _who(people, "grants.view_application", application)
    assert "expert" in _who(people, "grants.view_application_document", application)


def test_scores_are_hidden_until_the_award_from_all_but_the_body(world, people):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    assignment = services.expert_assign(actor=world.official, call=world.call, expert=world.experts[0])
    services.assignment_declare(actor=world.experts[0], assignment=assignment)
    assert _who(people, "grants.view_scores", application) == {"official", "staff"}
    services.sheet_save(
        actor=world.experts[0],
        application=application,
        values={c.pk: Decimal(5) for c in world.criteria},
        submit=True,
    )
    assert _who(people, "grants.view_scores", application) == {"official", "staff", "expert"}
    services.call_rank(actor=world.official, call=world.call)
    services.call_award(
        actor=world.official,
        call=world.call,
        winners={application.pk: Decimal(1000)},
        reasons="The only eligible project is funded.",
    )
    application.refresh_from_db()
    assert _who(people, "grants.view_scores", application) == set(people)


def test_an_expert_who_is_also_an_official_does_not_see_scores_before_submitting(world, people):
    application = world.apply(0)
    world.close()
    services.application_rule_eligibility(actor=world.official, application=application, eligible=True)
    services.expert_assign(actor=world.official, call=world.call, expert=world.official)
    assert not world.official.has_perm("grants.view_scores", application)


def test_only_the_applicant_complains_and_reports(world, people):
    application = world.apply(0)
    assert _who(people, "grants.complain_application", application) == {"applicant"}
