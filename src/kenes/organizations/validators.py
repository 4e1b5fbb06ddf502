"""Validation of organisations: registration numbers per country and the rules that need
other rows (the supervising chain, the territory's country). Services call
``validate_organization`` after ``full_clean()``; the admin form calls it too."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kenes.common.identifiers import is_valid_kz_iin_bin

if TYPE_CHECKING:
    from .models import Organization

#: How far up the supervising chain we look before calling it too deep (or a cycle).
MAX_SUPERVISION_DEPTH = 20


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def validate_kz_bin(value: str) -> None:
    """A Kazakhstan BIN: 12 digits, the last one a check digit."""
    if not _is_digits(value, 12):
        raise ValidationError(_("A BIN has exactly 12 digits."), code="bin_format")
    if not is_valid_kz_iin_bin(value):
        raise ValidationError(
            _("This BIN is not valid: its check digit does not match. Please check the number."),
            code="bin_check_digit",
        )


def validate_kg_inn(value: str) -> None:
    """A Kyrgyzstan INN: 14 digits."""
    if not _is_digits(value, 14):
        raise ValidationError(_("An INN has exactly 14 digits."), code="inn_format")


REGISTRATION_VALIDATORS = {"KZ": validate_kz_bin, "KG": validate_kg_inn}


def validate_registration_number(country: str, value: str) -> None:
    """Blank is allowed (not every body or group is registered)."""
    validator = REGISTRATION_VALIDATORS.get(country)
    if value and validator is not None:
        validator(value)


def supervision_cycle_or_too_deep(organization: "Organization") -> bool:
    """Walk up from the proposed supervising body (one small query per level, bounded)."""
    from .models import Organization

    current_id = organization.supervising_body_id
    for _level in range(MAX_SUPERVISION_DEPTH):
        if current_id is None:
            return False
        if organization.pk is not None and current_id == organization.pk:
            return True
        current_id = (
            Organization.objects.filter(pk=current_id).values_list("supervising_body_id", flat=True).first()
        )
    return current_id is not None


def _supervision_errors(organization: "Organization") -> list[ValidationError]:
    supervisor = organization.supervising_body
    if supervisor is None:
        return []
    if not organization.is_state:
        return [
            ValidationError(_("Only a state body can have a supervising body."), code="supervisor_not_state")
        ]
    if not supervisor.is_state:
        return [
            ValidationError(_("The supervising body must itself be a state body."), code="supervisor_kind")
        ]
    if supervision_cycle_or_too_deep(organization):
        return [
            ValidationError(
                _("This supervising body would make the chain of supervision go round in a circle."),
                code="supervisor_cycle",
            )
        ]
    return []


def validate_organization(organization: "Organization") -> None:
    """Raise one ValidationError holding every problem, keyed by field."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        validate_registration_number(organization.country, organization.registration_number)
    except ValidationError as exc:
        errors["registration_number"] = [exc]
    if supervision := _supervision_errors(organization):
        errors["supervising_body"] = supervision
    if organization.territory_id is not None and organization.territory.country != organization.country:
        errors["territory"] = [
            ValidationError(
                _("The territory must be in the organisation's country."), code="territory_country"
            )
        ]
    if errors:
        raise ValidationError(errors)
