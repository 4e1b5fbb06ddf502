"""The NGO registry in a browser: a staff member checks a CSV of NGOs with bad rows (every bad row listed
with its line and reasons), imports its good rows, downloads the bad rows with their reasons, then
imports a file of reports; the head of an imported NGO submits last year's report and corrects it
with a reason; a visitor reads the NGO's page (no private fields), the old version and the
statistics."""

import re
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from kenes.organizations.models import Membership
from kenes.organizations.tests.factories import MembershipFactory, SectorFactory
from kenes.registry.models import AnnualReport, NGOProfile
from kenes.registry.tests.factories import NGOFactory
from kenes.territories.models import Territory
from kenes.territories.tests.factories import TerritoryFactory
from tests.browser.helpers import log_in, person

FIXTURES = Path(__file__).resolve().parents[2] / "src" / "kenes" / "registry" / "tests" / "fixtures"


@pytest.fixture
def journey(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    region = TerritoryFactory(code="710000000", name_en="Region")
    TerritoryFactory(code="711000000", parent=region, kind=Territory.Kind.DISTRICT, name_en="District")
    SectorFactory(code="education", name_en="Education")
    return {
        "staff": person("registrar@example.org", "Registrar", is_staff=True),
        "head": person("head@example.org", "Aigerim"),
    }


def upload(page, kind, name, mode):
    page.goto("/en/registry/imports/")
    page.locator(f"input[name=kind][value={kind}]").check()
    page.locator("input[name=file]").set_input_files(str(FIXTURES / name))
    page.locator(f"input[name=mode][value={mode}]").check()
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/en/registry/imports/\d+/$"))


def test_import_report_and_correct(page, journey):
    log_in(page, "en", "registrar@example.org")
    upload(page, "ngos", "ngos.csv", "check")
    assert page.locator("[data-state]").first.get_attribute("data-state") == "done"
    assert page.locator("[data-bad]").inner_text() == "5"
    assert [page.locator("tr[data-line]").nth(i).get_attribute("data-line") for i in range(5)] == [
        "3",
        "4",
        "5",
        "7",
        "8",
    ]
    assert "name: This value is required." in page.locator("tr[data-line='4']").inner_text()
    assert NGOProfile.objects.count() == 0
    page.get_by_role("button", name="Import the 3 good rows").click()
    assert page.locator("[data-good]").inner_text() == "3"
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the bad rows")).click()
    text = Path(download.value.path()).read_text()
    assert text.startswith("line,reasons,bin") and "check digit" in text
    assert NGOProfile.objects.count() == 3

    upload(page, "reports", "reports.csv", "import")
    assert page.locator("[data-good]").inner_text() == "2"
    assert page.locator("[data-bad]").inner_text() == "5"

    bright = NGOProfile.objects.get(organization__registration_number="100000035004")
    MembershipFactory(organization=bright.organization, user=journey["head"], role=Membership.Role.HEAD)
    log_in(page, "en", "head@example.org")
    page.goto(f"/en/registry/{bright.pk}/")
    page.get_by_role("link", name="Submit a report").click()
    year = timezone.localdate().year - 1
    page.get_by_label("Year").fill(str(year))
    page.get_by_label("Areas of activity").fill("Inclusive education in rural schools")
    page.get_by_label("Number of projects").fill("2")
    page.get_by_label("Beneficiaries reached").fill("310")
    page.get_by_label("Income from grants").fill("900000")
    page.get_by_label("Expenses").fill("850000")
    page.get_by_label("Contact person", exact=True).fill("Aigerim Sadykova")
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_url(re.compile(r"/en/registry/reports/\d+/$"))
    assert "Aigerim Sadykova" in page.content()  # the head sees the private fields
    page.get_by_role("link", name="Correct this report").click()
    page.get_by_label("Beneficiaries reached").fill("290")
    page.get_by_role("button", name="Publish the correction").click()
    assert "Reason for the correction" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Beneficiaries reached").input_value() == "290"
    page.get_by_label("Reason for the correction").fill("A summer camp was counted twice.")
    page.get_by_role("button", name="Publish the correction").click()
    page.wait_for_url(re.compile(r"/en/registry/reports/\d+/$"))
    assert AnnualReport.objects.get(ngo=bright, year=year, is_current=True).version == 2

    page.context.clear_cookies()
    page.goto(f"/en/registry/{bright.pk}/")
    assert page.locator(f"tr[data-year='{year}'] td").nth(1).inner_text() == "290"
    page.locator(f"tr[data-year='{year}'] a").click()
    assert "A summer camp was counted twice." in page.content()
    assert "Aigerim Sadykova" not in page.content()
    page.get_by_role("link", name="Version 1").click()
    assert "This version has been corrected" in page.content()
    page.goto("/en/registry/statistics/")
    assert page.locator("#territory-table tr[data-key='710000000'] td").first.inner_text() == "3"
    assert page.locator("h1").count() == 1


def test_a_head_reports_and_corrects_in_russian_and_a_visitor_reads_it(page, journey):
    """The second language: every label, button and message on the way is the Russian catalogue's."""
    ngo = NGOFactory(organization__name="Жарық")
    MembershipFactory(organization=ngo.organization, user=journey["head"], role=Membership.Role.HEAD)
    journey["head"].language = "ru"
    journey["head"].save(update_fields=["language"])
    year = timezone.localdate().year - 1
    with translation.override("ru"):
        submit_link = gettext("Submit a report")
        correct_link = gettext("Correct this report")
        corrected = gettext(
            "This version has been corrected. It is kept for the record; the current version is listed below."
        )
        version_one = gettext("Version %(number)s") % {"number": 1}
    assert submit_link != "Submit a report"  # the catalogue has it

    log_in(page, "ru", "head@example.org")
    page.goto(f"/ru/registry/{ngo.pk}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.get_by_role("link", name=submit_link).click()
    page.locator("[name=year]").fill(str(year))
    page.locator("[name=activity_areas]").fill("Инклюзивное образование в сельских школах")
    page.locator("[name=projects_count]").fill("1")
    page.locator("[name=beneficiaries_reached]").fill("120")
    page.locator("[name=income_grants]").fill("-5")  # refused, and nothing typed is lost
    page.locator("[name=expenses]").fill("400000")
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and re.search("[а-яА-Я]", summary.inner_text())
    assert page.locator("[name=activity_areas]").input_value().startswith("Инклюзивное")
    page.locator("[name=income_grants]").fill("450000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/registry/reports/\d+/$"))

    page.get_by_role("link", name=correct_link).click()
    page.locator("[name=beneficiaries_reached]").fill("115")
    page.locator("[name=reason]").fill("Пятерых участников посчитали дважды.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/registry/reports/\d+/$"))
    assert AnnualReport.objects.get(ngo=ngo, year=year, is_current=True).beneficiaries_reached == 115

    page.context.clear_cookies()
    page.goto(f"/ru/registry/{ngo.pk}/")
    assert page.locator(f"tr[data-year='{year}'] td").nth(1).inner_text() == "115"
    page.locator(f"tr[data-year='{year}'] a").click()
    assert "Пятерых участников посчитали дважды." in page.content()
    page.get_by_role("link", name=version_one).click()
    assert corrected in page.locator("main").inner_text()
