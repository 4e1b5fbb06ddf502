import datetime

import pytest
from django.utils import timezone
from tests.testapp.factories import SubmissionFactory

from kenes.accounts.models import ApiToken
from kenes.accounts.services import token_digest
from kenes.obligations.models import Obligation, Rating, Response
from kenes.obligations.tests.factories import ObligationFactory, ResponseFactory
from kenes.organizations.models import Membership, Organization
from kenes.organizations.tests.factories import MembershipFactory, OrganizationFactory
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/obligations"
REASONS = "The road will be repaired in May under the district programme approved by the maslikhat."


@pytest.fixture
def region(db):
    return TerritoryFactory(code="920000000", name="Region")


@pytest.fixture
def district(region):
    return TerritoryFactory(code="920100000", parent=region, kind="district", name="District")


@pytest.fixture
def body(district, bob):
    org = OrganizationFactory(territory=district, kind=Organization.Kind.LOCAL_EXECUTIVE, name_en="Akimat")
    MembershipFactory(organization=org, user=bob, role=Membership.Role.HEAD)
    return org


def appeal(body, author=None, **kwargs):
    submission = SubmissionFactory(organization=body, **({"author": author} if author else {}))
    return ObligationFactory(submission=submission, **kwargs)


def token_for(user):
    key = f"test-token-{user.pk}"
    ApiToken.objects.create(user=user, name="test", key_hash=token_digest(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_register_filters_and_hides_private_items(client, body, region):
    public = appeal(body, title="Bridge")
    appeal(body, is_private=True)
    appeal(OrganizationFactory(kind=Organization.Kind.STATE_BODY), title="Elsewhere")
    data = client.get(f"{API}/", {"territory": region.code}).json()
    assert [item["id"] for item in data["items"]] == [public.pk]
    assert data["items"][0]["organization"] == {"id": body.pk, "name": "Akimat"}
    assert data["items"][0]["url"] == f"/en/obligations/{public.pk}/"
    assert client.get(f"{API}/", {"organization": body.pk}).json()["count"] == 1
    assert client.get(f"{API}/", {"state": "answered"}).json()["count"] == 0
    assert client.get(f"{API}/", {"q": "brid"}).json()["count"] == 1
    assert client.get(f"{API}/", {"kind": "nonsense"}).status_code == 422


def test_the_register_clamps_paging_and_keeps_its_query_count(client, body, django_assert_max_num_queries):
    for _n in range(5):
        appeal(body)
    data = client.get(f"{API}/", {"per_page": 1000, "page": "x"}).json()
    assert (data["per_page"], data["page"], data["count"]) == (100, 1, 5)
    data = client.get(f"{API}/", {"per_page": 2, "page": 99}).json()
    assert (data["page"], data["pages"], len(data["items"])) == (3, 3, 1)
    with django_assert_max_num_queries(2) as few:
        client.get(f"{API}/")
    for _n in range(20):
        appeal(body)
    with django_assert_max_num_queries(len(few)):
        client.get(f"{API}/")


def test_the_detail_has_timeline_and_response_and_hides_private_items(client, body, alice, bob):
    answered = appeal(body, author=alice, state=Obligation.State.ANSWERED)
    ResponseFactory(obligation=answered, responder=bob, working_days_taken=7)
    data = client.get(f"{API}/{answered.pk}").json()
    assert data["response"]["decision"] == "accepted"
    assert data["response"]["working_days_taken"] == 7
    assert data["response"]["responder"] == "Bob"
    assert data["timeline"] == [] and data["working_days_left"] is None
    private = appeal(body, author=alice, is_private=True)
    response = client.get(f"{API}/{private.pk}")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": []}}
    assert client.get(f"{API}/{private.pk}", **token_for(alice)).status_code == 200
    client.force_login(bob)
    assert client.get(f"{API}/{private.pk}").json()["working_days_left"] >= 0


def test_an_official_responds_through_the_api_and_the_author_rates(client, body, alice, bob):
    item = appeal(body, author=alice)
    response = client.post(
        f"{API}/{item.pk}/respond",
        {"decision": "partly_accepted", "reasons": REASONS},
        content_type="application/json",
        **token_for(bob),
    )
    assert response.status_code == 201, response.content
    answer = Response.objects.get(obligation=item)
    assert response.json()["id"] == answer.pk and answer.decision == "partly_accepted"
    rating = client.post(
        f"{API}/responses/{answer.pk}/rating",
        {"score": 5, "comment": "Thanks"},
        content_type="application/json",
        **token_for(alice),
    )
    assert rating.status_code == 200 and rating.json() == {"score": 5, "comment": "Thanks"}
    assert Rating.objects.get(response=answer).score == 5


def test_actions_by_non_officials_are_forbidden(client, body, alice, charlie):
    item = appeal(body, author=alice)
    headers = token_for(charlie)
    for path, payload in [
        ("respond", {"decision": "accepted", "reasons": REASONS}),
        ("extend", {"new_deadline": "2099-01-01", "reason": REASONS}),
        ("redirect", {"to_organization": body.pk, "reason": REASONS}),
    ]:
        response = client.post(f"{API}/{item.pk}/{path}", payload, content_type="application/json", **headers)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "forbidden"
    answer = ResponseFactory(obligation=appeal(body, author=alice, state="answered"))
    response = client.post(
        f"{API}/responses/{answer.pk}/rating", {"score": 1}, content_type="application/json", **headers
    )
    assert response.status_code == 403
    response = client.post(
        f"{API}/{item.pk}/respond",
        {"decision": "accepted", "reasons": REASONS},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_invalid_actions_give_the_error_format(client, body, bob):
    item = appeal(body)
    headers = token_for(bob)
    response = client.post(
        f"{API}/{item.pk}/respond",
        {"decision": "accepted", "reasons": "ok"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    response = client.post(
        f"{API}/{item.pk}/redirect",
        {"to_organization": 10**8, "reason": REASONS},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert client.post(
        f"{API}/{10**8}/respond", {}, content_type="application/json", **headers
    ).status_code in (404, 422)


def test_an_official_extends_and_redirects(client, body, bob, region):
    item = appeal(body)
    headers = token_for(bob)
    new_deadline = item.deadline + datetime.timedelta(days=7)
    response = client.post(
        f"{API}/{item.pk}/extend",
        {"new_deadline": new_deadline.isoformat(), "reason": REASONS},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] >= item.deadline.isoformat()
    competent = OrganizationFactory(territory=region, kind=Organization.Kind.STATE_BODY)
    other = appeal(body)
    response = client.post(
        f"{API}/{other.pk}/redirect",
        {"to_organization": competent.pk, "reason": REASONS},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["organization"]["id"] == competent.pk


def test_accountability_figures_through_the_api(client, body, region, django_assert_max_num_queries):
    for days, on_time in [(4, True), (6, False)]:
        ResponseFactory(obligation=appeal(body, state="answered"), working_days_taken=days, on_time=on_time)
    appeal(body)
    with django_assert_max_num_queries(5):
        data = client.get(f"{API}/accountability/organizations/{body.pk}").json()
    assert data["answered"] == 2 and data["open"] == 1 and data["median_days"] == 5.0
    assert data["on_time_rate"] == 0.5 and data["acceptance_rate"] == 1.0 and data["average_rating"] is None
    assert client.get(f"{API}/accountability/territories/{region.code}").json() == data
    assert client.get(f"{API}/accountability/territories/none").status_code == 404


def test_the_inbox_is_for_members_with_pinned_queries(
    client, body, bob, charlie, django_assert_max_num_queries
):
    today = timezone.localdate()
    appeal(
        body,
        title="Late",
        deadline=today - datetime.timedelta(days=1),
        opened_on=today - datetime.timedelta(days=30),
        original_deadline=today - datetime.timedelta(days=1),
        assigned_to=bob,
    )
    appeal(body, title="Fresh")
    assert client.get(f"{API}/inbox/{body.pk}", **token_for(charlie)).status_code == 403
    assert client.get(f"{API}/inbox/{body.pk}").status_code == 401
    headers = token_for(bob)
    data = client.get(f"{API}/inbox/{body.pk}", **headers).json()
    assert [item["title"] for item in data["items"]] == ["Late", "Fresh"]
    assert data["items"][0]["is_overdue"] is True and data["items"][0]["assigned_to"] == "Bob"
    assert data["items"][1]["working_days_left"] >= 0
    assert client.get(f"{API}/inbox/{body.pk}", {"overdue_only": True}, **headers).json()["count"] == 1
    assert client.get(f"{API}/inbox/{body.pk}", {"assigned_to": bob.pk}, **headers).json()["count"] == 1
    with django_assert_max_num_queries(10) as few:
        client.get(f"{API}/inbox/{body.pk}", **headers)
    for _n in range(15):
        appeal(body)
    with django_assert_max_num_queries(len(few)):
        assert client.get(f"{API}/inbox/{body.pk}", **headers).json()["count"] == 17
