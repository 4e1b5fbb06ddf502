import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kenes.audit.models import Event
from kenes.organizations.models import Organization
from kenes.registry import services
from kenes.registry.models import AnnualReport, LegalForm, NGOProfile, RegistryStatus, ReportingDeadline

from .factories import NGOFactory, ReportFactory, valid_bin

REPORT = {
    "activity_areas": "Support for children with disabilities",
    "projects_count": 3,
    "projects": "Summer camp; tutoring; a sports day",
    "beneficiaries_reached": 420,
    "income_state": Decimal("2500000.00"),
    "income_grants": Decimal("1200000.00"),
    "income_donations": Decimal("300000.00"),
    "expenses": Decimal("3900000.00"),
    "contact_person": "Aigerim Sadykova",
    "contact_phone": "+7 701 555 12 34",
    "donors": "Nurlan Bekov",
}


def _events(action):
    return list(Event.objects.filter(action=action).order_by("pk"))


# --- registering and status ---------------------------------------------------------------------------


def test_it_registers_an_ngo_with_its_organisation(staff, district, sector, region):
    ngo = services.ngo_register(
        actor=staff,
        name="Жарқын болашақ",
        registration_number=valid_bin(1),
        territory=district,
        legal_form=LegalForm.FOUNDATION,
        founded_on=datetime.date(2012, 5, 4),
        sectors=[sector],
        work_territories=[region],
        beneficiary_groups=["children", "rural"],
    )
    organization = ngo.organization
    assert organization.kind == Organization.Kind.NGO and organization.country == "KZ"
    assert organization.registration_number == valid_bin(1) == ngo.bin
    assert list(organization.sectors.all()) == [sector]
    assert list(ngo.work_territories.all()) == [region]
    assert ngo.status == RegistryStatus.OPERATING
    [event] = _events("registry.ngoprofile.created")
    assert event.after["legal_form"] == "foundation"


def test_it_refuses_a_bin_with_a_wrong_check_digit(staff, district):
    good = valid_bin(2)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        services.ngo_register(
            actor=staff, name="X", registration_number=bad, territory=district, legal_form="foundation"
        )
    assert "registration_number" in exc.value.message_dict
    assert not NGOProfile.objects.exists()


def test_it_refuses_a_missing_bin_and_a_duplicate_bin(staff, district, ngo):
    kwargs = {"actor": staff, "name": "X", "territory": district, "legal_form": "foundation"}
    with pytest.raises(ValidationError):
        services.ngo_register(registration_number="", **kwargs)
    with pytest.raises(ValidationError):
        services.ngo_register(registration_number=ngo.bin, **kwargs)
    assert NGOProfile.objects.count() == 1


def test_it_refuses_unknown_beneficiary_groups_and_a_future_date(staff, district):
    kwargs = {"actor": staff, "name": "X", "territory": district, "legal_form": "foundation"}
    with pytest.raises(ValidationError):
        services.ngo_register(registration_number=valid_bin(3), beneficiary_groups=["aliens"], **kwargs)
    with pytest.raises(ValidationError):
        services.ngo_register(
            registration_number=valid_bin(4), founded_on=datetime.date(2999, 1, 1), **kwargs
        )
    assert not Organization.objects.filter(registration_number__in=[valid_bin(3), valid_bin(4)]).exists()


def test_only_staff_register_ngos(alice, district):
    with pytest.raises(PermissionDenied):
        services.ngo_register(
            actor=alice, name="X", registration_number=valid_bin(5), territory=district, legal_form="other"
        )


def test_staff_set_the_status_with_a_reason(staff, ngo, head):
    with pytest.raises(ValidationError):
        services.ngo_set_status(actor=staff, ngo=ngo, status=RegistryStatus.SUSPENDED, reason=" ")
    with pytest.raises(PermissionDenied):
        services.ngo_set_status(actor=head, ngo=ngo, status=RegistryStatus.SUSPENDED, reason="x")
    services.ngo_set_status(actor=staff, ngo=ngo, status=RegistryStatus.SUSPENDED, reason="Court order 12")
    ngo.refresh_from_db()
    assert ngo.status == RegistryStatus.SUSPENDED
    assert ngo.status_changed_by == staff and ngo.status_reason == "Court order 12"
    [event] = _events("registry.ngoprofile.status_changed")
    assert event.before["status"] == "operating" and event.after["status"] == "suspended"


