"""Bulk import: a dry run reports every bad row with its line and reasons; a real import writes the
good rows whole and keeps the bad ones for download; a crash leaves no partial row and the job can be
resumed; a 20,000-row file runs as a job with its progress recorded."""

import csv
import io
from pathlib import Path

import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from kenes.audit.models import Event
from kenes.organizations.models import Organization
from kenes.registry import importing, importrows, services
from kenes.registry.models import AnnualReport, ImportJob, ImportRowError, NGOProfile, RegistryStatus

from .factories import NGOFactory, valid_bin

FIXTURES = Path(__file__).parent / "fixtures"
NGO_BAD_LINES = [3, 4, 5, 7, 8]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def places(district, sector):
    return district


@pytest.fixture
def run_import(staff, django_capture_on_commit_callbacks):
    def run(name, content, *, kind="ngos", dry_run=False, actor=None):
        upload = SimpleUploadedFile(name, content)
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_job_create(actor=actor or staff, kind=kind, upload=upload, dry_run=dry_run)
        job.refresh_from_db()
        return job

    return run


def _fixture(name):
    return (FIXTURES / name).read_bytes()


def _reasons(job, line):
    return job.row_errors.get(line=line).reasons


def _bad_lines(job):
    return list(job.row_errors.order_by("line").values_list("line", flat=True))


def test_a_dry_run_shows_every_bad_row_and_writes_nothing(places, run_import):
    job = run_import("ngos.csv", _fixture("ngos.csv"), dry_run=True)
    assert job.state == ImportJob.State.DONE and job.dry_run
    assert (job.total_rows, job.rows_done, job.good_rows, job.bad_rows) == (8, 8, 3, 5)
    assert _bad_lines(job) == NGO_BAD_LINES
    assert any("check digit" in reason for reason in _reasons(job, 3))
    assert _reasons(job, 4) == ["name: This value is required."]
    columns = {reason.split(":")[0] for reason in _reasons(job, 5)}
    assert columns == {
        "territory_code",
        "legal_form",
        "founded_on",
        "sectors",
        "work_territories",
        "beneficiary_groups",
        "email",
        "website",
    }
    assert "line 2" in _reasons(job, 7)[0]
    assert not NGOProfile.objects.exists() and not Organization.objects.exists()


def test_a_real_import_writes_the_good_rows_whole_and_keeps_the_bad_ones(places, region, sector, run_import):
    job = run_import("ngos.csv", _fixture("ngos.csv"))
    assert (job.state, job.good_rows, job.bad_rows, job.skipped_rows) == (ImportJob.State.DONE, 3, 5, 0)
    assert NGOProfile.objects.count() == Organization.objects.count() == 3
    bright = NGOProfile.objects.get(organization__registration_number="100000035004")
    assert bright.organization.name_ru == "Bright Steps" and bright.organization.name_kk == "Жарқын қадам"
    assert list(bright.organization.sectors.all()) == [sector]
    assert set(bright.work_territories.all()) == {region, places}
    assert bright.beneficiary_groups == ["children", "disability"]
    assert NGOProfile.objects.filter(organization__registration_number="050140000656").exists()
    [event] = Event.objects.filter(action="registry.importjob.ngos_imported")
    assert sorted(event.data["ids"]) == sorted(NGOProfile.objects.values_list("pk", flat=True))
    assert not job.file  # the upload is deleted once imported


def test_the_same_file_again_skips_what_is_in(places, run_import):
    run_import("ngos.csv", _fixture("ngos.csv"))
    again = run_import("ngos.csv", _fixture("ngos.csv"))
    assert (again.good_rows, again.skipped_rows, again.bad_rows) == (0, 3, 5)
    assert NGOProfile.objects.count() == 3


def test_the_bad_rows_come_back_as_csv_with_reasons_and_no_formula(places, run_import):
    job = run_import("ngos.csv", _fixture("ngos.csv"))
    rows = list(csv.DictReader(io.StringIO(importing.bad_rows_csv(job))))
    assert [row["line"] for row in rows] == [str(line) for line in NGO_BAD_LINES]
    assert rows[0]["bin"] == "100000035005" and "check digit" in rows[0]["reasons"]
    assert rows[-1]["bin"].startswith("'=")
    assert list(rows[0])[:2] == ["line", "reasons"]


def test_reports_import_with_bad_rows(places, run_import):
    run_import("ngos.csv", _fixture("ngos.csv"))
    job = run_import("reports.csv", _fixture("reports.csv"), kind="reports")
    assert (job.state, job.good_rows, job.bad_rows) == (ImportJob.State.DONE, 2, 5)
    assert _bad_lines(job) == [4, 5, 6, 7, 8]
    assert "No NGO in the registry" in _reasons(job, 5)[0]
    assert {r.split(":")[0] for r in _reasons(job, 7)} == {"income_state", "income_grants"}
    report = AnnualReport.objects.get(ngo__organization__registration_number="100000035004", year=2024)
    assert report.is_current and report.version == 1 and report.donors == "Nurlan Bekov"
    assert str(report.income_grants) == "1200000.50"


