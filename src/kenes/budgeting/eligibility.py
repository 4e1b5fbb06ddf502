"""May this person vote in this process, and if not, why not and how to qualify."""

from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from kenes.accounts.models import Demographics, VerificationLevel
from kenes.territories.models import Territory

from .models import Process


class Eligibility(NamedTuple):
    eligible: bool
    reason: str  # empty when eligible; otherwise a translated sentence saying how to qualify


YES = Eligibility(True, "")


def voter_eligibility(*, voter: Any, process: Process) -> Eligibility:
    """Checked in order: signed in and active, verification level, residence (the voter's home
    territory inside the process's territory subtree), age (from Demographics.birth_year: the age
    the voter reaches in the year voting closes)."""
    if not getattr(voter, "is_authenticated", False) or not voter.is_active:
        return Eligibility(False, _("Sign in to vote."))
    if voter.verification_level < process.min_verification_level:
        levels = dict(VerificationLevel.choices)
        level = levels.get(process.min_verification_level, str(process.min_verification_level))
        return Eligibility(
            False,
            _(
                "To vote here your account needs the verification level “%(level)s”. You can raise it "
                "in your account settings."
            )
            % {"level": level},
        )
    if process.residents_only and not _is_resident(voter, process):
        territory = process.territory.name
        return Eligibility(
            False,
            _(
                "Only residents of %(territory)s can vote. If you live there, set it as your home "
                "territory in your account settings."
            )
            % {"territory": territory},
        )
    if process.min_age:
        return _age_eligibility(voter, process)
    return YES


def _is_resident(voter: Any, process: Process) -> bool:
    if voter.home_territory_id is None:
        return False
    path = Territory.objects.filter(pk=voter.home_territory_id).values_list("path", flat=True).first()
    return path is not None and path.startswith(process.territory.path)


def _age_eligibility(voter: Any, process: Process) -> Eligibility:
    birth_year = Demographics.objects.filter(user=voter).values_list("birth_year", flat=True).first()
    if birth_year is None:
        return Eligibility(
            False,
            _(
                "Voters here must be at least %(age)s years old. Give your year of birth in your "
                "account settings so that it can be checked."
            )
            % {"age": process.min_age},
        )
    year = timezone.localtime(process.voting_close).year
    if year - birth_year < (process.min_age or 0):
        return Eligibility(
            False, _("Voters here must be at least %(age)s years old.") % {"age": process.min_age}
        )
    return YES
