import csv
import io

import pytest
from django.urls import reverse

from kenes.registry.opendata import REPORT_FIELDS

from .factories import NGOFactory, ReportFactory


@pytest.fixture
def data(ngo):
    ReportFactory(ngo=ngo, year=2024, contact_person="Aigerim", contact_phone="+7 701", donors="Nurlan")
    ReportFactory(
        ngo=ngo,
        year=2023,
        version=1,
        is_current=False,
        activity_areas="Old version",
        projects="=cmd|' /C calc'!A0",
    )
    ReportFactory(ngo=ngo, year=2023, version=2, projects="=cmd|' /C calc'!A0", correction_reason="Fixed")
    NGOFactory(organization__name="@SUM(1+1)")
    return ngo


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_ngos_csv_is_formula_safe(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        rows = _csv(client.get(reverse("registry:opendata_ngos_csv")))
    assert {row["name"] for row in rows} == {"Bright Future", "'@SUM(1+1)"}
    assert rows[0]["sectors"] == "education" and rows[0]["bin"] == data.bin


def test_reports_csv_has_current_versions_and_no_private_fields(client, data):
    response = client.get(reverse("registry:opendata_reports_csv"))
    rows = _csv(response)
    assert [(row["year"], row["version"]) for row in rows] == [("2023", "2"), ("2024", "1")]
    assert rows[0]["projects"].startswith("'=") and list(rows[0]) == REPORT_FIELDS
    text = str(rows)
    assert "Aigerim" not in text and "Nurlan" not in text and "Old version" not in text


def test_json_files(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        ngos = client.get(reverse("registry:opendata_ngos_json")).json()["ngos"]
    assert len(ngos) == 2
    reports = client.get(reverse("registry:opendata_reports_json")).json()["reports"]
    assert reports[1]["income_total"] == "1000000.00" and "donors" not in reports[1]
    stats = client.get(reverse("registry:opendata_statistics_json")).json()
    assert stats["total"] == 2 and {"status": "operating", "count": 2} in stats["by_status"]