def test_an_imported_report_lifts_the_flag(places, run_import):
    run_import("ngos.csv", _fixture("ngos.csv"))
    ngo = NGOProfile.objects.get(organization__registration_number="100000035004")
    NGOProfile.objects.filter(pk=ngo.pk).update(
        status=RegistryStatus.POSSIBLY_NON_OPERATING, flagged_by_job=True
    )
    run_import("reports.csv", _fixture("reports.csv"), kind="reports")
    ngo.refresh_from_db()
    assert ngo.status == RegistryStatus.OPERATING and not ngo.flagged_by_job


def test_an_xlsx_file_with_numeric_bins(places, run_import):
    source = tablib.Dataset().load(_fixture("ngos.csv").decode(), format="csv")
    dataset = tablib.Dataset(headers=source.headers)
    for row in source:
        values = list(row)
        if values[0] == "050140000656":
            values[0] = 50140000656  # a spreadsheet keeps a BIN typed as a number without its zero
        dataset.append(values)
    job = run_import("ngos.xlsx", dataset.export("xlsx"))
    assert (job.state, job.good_rows, job.bad_rows) == (ImportJob.State.DONE, 3, 5)
    assert NGOProfile.objects.filter(organization__registration_number="050140000656").exists()


def test_a_file_without_the_columns_or_unreadable_fails_with_a_reason(places, run_import):
    job = run_import("ngos.csv", b"name,phone\nX,1\n")
    assert job.state == ImportJob.State.FAILED
    assert "bin, legal_form, territory_code" in job.failure
    broken = run_import("ngos.xlsx", b"this is not a workbook")
    assert broken.state == ImportJob.State.FAILED and "XLSX" in broken.failure


def test_it_refuses_other_formats_and_non_staff(places, run_import, alice):
    with pytest.raises(Exception) as exc:
        run_import("ngos.txt", b"bin\n")
    assert "csv" in str(exc.value)
    with pytest.raises(PermissionDenied):
        run_import("ngos.csv", _fixture("ngos.csv"), actor=alice)


def test_a_crash_leaves_no_partial_row_and_the_job_resumes(
    places, run_import, monkeypatch, staff, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "BATCH", 2)
    real_insert = importing._insert_ngos
    calls = []

    def crashing(rows, job):
        calls.append(len(rows))
        real_insert(rows, job)  # the organisations land, then the crash rolls them back
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return [0] * len(rows)

    monkeypatch.setitem(importing.INSERT, ImportJob.Kind.NGOS, crashing)
    job = run_import("ngos.csv", _fixture("ngos.csv"))
    assert job.state == ImportJob.State.FAILED and job.rows_done == 4
    assert NGOProfile.objects.count() == Organization.objects.count() == 1  # lines 2-5: one good row
    monkeypatch.setitem(importing.INSERT, ImportJob.Kind.NGOS, real_insert)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_resume(actor=staff, job=job)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.good_rows, job.bad_rows) == (ImportJob.State.DONE, 8, 3, 5)
    assert NGOProfile.objects.count() == Organization.objects.count() == 3
    assert _bad_lines(job) == NGO_BAD_LINES


def test_a_resumed_job_still_catches_a_duplicate_of_a_row_written_without_its_leading_zero(
    places, run_import, monkeypatch, staff, django_capture_on_commit_callbacks
):
    # Line 2 as a spreadsheet saves it (the leading zero dropped), line 4 the same BIN written out.
    content = (
        "bin,name,legal_form,territory_code\n"
        "50140000656,Green Steppe,foundation,710000000\n"
        f"{valid_bin(7)},Other,foundation,710000000\n"
        "050140000656,Green Steppe again,foundation,710000000\n"
    ).encode()
    monkeypatch.setattr(importing, "BATCH", 2)
    real_sort = importing.SORT[ImportJob.Kind.NGOS]
    sorted_batches = []

    def sort_then_crash_on_the_second_batch(rows, result, context):
        sorted_batches.append(len(rows))
        if len(sorted_batches) == 2:
            raise RuntimeError("disk full")
        real_sort(rows, result, context)

    monkeypatch.setitem(importing.SORT, ImportJob.Kind.NGOS, sort_then_crash_on_the_second_batch)
    job = run_import("ngos.csv", content)
    assert job.state == ImportJob.State.FAILED and job.rows_done == 2
    monkeypatch.setitem(importing.SORT, ImportJob.Kind.NGOS, real_sort)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_resume(actor=staff, job=job)
    job.refresh_from_db()
    assert (job.state, job.good_rows, job.bad_rows) == (ImportJob.State.DONE, 2, 1)
    assert "already on line 2" in " ".join(_reasons(job, 4))


