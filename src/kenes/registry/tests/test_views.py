import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kenes.organizations.tests.factories import SectorFactory
from kenes.registry.models import AnnualReport, ImportJob, NGOProfile, RegistryStatus

from .factories import NGOFactory, ReportFactory

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
REPORT_POST = {
    "year": "2025",
    "activity_areas": "Inclusive education",
    "projects_count": "2",
    "projects": "Camp",
    "beneficiaries_reached": "120",
    "income_state": "0",
    "income_grants": "500000",
    "income_foreign": "0",
    "income_donations": "10000",
    "income_own": "0",
    "expenses": "480000",
    "contact_person": "Aigerim Sadykova",
    "contact_phone": "+7 701 555 12 34",
    "donors": "Nurlan Bekov",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(ngo):
    return ReportFactory(
        ngo=ngo,
        year=2024,
        contact_person="Aigerim Sadykova",
        contact_phone="+7 701 555 12 34",
        donors="Nurlan",
    )


# --- list -------------------------------------------------------------------------------------------------


def test_the_list_filters_by_territory_subtree_sector_and_status(client, ngo, region, sector):
    other = NGOFactory(organization__name="Elsewhere Help")
    NGOFactory(organization__name="Quiet One", status=RegistryStatus.POSSIBLY_NON_OPERATING)
    url = reverse("registry:list")
    page = client.get(url, {"territory": region.code}).content.decode()
    assert "Bright Future" in page and "Elsewhere Help" not in page
    page = client.get(url, {"sector": sector.code}).content.decode()
    assert "Bright Future" in page and "Quiet One" not in page
    page = client.get(url, {"status": "possibly_non_operating"}).content.decode()
    assert "Quiet One" in page and "Bright Future" not in page
    page = client.get(url, {"q": other.organization.registration_number}).content.decode()
    assert "Elsewhere Help" in page and "Bright Future" not in page


def test_the_list_has_an_empty_state_and_ignores_nonsense(client, db):
    response = client.get(reverse("registry:list"), {"q": "nothing", "status": "<x>", "per_page": "-1"})
    assert response.status_code == 200
    assert "No NGO matches this search." in response.content.decode()


def test_the_list_pages_in_a_fixed_number_of_queries(client, district, django_assert_max_num_queries):
    sectors = [SectorFactory() for _ in range(3)]
    for _ in range(25):
        NGOFactory(organization__territory=district).organization.sectors.set(sectors)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:list"))
    assert response.status_code == 200
    assert 'rel="next"' in response.content.decode()


# --- NGO and report pages ----------------------------------------------------------------------------


def test_the_ngo_page_shows_public_data_and_reports(client, ngo, report, django_assert_max_num_queries):
    ReportFactory(ngo=ngo, year=2023)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registry:detail", args=[ngo.pk]))
    page = response.content.decode()
    assert ngo.bin in page and "Education" in page
    assert 'data-year="2024"' in page and 'data-year="2023"' in page
    assert "Aigerim" not in page
    assert client.get(reverse("registry:detail", args=[99999])).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"), [(None, False), ("charlie", False), ("member", True), ("head", True), ("staff", True)]
)
def test_private_fields_only_for_members_and_staff(client, report, who, sees, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("registry:report", args=[report.pk])).content.decode()
    assert ("Aigerim Sadykova" in page) is sees
    assert ("+7 701 555 12 34" in page) is sees
    assert "Inclusive" not in page and "Education" in page


@time_machine.travel(NOW)
def test_the_head_submits_a_report_through_the_form(client, head, ngo):
    client.force_login(head)
    url = reverse("registry:report_create", args=[ngo.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, REPORT_POST)
    report = AnnualReport.objects.get(ngo=ngo, year=2025)
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:report", args=[report.pk]
    )
    assert report.donors == "Nurlan Bekov" and report.submitted_by == head


