"""Implementation: the contract with its milestones, reports, monitoring and final evaluation."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kenes.common.models import TimeStampedModel

from .applications import Application
from .programmes import Indicator


class Contract(TimeStampedModel):
    class State(models.TextChoices):
        ACTIVE = "active", _("Being implemented")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="contract")
    number = models.CharField(_("contract number"), max_length=60)
    signed_on = models.DateField(_("signed"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="grants_contract_period_in_order"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_contract_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class ContractMilestone(TimeStampedModel):
    """A deliverable due on a date, with indicator targets; done when a report on it is accepted."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    deliverable = models.TextField(_("deliverable"))
    due_on = models.DateField(_("due"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Due and not yet completed by an accepted narrative report."""
        return self.accepted_at is None and self.due_on < timezone.localdate()


class MilestoneTarget(models.Model):
    """How much of an indicator a milestone should reach."""

    milestone = models.ForeignKey(ContractMilestone, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("milestone target")
        verbose_name_plural = _("milestone targets")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "indicator"], name="grants_one_target_per_indicator"
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="grants_milestone_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.target}"


class Report(TimeStampedModel):
    """A narrative or financial report on a milestone. The body accepts it or returns it with a
    reason; a returned report stays in the record and the NGO submits a new one."""

    class Kind(models.TextChoices):
        NARRATIVE = "narrative", _("Narrative report")
        FINANCIAL = "financial", _("Financial report")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="reports")
    milestone = models.ForeignKey(ContractMilestone, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(pgettext_lazy("grant report", "report"))
    spent = models.DecimalField(_("amount spent"), null=True, blank=True, max_digits=16, decimal_places=2)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("grant report", "report")
        verbose_name_plural = pgettext_lazy("grant report", "reports")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "kind"],
                condition=~Q(state="returned"),
                name="grants_one_live_report_per_milestone_kind",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="grants_returned_report_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.milestone}"


class ReportValue(models.Model):
    """What a report says an indicator reached."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value reached"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="grants_one_value_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class MonitoringNote(TimeStampedModel):
    """What the body's monitor saw (a visit, a check of documents); public unless marked internal."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="monitoring_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    observed_on = models.DateField(_("date of the visit or check"))
    text = models.TextField(_("note"))
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("monitoring note")
        verbose_name_plural = _("monitoring notes")
        ordering = ["-observed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.observed_on}: {self.text[:50]}"


class FinalEvaluation(TimeStampedModel):
    """The body's evaluation of the finished project: a rating and what was achieved."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        SATISFACTORY = "satisfactory", _("Satisfactory")
        UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="final_evaluation")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    summary = models.TextField(_("summary"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("final evaluation")
        verbose_name_plural = _("final evaluations")

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.get_rating_display()}"
