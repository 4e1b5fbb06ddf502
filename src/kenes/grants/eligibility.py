"""The eligibility checks Kenes evaluates itself, from the call's structured rules.

Each check gives a code, whether it passed and the figures behind it; the message is rendered in
the reader's language when shown (``check_message``), so a stored result reads well in any
language. The body still rules on eligibility and gives the reason (the call's rules in words may
ask more than Kenes can check).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kenes.organizations.models import Organization

from .models import Application


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "passed": self.passed, "params": self.params}


def _messages() -> dict[str, tuple[str, str]]:
    """code → (message when passed, message when failed)."""
    return {
        "ngo": (_("The applicant is a non-governmental organisation."), _("The applicant is not an NGO.")),
        "operating": (_("The applicant is operating."), _("The applicant is not operating.")),
        "registration_number": (
            _("The applicant has a BIN / INN."),
            _("The applicant has no BIN / INN on record."),
        ),
        "territory": (
            _("The applicant is registered in %(territory)s."),
            _("The applicant is not registered in %(territory)s."),
        ),
        "sector": (
            _("The applicant works in one of the programme's sectors."),
            _("The applicant works in none of the programme's sectors."),
        ),
        "max_request": (
            _("The amount requested, %(requested)s, is within the limit of %(limit)s."),
            _("The amount requested, %(requested)s, is above the limit of %(limit)s."),
        ),
        "lot_budget": (
            _("The amount requested, %(requested)s, fits the lot's budget of %(limit)s."),
            _("The amount requested, %(requested)s, is above the lot's budget of %(limit)s."),
        ),
        "cofinancing": (
            _("Co-financing is %(share)s%% of the cost; at least %(minimum)s%% is required."),
            _("Co-financing is only %(share)s%% of the cost; at least %(minimum)s%% is required."),
        ),
        "documents": (
            _("Every required document is attached."),
            _("Required documents missing: %(missing)s."),
        ),
    }


def check_message(code: str, passed: bool, params: dict[str, str]) -> str:
    passed_text, failed_text = _messages().get(code, (code, code))
    text = passed_text if passed else failed_text
    return text % params if params else text


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01")) if whole else Decimal("0")


def _organization_checks(application: Application) -> list[Check]:
    call = application.call
    programme = call.programme
    organization = application.organization
    checks = [Check("ngo", organization.kind == Organization.Kind.NGO)]
    if call.require_operating:
        checks.append(Check("operating", organization.status == Organization.Status.OPERATING))
    if call.require_registration_number:
        checks.append(Check("registration_number", bool(organization.registration_number)))
    if call.require_territory:
        inside = organization.territory.path.startswith(programme.territory.path)
        checks.append(Check("territory", inside, {"territory": programme.territory.name}))
    if call.require_sector:
        sectors = {s.pk for s in programme.sectors.all()}
        ngo_sectors = {s.pk for s in organization.sectors.all()}
        checks.append(Check("sector", bool(sectors & ngo_sectors)))
    return checks


def _money_checks(application: Application) -> list[Check]:
    call = application.call
    requested = application.requested_amount
    checks = []
    if call.max_request is not None:
        checks.append(
            Check(
                "max_request",
                requested <= call.max_request,
                {"requested": str(requested), "limit": str(call.max_request)},
            )
        )
    if application.lot is not None:
        limit = application.lot.budget
        checks.append(
            Check("lot_budget", requested <= limit, {"requested": str(requested), "limit": str(limit)})
        )
    if call.min_cofinancing_percent is not None:
        share = _share(application.cofinancing_amount, application.total_cost)
        minimum = call.min_cofinancing_percent
        checks.append(Check("cofinancing", share >= minimum, {"share": str(share), "minimum": str(minimum)}))
    return checks


def _document_checks(application: Application) -> list[Check]:
    required = list(application.call.required_documents.all())
    if not required:
        return []
    attached = {d.required_document_id for d in application.documents.all()}
    missing = [d.name for d in required if d.pk not in attached]
    return [Check("documents", not missing, {"missing": ", ".join(missing)} if missing else {})]


def evaluate(application: Application) -> list[Check]:
    """Every structured check of the call on ``application``, in a fixed order."""
    return _organization_checks(application) + _money_checks(application) + _document_checks(application)