def test_a_checked_file_can_then_be_imported(places, run_import, staff, django_capture_on_commit_callbacks):
    check = run_import("ngos.csv", _fixture("ngos.csv"), dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_import_checked(actor=staff, job=check)
    job.refresh_from_db()
    assert (job.dry_run, job.state, job.good_rows) == (False, ImportJob.State.DONE, 3)
    check.refresh_from_db()
    assert not check.file  # the upload is gone once imported
    with pytest.raises(ValidationError):
        services.import_job_import_checked(actor=staff, job=check)


def _large_csv(rows: int, bad_every: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["bin", "name", "legal_form", "founded_on", "territory_code", "sectors"])
    for n in range(rows):
        form = "club" if n % bad_every == 0 else "public_association"
        writer.writerow([valid_bin(10_000 + n), f"NGO {n}", form, "2012-01-01", "711000000", "education"])
    return out.getvalue().encode()


def test_a_20000_row_file_runs_as_a_job_with_its_progress(places, run_import):
    NGOFactory(organization__registration_number=valid_bin(10_001))  # already in: skipped
    job = run_import("big.csv", _large_csv(20_000, bad_every=1000))
    assert job.state == ImportJob.State.DONE
    assert (job.total_rows, job.rows_done) == (20_000, 20_000)
    assert (job.good_rows, job.skipped_rows, job.bad_rows) == (19_979, 1, 20)
    assert job.percent == 100
    assert NGOProfile.objects.count() == Organization.objects.count() == 19_980
    assert Organization.sectors.through.objects.count() == 19_979
    batches = Event.objects.filter(action="registry.importjob.ngos_imported").count()
    assert batches == 20


def test_reports_of_a_kyrgyz_ngo_by_its_inn(run_import, db):
    from kenes.territories.tests.factories import TerritoryFactory

    bishkek = TerritoryFactory(country="KG", code="41711000000000")
    NGOFactory(
        organization__country="KG",
        organization__territory=bishkek,
        organization__registration_number="02010201010017",
    )
    header = ",".join(importrows.REPORT_REQUIRED) + "\n"
    job = run_import(
        "kg.csv", (header + "2010201010017,2024,Civic education,0,0,0,0,0,0\n").encode(), kind="reports"
    )
    assert (job.good_rows, job.bad_rows) == (1, 0)
    assert AnnualReport.objects.get().ngo.organization.country == "KG"


def test_the_command_imports_a_file(places, staff, charlie, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    path = str(FIXTURES / "ngos.csv")
    with django_capture_on_commit_callbacks(execute=True):  # outside a test, the job starts on commit
        call_command("registry", "import", path, "--kind", "ngos", "--as", staff.email, "--check", stdout=out)
    check = ImportJob.objects.get()
    assert f"/registry/imports/{check.pk}/" in out.getvalue()
    assert (check.dry_run, check.good_rows, check.bad_rows) == (
        True,
        3,
        5,
    ) and not NGOProfile.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("registry", "import", path, "--kind", "ngos", "--as", staff.email, stdout=out)
    assert NGOProfile.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("registry", "import", path, "--kind", "ngos", "--as", charlie.email)


def test_a_line_is_kept_once_per_job(places, run_import):
    """The database refuses a second bad row for the same line of the same job (a batch written twice)."""
    job = run_import("ngos.csv", _fixture("ngos.csv"), dry_run=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportRowError.objects.create(job=job, line=NGO_BAD_LINES[0], reasons=["again"], row={})
    assert job.row_errors.count() == job.bad_rows == len(NGO_BAD_LINES)


@pytest.mark.django_db(transaction=True)
def test_the_bad_rows_of_earlier_imports_move_to_their_own_table_and_back(django_user_model):
    """Migration 0002: the JSON list each job kept becomes one row per bad line; going back rebuilds it."""
    user = django_user_model.objects.create_user(email="importer@example.org")
    errors = [
        {"line": 3, "reasons": ["BIN: the check digit is wrong."], "row": {"bin": "123", "name": "A"}},
        {"line": 7, "reasons": ["name: required.", "territory_code: unknown."], "row": {"bin": "9"}},
    ]
    before, after = [("registry", "0001_initial")], [("registry", "0002_import_row_errors")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps.get_model("registry", "ImportJob")
    job = old.objects.create(kind="ngos", created_by_id=user.pk, original_name="a.csv", errors=errors)
    old.objects.create(kind="ngos", created_by_id=user.pk, original_name="b.csv", errors=[])
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    state = MigrationExecutor(connection).loader.project_state(after)
    moved = state.apps.get_model("registry", "ImportRowError").objects.order_by("line")
    moved = moved.values_list("job_id", "line", "reasons", "row")
    assert list(moved) == [(job.pk, e["line"], e["reasons"], e["row"]) for e in errors]
    MigrationExecutor(connection).migrate(before)
    assert old.objects.get(pk=job.pk).errors == errors
    MigrationExecutor(connection).migrate(after)