@time_machine.travel(NOW)
def test_a_bad_report_keeps_what_was_typed(client, head, ngo):
    client.force_login(head)
    url = reverse("registry:report_create", args=[ngo.pk])
    response = client.post(url, {**REPORT_POST, "year": "2026", "expenses": "-3"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Inclusive education" in page
    ReportFactory(ngo=ngo, year=2025)
    response = client.post(url, REPORT_POST)
    assert response.status_code == 400 and "Correct it instead" in response.content.decode()


@time_machine.travel(NOW)
def test_only_the_ngos_head_or_officer_may_submit(client, member, charlie, ngo):
    url = reverse("registry:report_create", args=[ngo.pk])
    assert client.get(url).status_code == 302  # to the login page
    for person in (member, charlie):
        client.force_login(person)
        assert client.post(url, REPORT_POST).status_code == 403
    assert not AnnualReport.objects.exists()


@time_machine.travel(NOW)
def test_a_correction_through_the_form(client, head, report):
    client.force_login(head)
    url = reverse("registry:report_correct", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Reason for the correction" in page
    data = {**REPORT_POST, "beneficiaries_reached": "999"}
    del data["year"]
    assert client.post(url, data).status_code == 400  # no reason
    response = client.post(url, {**data, "reason": "Recounted"})
    new = AnnualReport.objects.get(ngo=report.ngo, year=2024, is_current=True)
    assert response.status_code == 302 and new.version == 2 and new.beneficiaries_reached == 999
    old_page = client.get(reverse("registry:report", args=[report.pk])).content.decode()
    assert "This version has been corrected" in old_page and "Recounted" in old_page
    assert client.get(url).status_code == 404  # an old version is not corrected


def test_staff_change_the_status_others_may_not(client, staff, head, ngo):
    url = reverse("registry:status", args=[ngo.pk])
    client.force_login(head)
    assert client.post(url, {"status": "suspended", "reason": "x"}).status_code == 403
    client.force_login(staff)
    assert client.post(url, {"status": "suspended", "reason": ""}).status_code == 400
    assert client.post(url, {"status": "suspended", "reason": "Court order"}).status_code == 302
    ngo.refresh_from_db()
    assert ngo.status == RegistryStatus.SUSPENDED
    page = client.get(reverse("registry:detail", args=[ngo.pk])).content.decode()
    assert "Court order" in page


# --- imports --------------------------------------------------------------------------------------------


def test_imports_are_for_staff_only(client, charlie, staff):
    url = reverse("registry:imports")
    assert client.get(url).status_code == 302
    client.force_login(charlie)
    assert client.get(url).status_code == 403
    assert client.get(reverse("registry:import_template", args=["ngos"])).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200
    template = client.get(reverse("registry:import_template", args=["reports"])).content.decode()
    assert template.startswith("bin,year,activity_areas")


def test_a_checked_upload_then_the_import(
    client, staff, charlie, district, sector, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    upload = SimpleUploadedFile("ngos.csv", (FIXTURES / "ngos.csv").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:imports"), {"kind": "ngos", "mode": "check", "file": upload})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("registry:import", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-bad="5"' in page and 'data-line="5"' in page and "http-equiv" not in page
    assert "name: This value is required." in page
    bad = client.get(reverse("registry:import_bad_rows", args=[job.pk]))
    assert bad["Content-Disposition"].endswith('-bad-rows.csv"') and "'=HYPERLINK" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_action", args=[job.pk]), {"action": "import"})
    assert NGOProfile.objects.count() == 3
    client.force_login(charlie)
    assert client.get(reverse("registry:import", args=[job.pk])).status_code == 403


def test_a_running_import_page_reloads_itself(client, staff):
    job = ImportJob.objects.create(
        kind="ngos", created_by=staff, original_name="big.csv", total_rows=10, rows_done=4
    )
    client.force_login(staff)
    page = client.get(reverse("registry:import", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and 'value="40"' in page
    assert (
        'http-equiv="refresh"'
        not in client.get(reverse("registry:import", args=[job.pk]), {"static": 1}).content.decode()
    )


def test_an_upload_of_another_format_keeps_the_form(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("ngos.pdf", b"%PDF")
    response = client.post(reverse("registry:imports"), {"kind": "ngos", "mode": "check", "file": upload})
    assert response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()


# --- statistics -----------------------------------------------------------------------------------------


def test_statistics_count_a_region_with_its_districts(
    client, ngo, region, district, django_assert_max_num_queries
):
    NGOFactory(organization__territory=region)
    NGOFactory(organization__territory=region, status=RegistryStatus.LIQUIDATED)
    ReportFactory(ngo=ngo, year=2024)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("registry:statistics")).content.decode()
    assert f'<tr data-key="{region.code}">' in page
    region_row = page.split(f'<tr data-key="{region.code}">')[1].split("</tr>")[0]
    assert 'data-count="3"' in region_row
    drill = client.get(reverse("registry:statistics"), {"territory": region.code}).content.decode()
    district_row = drill.split(f'<tr data-key="{district.code}">')[1].split("</tr>")[0]
    assert 'data-count="1"' in district_row
    assert "<svg" in page and 'aria-hidden="true"' in page


def test_staff_enter_one_ngo_and_a_bad_bin_keeps_the_form(client, staff, charlie, district, sector, region):
    from .factories import valid_bin

    good = valid_bin(42)
    url = reverse("registry:create")
    client.force_login(charlie)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    data = {
        "name": "Steppe Volunteers",
        "registration_number": good[:11] + str((int(good[11]) + 1) % 10),
        "legal_form": "public_association",
        "founded_on": "2019-05-04",
        "territory": district.code,
        "sectors": [sector.pk],
        "work_territories": [region.pk],
        "beneficiary_groups": ["youth"],
        "website": "steppe.example",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = client.post(url, {**data, "beneficiary_groups": ["rural"]})
    page = response.content.decode()
    assert response.status_code == 400 and "Steppe Volunteers" in page and "check digit" in page
    response = client.post(url, {**data, "registration_number": good, "beneficiary_groups": ["rural"]})
    ngo = NGOProfile.objects.get(organization__registration_number=good)
    assert response["Location"] == reverse("registry:detail", args=[ngo.pk])
    assert ngo.organization.website == "https://steppe.example" and ngo.organization.territory == district
    assert list(ngo.work_territories.all()) == [region] and ngo.beneficiary_groups == ["rural"]


def test_markup_in_names_and_search_is_escaped(client, district):
    NGOFactory(organization__name="<script>alert(1)</script>", organization__territory=district)
    page = client.get(reverse("registry:list"), {"q": "<script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    stats = client.get(reverse("registry:statistics"), {"territory": "<b>x</b>"})
    assert stats.status_code == 200 and "<b>x</b>" not in stats.content.decode()
