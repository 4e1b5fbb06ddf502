"""Reporting deadlines, the reporting window and the non-reporting flag job (docs/registry.md, "The
non-reporting flag"). ``services`` exposes ``ngos_flag_non_reporting`` and ``ngos_lift_flags`` under
the module's interface; they write only the registry status, each change with an audit event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.organizations.models import Membership

from .models import AnnualReport, NGOProfile, RegistryStatus, ReportingDeadline, default_due_on

#: Flag or lift this many NGOs per transaction in the job.
FLAG_BATCH = 500


# --- deadlines and the reporting window -----------------------------------------------------------------


def due_on(year: int, deadlines: dict[int, datetime.date] | None = None) -> datetime.date:
    """The date by which reports for ``year`` are due."""
    if deadlines is None:
        deadlines = dict(ReportingDeadline.objects.filter(year=year).values_list("year", "due_on"))
    return deadlines.get(year) or default_due_on(year)


def reporting_window(*, today: datetime.date, years: int) -> list[int]:
    """The last ``years`` reporting years whose deadline has passed on ``today``, oldest first."""
    deadlines = dict(ReportingDeadline.objects.values_list("year", "due_on"))
    latest = today.year - 1
    while due_on(latest, deadlines) >= today:
        latest -= 1
    return list(range(latest - years + 1, latest + 1))


# --- the non-reporting flag ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagResult:
    window: list[int]
    flagged: int
    lifted: int


def _expected_to_report(first_year: int) -> Q:
    """Registered before the window's first year began (or, with no date, entered before then)."""
    start = datetime.date(first_year, 1, 1)
    return Q(founded_on__lt=start) | Q(founded_on__isnull=True, created_at__date__lt=start)


def _reported_in(window: list[int]) -> Exists:
    return Exists(AnnualReport.objects.filter(ngo=OuterRef("pk"), is_current=True, year__in=window))


def _window_text(window: list[int]) -> str:
    return ", ".join(str(year) for year in window)


def _flag(ids: list[int], window: list[int], label: str) -> int:
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("No annual report for %(years)s.") % {"years": _window_text(window)}
    flagged = 0
    for start in range(0, len(ids), FLAG_BATCH):
        with transaction.atomic():
            chunk = list(
                NGOProfile.objects.select_for_update()
                .filter(pk__in=ids[start : start + FLAG_BATCH], status=RegistryStatus.OPERATING)
                .values_list("pk", flat=True)
            )
            NGOProfile.objects.filter(pk__in=chunk).update(
                status=RegistryStatus.POSSIBLY_NON_OPERATING,
                flagged_by_job=True,
                status_reason=reason,
                status_changed_at=now,
                status_changed_by=None,
                updated_at=now,
            )
            for pk in chunk:
                audit.record(
                    event="registry.ngoprofile.flagged",
                    obj=NGOProfile(pk=pk),
                    actor_label=label,
                    data={"window": window},
                    before={"status": RegistryStatus.OPERATING},
                    after={"status": RegistryStatus.POSSIBLY_NON_OPERATING, "flagged_by_job": True},
                )
            _notify_flagged(chunk, window)
            flagged += len(chunk)
    return flagged


def _notify_flagged(ngo_ids: list[int], window: list[int]) -> None:
    """Tell each flagged NGO's heads and officers, in their language, once per window."""
    from kenes.notifications.services import notify

    from .rules import REPORTER_ROLES

    people: dict[int, list[Any]] = {}
    memberships = Membership.objects.filter(
        organization__ngo_profile__in=ngo_ids, role__in=REPORTER_ROLES
    ).select_related("user", "organization__ngo_profile")
    for membership in memberships:
        people.setdefault(membership.organization.ngo_profile.pk, []).append(membership.user)
    ngos = {ngo.pk: ngo for ngo in NGOProfile.objects.filter(pk__in=people).select_related("organization")}
    for pk, recipients in people.items():
        notify(
            recipients=recipients,
            event="registry.ngoprofile.flagged",
            template="registry/email/flagged",
            context={"ngo": ngos[pk], "years": _window_text(window)},
            subject=ngos[pk],
            url=reverse("registry:detail", args=[pk]),
            dedupe_key=f"registry.flagged:{pk}:{window[0]}-{window[-1]}",
        )


def _lift(queryset: Any, window: list[int], label: str) -> int:
    """Lift the job's flag from the NGOs in ``queryset`` that have reported for a year of ``window``."""
    now = timezone.now()
    ids = list(
        queryset.filter(status=RegistryStatus.POSSIBLY_NON_OPERATING, flagged_by_job=True)
        .filter(_reported_in(window))
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), FLAG_BATCH):
        chunk = ids[start : start + FLAG_BATCH]
        with transaction.atomic():
            NGOProfile.objects.filter(pk__in=chunk, flagged_by_job=True).update(
                status=RegistryStatus.OPERATING,
                flagged_by_job=False,
                status_reason="",
                status_changed_at=now,
                status_changed_by=None,
                updated_at=now,
            )
            for pk in chunk:
                audit.record(
                    event="registry.ngoprofile.flag_lifted",
                    obj=NGOProfile(pk=pk),
                    actor_label=label,
                    data={"window": window},
                    before={"status": RegistryStatus.POSSIBLY_NON_OPERATING, "flagged_by_job": True},
                    after={"status": RegistryStatus.OPERATING, "flagged_by_job": False},
                )
    return len(ids)


def _years_setting(years: int | None) -> int:
    years = settings.REGISTRY_NON_REPORTING_YEARS if years is None else years
    if years < 1:
        raise ValueError("the number of years must be at least 1")
    return years


def ngos_flag_non_reporting(
    *, years: int | None = None, today: datetime.date | None = None, label: str = "job"
) -> FlagResult:
    """The job (docs/registry.md, "The non-reporting flag"): an operating NGO that was registered
    before the window began and has no current report for any of the last ``years`` closed
    reporting years becomes possibly non-operating; a flagged NGO that has reported for one of
    them is operating again. Statuses set by staff are left alone. Idempotent."""
    window = reporting_window(today=today or timezone.localdate(), years=_years_setting(years))
    lifted = _lift(NGOProfile.objects.all(), window, label)
    candidates = (
        NGOProfile.objects.filter(status=RegistryStatus.OPERATING)
        .filter(_expected_to_report(window[0]))
        .exclude(_reported_in(window))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flagged = _flag(list(candidates), window, label)
    return FlagResult(window=window, flagged=flagged, lifted=lifted)


def ngos_lift_flags(*, ngo_ids: Iterable[int], label: str = "registry") -> int:
    """After reports arrive: lift the flag from those of ``ngo_ids`` that now meet the rule."""
    window = reporting_window(today=timezone.localdate(), years=_years_setting(None))
    return _lift(NGOProfile.objects.filter(pk__in=list(ngo_ids)), window, label)
