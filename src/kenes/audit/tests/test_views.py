import pytest
from django.urls import reverse

from kenes.audit.services import audit_seal_pending, record

from .factories import record_events, seal

pytestmark = pytest.mark.django_db


def test_it_explains_the_log_and_lists_blocks_to_anyone(client):
    record_events(3)
    block = seal()
    record_events(2)
    response = client.get(reverse("audit:blocks"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "kenes audit verify" in html
    assert response.context["counts"].events == 5
    assert response.context["counts"].sealed == 3
    assert response.context["counts"].pending == 2
    assert f"<code>{block.merkle_root}</code>" in html
    assert f"<code>{block.hash}</code>" in html
    assert reverse("audit:block", kwargs={"number": 1}) in html


def test_it_shows_an_empty_state_before_the_first_block(client):
    response = client.get(reverse("audit:blocks"))
    assert response.status_code == 200
    assert "No block has been sealed yet." in response.content.decode()


def test_it_lists_newest_blocks_first_and_paginates(client):
    for _ in range(3):
        record_events(1)
        audit_seal_pending()
    response = client.get(reverse("audit:blocks"), {"per_page": 2})
    assert [b.number for b in response.context["page"].object_list] == [3, 2]
    html = response.content.decode()
    assert 'aria-current="page"' in html
    assert "page=2" in html
    second = client.get(reverse("audit:blocks"), {"per_page": 2, "page": 2})
    assert [b.number for b in second.context["page"].object_list] == [1]


def test_it_lists_blocks_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        record_events(3)
        audit_seal_pending()
    with django_assert_max_num_queries(3):
        response = client.get(reverse("audit:blocks"))
    assert len(response.context["page"].object_list) == 5


def test_it_shows_a_block_with_its_events_but_nothing_personal(client, alice):
    event = record(
        event="tests.user.renamed",
        actor=alice,
        obj=alice,
        data={"old": "secret-personal-value"},
        actor_label="web",
    )
    block = seal()
    response = client.get(reverse("audit:block", kwargs={"number": block.number}))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Audit block 1" in html
    assert "tests.user.renamed" in html
    assert "accounts.user" in html
    assert f"<code>{event.hash}</code>" in html
    assert f"<code>{block.merkle_root}</code>" in html
    assert "secret-personal-value" not in html
    assert alice.email not in html
    assert alice.display_name not in html


def test_it_paginates_a_block_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    events = record_events(30)
    audit_seal_pending()
    url = reverse("audit:block", kwargs={"number": 1})
    with django_assert_max_num_queries(3):
        response = client.get(url, {"page": 2, "per_page": 20})
    assert [e.pk for e in response.context["page"].object_list] == [e.pk for e in events[20:]]


def test_it_answers_404_for_a_missing_block(client):
    assert client.get(reverse("audit:block", kwargs={"number": 7})).status_code == 404


def test_it_lets_staff_read_but_not_change_audit_rows_in_the_admin(client, staff):
    event = record_events(1)[0]
    audit_seal_pending()
    client.force_login(staff)
    assert client.get(reverse("admin:audit_event_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_event_changelist"), {"q": "tests.thing"}).status_code == 200
    assert client.get(reverse("admin:audit_event_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:audit_block_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_seal_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_event_add")).status_code == 403
    assert client.get(reverse("admin:audit_event_delete", args=[event.pk])).status_code == 403
    response = client.post(reverse("admin:audit_event_change", args=[event.pk]), {"action": "tests.forged"})
    assert response.status_code == 403
