"""Admin: routing rules are maintained here (checked and audited through the services); appeals,
attachments, co-signers and numbering are read-only and searchable."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kenes.appeals.models import Appeal, AppealAttachment, Cosigner, NumberSequence, RoutingRule
from kenes.appeals.tests.factories import submit
from kenes.audit.models import Event
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_every_model_is_registered_with_search_and_filters():
    for model in (Appeal, AppealAttachment, Cosigner, NumberSequence, RoutingRule):
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields and model_admin.list_filter


def test_appeals_are_read_only_and_searchable(client, staff, alice, village, roads, body):
    appeal = submit(alice, territory=village, topic=roads, addressee=body)
    client.force_login(staff)
    for model in (Appeal, AppealAttachment, Cosigner, NumberSequence):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:appeals_{name}_add")).status_code == 403
        assert client.get(reverse(f"admin:appeals_{name}_changelist"), {"q": "x"}).status_code == 200
    response = client.get(reverse("admin:appeals_appeal_changelist"), {"q": appeal.number})
    assert appeal.subject in response.content.decode()
    page = client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).content.decode()
    assert 'name="subject"' not in page and "cosign_token_hash" not in page


def test_routing_rules_are_added_checked_and_deleted_with_audit(client, staff, region, roads, body):
    client.force_login(staff)
    add = reverse("admin:appeals_routingrule_add")
    response = client.post(
        add, {"country": "KZ", "territory": region.pk, "topic": roads.pk, "organization": body.pk}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert Event.objects.filter(action="appeals.routingrule.created", subject_id=str(rule.pk)).exists()
    kg = TerritoryFactory(country="KG", code="41300000000")
    refused = client.post(add, {"country": "KZ", "territory": kg.pk, "topic": "", "organization": body.pk})
    assert refused.status_code == 200 and "rule&#x27;s country" in refused.content.decode()
    client.post(reverse("admin:appeals_routingrule_delete", args=[rule.pk]), {"post": "yes"})
    assert not RoutingRule.objects.exists()
    assert Event.objects.filter(action="appeals.routingrule.deleted").exists()