# --- reports -------------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_the_head_submits_a_report_and_the_audit_keeps_out_private_fields(head, ngo):
    report = services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    assert report.version == 1 and report.is_current and report.submitted_by == head
    assert report.income_total == Decimal("4000000.00")
    [event] = _events("registry.annualreport.submitted")
    text = json.dumps([event.data, event.before, event.after], ensure_ascii=False)
    for private in ("Aigerim", "+7 701", "Nurlan"):
        assert private not in text
    assert event.after["beneficiaries_reached"] == 420
    assert event.data["late"] is True  # due 31 March 2026


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_a_member_who_is_not_head_or_officer_and_an_outsider_cannot_submit(member, charlie, ngo):
    for person in (member, charlie):
        with pytest.raises(PermissionDenied):
            services.report_submit(actor=person, ngo=ngo, year=2025, **REPORT)


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_it_refuses_a_year_not_ended_or_before_registration(head, ngo):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=head, ngo=ngo, year=2026, **REPORT)
    assert exc.value.error_dict["year"][0].code == "year_not_ended"
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=head, ngo=ngo, year=2014, **REPORT)
    assert exc.value.error_dict["year"][0].code == "year_before_registration"
    ngo.founded_on = None
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=head, ngo=ngo, year=1800, **REPORT)
    assert exc.value.error_dict["year"][0].code == "year_too_early"


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_it_refuses_a_second_report_for_a_year_and_negative_amounts(head, ngo):
    services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    assert exc.value.error_dict["year"][0].code == "report_exists"
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=head, ngo=ngo, year=2024, **{**REPORT, "expenses": Decimal("-1")})
    assert "expenses" in exc.value.message_dict
    assert AnnualReport.objects.count() == 1


def test_the_database_keeps_one_current_version_per_year(ngo):
    ReportFactory(ngo=ngo, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(ngo=ngo, year=2024, version=2)


def test_the_database_refuses_a_negative_amount(ngo):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(ngo=ngo, year=2023, income_own=Decimal("-5"))


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_a_correction_adds_a_version_and_keeps_the_old_one(head, ngo):
    first = services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    second = services.report_correct(
        actor=head, report=first, reason="Typo in beneficiaries", beneficiaries_reached=520, donors="Someone"
    )
    first.refresh_from_db()
    assert not first.is_current and first.beneficiaries_reached == 420
    assert second.is_current and second.version == 2 and second.beneficiaries_reached == 520
    assert second.activity_areas == REPORT["activity_areas"]
    [event] = _events("registry.annualreport.corrected")
    assert event.before == {"beneficiaries_reached": 420} and event.after == {"beneficiaries_reached": 520}
    assert event.data["private_fields_changed"] == ["donors"]
    assert "Someone" not in json.dumps(event.data)


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_a_correction_needs_a_reason_a_change_and_the_current_version(head, ngo):
    first = services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    with pytest.raises(ValidationError):
        services.report_correct(actor=head, report=first, reason="", projects_count=4)
    with pytest.raises(ValidationError) as exc:
        services.report_correct(actor=head, report=first, reason="No change", projects_count=3)
    assert exc.value.code == "no_change"
    services.report_correct(actor=head, report=first, reason="More projects", projects_count=4)
    with pytest.raises(ValidationError) as exc:
        services.report_correct(actor=head, report=first, reason="Again", projects_count=5)
    assert exc.value.code == "not_current"
    assert AnnualReport.objects.filter(ngo=ngo, year=2025).count() == 2


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_nobody_reports_for_a_liquidated_ngo(head, staff, ngo):
    services.ngo_set_status(actor=staff, ngo=ngo, status=RegistryStatus.LIQUIDATED, reason="Liquidated")
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=staff, ngo=ngo, year=2025, **REPORT)  # a superuser neither
    assert exc.value.code == "liquidated"


# --- the reporting window and the flag job -----------------------------------------------------------


@pytest.mark.django_db
def test_the_window_is_the_last_closed_years():
    assert services.reporting_window(today=datetime.date(2026, 3, 31), years=2) == [2023, 2024]
    assert services.reporting_window(today=datetime.date(2026, 4, 1), years=2) == [2024, 2025]
    ReportingDeadline.objects.create(year=2025, due_on=datetime.date(2026, 5, 15))
    assert services.reporting_window(today=datetime.date(2026, 4, 1), years=3) == [2022, 2023, 2024]


@pytest.fixture
def ngos(district):
    """silent: no reports; reporting: a 2025 report; old_only: a 2021 report; young: registered 2025;
    suspended by staff, with no reports."""
    silent = NGOFactory(organization__territory=district)
    reporting = NGOFactory(organization__territory=district)
    ReportFactory(ngo=reporting, year=2025)
    old_only = NGOFactory(organization__territory=district)
    ReportFactory(ngo=old_only, year=2021)
    young = NGOFactory(organization__territory=district, founded_on=datetime.date(2025, 2, 1))
    suspended = NGOFactory(organization__territory=district, status=RegistryStatus.SUSPENDED)
    return {
        "silent": silent,
        "reporting": reporting,
        "old_only": old_only,
        "young": young,
        "suspended": suspended,
    }


def _status(ngo):
    ngo.refresh_from_db()
    return ngo.status


def test_the_job_flags_ngos_silent_for_the_window(ngos):
    result = services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    assert result.window == [2024, 2025] and result.flagged == 2 and result.lifted == 0
    assert _status(ngos["silent"]) == _status(ngos["old_only"]) == RegistryStatus.POSSIBLY_NON_OPERATING
    assert ngos["silent"].flagged_by_job and "2024, 2025" in ngos["silent"].status_reason
    assert _status(ngos["reporting"]) == RegistryStatus.OPERATING
    assert _status(ngos["young"]) == RegistryStatus.OPERATING  # registered inside the window
    assert _status(ngos["suspended"]) == RegistryStatus.SUSPENDED  # staff's status left alone
    events = _events("registry.ngoprofile.flagged")
    assert len(events) == 2 and events[0].actor_label == "job"
    again = services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    assert (again.flagged, again.lifted) == (0, 0)


