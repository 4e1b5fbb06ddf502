"""Open data: public petitions with status, response and counts, no personal data, safe CSV."""

import csv
import io

import pytest
from django.urls import reverse

from kenes.common.csvsafe import safe_cell
from kenes.obligations.models import Kind
from kenes.obligations.services import obligation_open, obligation_respond
from kenes.petitions.services import signatures_count

from .factories import PetitionFactory, SignatureFactory

REASONS = "The road will be repaired and lit in May, as the regional budget for next year provides."


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def data(open_petition, make_signer, officer, body, elsewhere):
    for _ in range(2):
        SignatureFactory(
            petition=open_petition, user=make_signer(display_name="Secret Signer"), show_name=True
        )
    SignatureFactory(petition=open_petition, user=make_signer(home_territory=elsewhere))
    signatures_count(lag_seconds=0)
    obligation = obligation_open(
        actor=None, subject=open_petition, organization=body, kind=Kind.PETITION, title="t"
    )
    obligation_respond(actor=officer, obligation=obligation, decision="partly_accepted", reasons=REASONS)
    draft = PetitionFactory(state="draft", title="Unpublished draft")
    hidden = PetitionFactory(is_hidden=True, title="Hidden petition")
    return open_petition, obligation, draft, hidden


def test_petitions_csv(client, data, region, django_assert_max_num_queries):
    petition, obligation, _draft, _hidden = data
    PetitionFactory(state="closed", title='=HYPERLINK("http://evil")')

    with django_assert_max_num_queries(4):
        response = client.get(reverse("petitions:opendata_petitions_csv"))
        rows = read_csv(response)

    assert response["Content-Type"].startswith("text/csv")
    assert {row["is_sample"] for row in rows} == {"False"}
    by_id = {int(row["id"]): row for row in rows}
    assert len(rows) == 2
    row = by_id[petition.pk]
    assert (row["state"], row["signatures"], row["threshold"], row["territory_code"]) == (
        "open",
        "3",
        "100",
        region.code,
    )
    assert (row["response_decision"], row["obligation_id"], row["response_on_time"]) == (
        "partly_accepted",
        str(obligation.pk),
        "True",
    )
    assert row["response_date"]
    evil = next(r for r in rows if r["state"] == "closed")
    assert evil["title"].startswith("'=")


def test_petitions_json_has_no_personal_data(client, data, alice):
    petition, _obligation, _draft, _hidden = data
    response = client.get(reverse("petitions:opendata_petitions_json"))
    body = response.content.decode()
    petitions = response.json()["petitions"]

    assert [p["id"] for p in petitions] == [petition.pk]
    assert petitions[0]["signatures"] == 3 and petitions[0]["response_decision"] == "partly_accepted"
    for personal in ("Secret Signer", alice.email, "Alice", "Unpublished draft", "Hidden petition"):
        assert personal not in body


def test_territories_csv(client, data, region, elsewhere, django_assert_max_num_queries):
    petition, *_rest = data
    with django_assert_max_num_queries(2):
        rows = read_csv(client.get(reverse("petitions:opendata_territories_csv")))
    assert {(r["petition_id"], r["territory_code"], r["signatures"]) for r in rows} == {
        (str(petition.pk), region.code, "2"),
        (str(petition.pk), elsewhere.code, "1"),
    }


def test_count_json_is_cacheable_for_the_interval(client, data, settings):
    settings.PETITIONS_COUNT_INTERVAL_SECONDS = 10
    petition, _obligation, draft, hidden = data
    response = client.get(reverse("petitions:count_json", args=[petition.pk]))

    assert response.json()["signatures"] == 3 and response.json()["counted_until"]
    assert "max-age=10" in response["Cache-Control"] and "public" in response["Cache-Control"]
    for private in (draft, hidden):
        assert client.get(reverse("petitions:count_json", args=[private.pk])).status_code == 404


def test_open_data_refuses_writes(client, data):
    assert client.post(reverse("petitions:opendata_petitions_json")).status_code == 405


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701", "'+7 701"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("Road", "Road"),
        (5, 5),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
