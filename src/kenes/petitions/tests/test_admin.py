"""Admin: the terms, limits and blocked domains are editable; petitions and counts are read-only;
signatures are not in the admin at all (no page lists who signed what)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kenes.petitions.models import (
    BlockedEmailDomain,
    CountWatermark,
    Petition,
    PetitionRule,
    RegionCount,
    Signature,
    SigningLimit,
)
from kenes.petitions.services import signatures_count

from .factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def test_signatures_are_not_in_the_admin():
    assert not admin.site.is_registered(Signature)


@pytest.mark.parametrize(
    "model", [PetitionRule, SigningLimit, BlockedEmailDomain, Petition, RegionCount, CountWatermark]
)
def test_changelists_load_with_search_and_filters(client, staff, model, open_petition, make_signer):
    SignatureFactory(petition=open_petition, user=make_signer())
    signatures_count(lag_seconds=0)
    client.force_login(staff)
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:petitions_{model._meta.model_name}_changelist")
    assert model_admin.search_fields and model_admin.list_filter
    assert client.get(url, {"q": "x"}).status_code == 200
    assert client.get(url).status_code == 200


def test_administrators_change_the_terms(client, staff):
    client.force_login(staff)
    rule = PetitionRule.objects.get(country="KZ", level="national")
    response = client.post(
        reverse("admin:petitions_petitionrule_change", args=[rule.pk]),
        {
            "country": "KZ",
            "level": "national",
            "threshold": 40000,
            "duration_months": 6,
            "min_verification_level": 2,
            "legal_basis": rule.legal_basis,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == 40000


def test_petitions_and_counts_are_read_only(client, staff, open_petition):
    client.force_login(staff)
    assert client.get(reverse("admin:petitions_petition_add")).status_code == 403
    html = client.get(reverse("admin:petitions_petition_change", args=[open_petition.pk])).content
    assert b'name="title"' not in html and b'name="signature_count"' not in html


def test_the_approve_action_goes_through_the_service(client, staff, alice):
    pending = PetitionFactory(state="pending", author=alice)
    draft = PetitionFactory(state="draft", author=alice)
    client.force_login(staff)
    response = client.post(
        reverse("admin:petitions_petition_changelist"),
        {"action": "approve", "_selected_action": [pending.pk, draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    draft.refresh_from_db()
    assert (pending.state, pending.moderated_by, draft.state) == ("open", staff, "draft")
