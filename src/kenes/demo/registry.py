"""The sample NGO registry, loaded through the registry's own services so every row and audit event is
what real use would leave behind:

- the sample NGOs of ``samples.ORGANIZATIONS`` entered in the registry (the demo makes no other
  organisation);
- yearly reports for the last four years from the NGOs that report (one of them corrected with a
  reason), none from the Meyirim network, which the non-reporting job then flags as possibly
  non-operating.

Idempotent: an NGO is found by its BIN, a report by its NGO and year. Returns True when it made
anything."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kenes.accounts.models import User
from kenes.organizations.models import Organization
from kenes.registry import services as registry
from kenes.registry.models import AnnualReport, LegalForm, NGOProfile
from kenes.territories.models import Territory

from .samples import sample_bin

#: Sample NGOs already in ``samples.ORGANIZATIONS`` (by BIN): legal form, registration date, where
#: they work, beneficiaries, and whether they report.
ENROL: list[dict[str, Any]] = [
    {
        "bin": sample_bin(1),
        "legal_form": LegalForm.PUBLIC_ASSOCIATION,
        "founded_on": datetime.date(2010, 1, 20),
        "works_in": ["610000000", "615200000"],
        "groups": ["general", "rural"],
        "reports": True,
    },
    {
        "bin": sample_bin(2),
        "legal_form": LegalForm.PRIVATE_INSTITUTION,
        "founded_on": datetime.date(2010, 1, 28),
        "works_in": ["750000000"],
        "groups": ["children"],
        "reports": True,
    },
    {
        "bin": sample_bin(3),
        "legal_form": LegalForm.PUBLIC_ASSOCIATION,
        "founded_on": datetime.date(2010, 1, 11),
        "works_in": ["710000000"],
        "groups": ["disability", "older"],
        "reports": False,  # flagged by the job
    },
    {
        "bin": "02010201010017",
        "legal_form": LegalForm.FOUNDATION,
        "founded_on": datetime.date(2010, 1, 2),
        "works_in": ["41711000000000"],
        "groups": ["general"],
        "reports": True,
    },
]
ACTIVITIES = [
    "Environmental education in schools; monitoring of water quality",
    "Support for families in hardship: food parcels, legal advice, after-school clubs",
    "Youth leadership courses and a summer volunteering camp",
    "Civic education and free legal consultations",
]


def _territories(codes: list[str]) -> list[Territory]:
    return list(Territory.objects.filter(code__in=codes))


def _ensure_enrolled(admin: User, sample: dict[str, Any]) -> tuple[NGOProfile | None, bool]:
    organization = Organization.objects.filter(is_sample=True, registration_number=sample["bin"]).first()
    if organization is None:
        return None, False
    existing = NGOProfile.objects.filter(organization=organization).first()
    if existing is not None:
        return existing, False
    profile = registry.ngo_enrol(
        actor=admin,
        organization=organization,
        legal_form=sample["legal_form"],
        founded_on=sample["founded_on"],
        work_territories=_territories(sample["works_in"]),
        beneficiary_groups=sample["groups"],
    )
    return profile, True


def _report_values(index: int, year: int) -> dict[str, Any]:
    scale = Decimal(1 + (year % 4)) * Decimal(1 + index)
    return {
        "activity_areas": ACTIVITIES[index % len(ACTIVITIES)],
        "projects_count": 2 + (year + index) % 3,
        "projects": "Sample projects of the year",
        "beneficiaries_reached": 120 * (1 + index) + 35 * (year % 5),
        "income_state": Decimal("1500000.00") * scale,
        "income_grants": Decimal("800000.00") * scale,
        "income_foreign": Decimal("0.00"),
        "income_donations": Decimal("150000.00") * scale,
        "income_own": Decimal("50000.00") * scale,
        "expenses": Decimal("2400000.00") * scale,
        "contact_person": "Sample contact person",
        "contact_phone": "+7 700 000 00 00",
        "donors": "Sample private donors",
    }


def _ensure_reports(admin: User, ngo: NGOProfile, index: int) -> bool:
    last = timezone.localdate().year - 1
    done = set(AnnualReport.objects.filter(ngo=ngo).values_list("year", flat=True))
    made = False
    for year in range(last - 3, last + 1):
        if year in done:
            continue
        report = registry.report_submit(actor=admin, ngo=ngo, year=year, **_report_values(index, year))
        made = True
        if index == 0 and year == last - 1:
            registry.report_correct(
                actor=admin,
                report=report,
                reason="The number of beneficiaries counted a summer camp twice.",
                beneficiaries_reached=report.beneficiaries_reached - 40,
            )
    return made


def demo_registry_ensure(*, admin: User) -> bool:
    """Load the sample registry (see the module's docstring); True when anything was made."""
    made = False
    reporting: list[NGOProfile] = []
    for sample in ENROL:
        ngo, created = _ensure_enrolled(admin, sample)
        made |= created
        if ngo is not None and sample["reports"]:
            reporting.append(ngo)
    for index, ngo in enumerate(reporting):
        made |= _ensure_reports(admin, ngo, index)
    if made:
        registry.ngos_flag_non_reporting(label="demo")
    return made