def test_the_number_of_years_is_configurable(ngos, settings):
    settings.REGISTRY_NON_REPORTING_YEARS = 5
    result = services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    assert result.window == [2021, 2022, 2023, 2024, 2025]
    assert _status(ngos["old_only"]) == RegistryStatus.OPERATING
    assert _status(ngos["silent"]) == RegistryStatus.POSSIBLY_NON_OPERATING


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_reporting_lifts_the_flag(ngos, alice, django_capture_on_commit_callbacks):
    from kenes.organizations.models import Membership
    from kenes.organizations.tests.factories import MembershipFactory

    services.ngos_flag_non_reporting()
    silent = ngos["silent"]
    MembershipFactory(organization=silent.organization, user=alice, role=Membership.Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(actor=alice, ngo=silent, year=2025, **REPORT)
    assert _status(silent) == RegistryStatus.OPERATING and not silent.flagged_by_job
    assert len(_events("registry.ngoprofile.flag_lifted")) == 1


def test_the_job_lifts_the_flag_of_an_ngo_that_reported(ngos):
    services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    ReportFactory(ngo=ngos["old_only"], year=2024)
    result = services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    assert (result.flagged, result.lifted) == (0, 1)
    assert _status(ngos["old_only"]) == RegistryStatus.OPERATING


def test_a_status_set_by_staff_is_not_lifted_by_the_job(ngos, staff):
    silent = ngos["silent"]
    services.ngo_set_status(
        actor=staff, ngo=silent, status=RegistryStatus.POSSIBLY_NON_OPERATING, reason="Letters returned"
    )
    ReportFactory(ngo=silent, year=2025)
    services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    assert _status(silent) == RegistryStatus.POSSIBLY_NON_OPERATING and not silent.flagged_by_job


def test_the_command_runs_the_job(ngos):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)):
        call_command("registry", "flag-non-reporting", "--years", "2", stdout=out)
    assert "2024, 2025" in out.getvalue() and "flagged 2" in out.getvalue()
    assert _events("registry.ngoprofile.flagged")[0].actor_label == "cli"


def test_the_task_runs_the_job(ngos):
    from kenes.registry.tasks import ngos_flag_non_reporting_task

    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)):
        assert ngos_flag_non_reporting_task.delay().get() == [2, 0]


def test_an_ngo_already_in_kenes_is_enrolled_once(staff, district):
    from kenes.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(kind=Organization.Kind.NGO, registration_number=valid_bin(7))
    ngo = services.ngo_enrol(actor=staff, organization=organization, legal_form=LegalForm.OTHER)
    assert ngo.organization == organization and ngo.status == RegistryStatus.OPERATING
    with pytest.raises(ValidationError) as exc:
        services.ngo_enrol(actor=staff, organization=organization, legal_form=LegalForm.OTHER)
    assert exc.value.code == "already_registered"
    body = OrganizationFactory(kind=Organization.Kind.STATE_BODY, registration_number=valid_bin(8))
    with pytest.raises(ValidationError):
        services.ngo_enrol(actor=staff, organization=body, legal_form=LegalForm.OTHER)


@time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
def test_a_persons_export_lists_the_reports_they_submitted(head, ngo):
    from kenes.accounts.services import user_export_data

    services.report_submit(actor=head, ngo=ngo, year=2025, **REPORT)
    exported = user_export_data(actor=head, user=head)
    [row] = exported["apps"]["registry"]["reports_submitted"]
    assert (row["ngo"], row["year"], row["version"]) == ("Bright Future", 2025, 1)


def test_the_heads_and_officers_of_a_flagged_ngo_are_told_once(ngos, alice, bob, charlie, mailoutbox):
    from kenes.notifications.models import Notification
    from kenes.organizations.models import Membership
    from kenes.organizations.tests.factories import MembershipFactory

    silent = ngos["silent"].organization
    MembershipFactory(organization=silent, user=alice, role=Membership.Role.HEAD)
    MembershipFactory(organization=silent, user=bob, role=Membership.Role.OFFICER)
    MembershipFactory(organization=silent, user=charlie, role=Membership.Role.MEMBER)
    services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    notices = Notification.objects.filter(event="registry.ngoprofile.flagged")
    assert sorted(n.recipient.email for n in notices) == ["alice@example.org", "bob@example.org"]
    assert "2024, 2025" in notices[0].body and "possibly non-operating" in notices[0].title
    NGOProfile.objects.filter(pk=ngos["silent"].pk).update(
        status=RegistryStatus.OPERATING, flagged_by_job=False
    )
    services.ngos_flag_non_reporting(today=datetime.date(2026, 6, 1))
    assert notices.count() == 2
