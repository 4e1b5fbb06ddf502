"""Expert evaluation, the award decision and complaints."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel

from .applications import Application
from .programmes import Call, Criterion


class ExpertAssignment(TimeStampedModel):
    """An expert asked to evaluate a call. Before scoring, the expert declares their interests:
    either no conflict, or the applications they must stay out of (``ConflictDeclaration``).
    Kenes itself refuses an expert who is a member of an applicant NGO."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="grant_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("interests declared"), null=True, blank=True)
    declaration = models.TextField(_("declaration of interests"), blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "expert"], name="grants_one_assignment_per_expert"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.call}"


class ConflictDeclaration(TimeStampedModel):
    """An expert's own declaration of a conflict of interest with one application: they do not score it."""

    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "application"], name="grants_one_conflict_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} × {self.application_id}"


class ScoreSheet(TimeStampedModel):
    """One expert's scores for one application. Until submitted, only its expert sees it; once
    submitted it can no longer change, and the expert may see the others' submitted sheets."""

    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.PROTECT, related_name="sheets")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sheets")
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["assignment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "application"], name="grants_one_sheet_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} × {self.application_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One expert's score on one criterion for one application. The criterion's scale is copied
    onto the row when it is scored, so that the database itself keeps the value within it."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="grants_one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="grants_score_not_negative"),
            models.CheckConstraint(
                condition=Q(value__gte=F("scale_min"), value__lte=F("scale_max")),
                name="grants_score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class AwardDecision(TimeStampedModel):
    """The body's published decision on a call: the ranking with scores, who is funded and why."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="decision")
    reasons = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")

    def __str__(self) -> str:
        return str(self.call)


class Award(TimeStampedModel):
    """Money awarded to one application."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.PROTECT, related_name="awards")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(_("amount awarded"), max_digits=16, decimal_places=2)
    awarded_on = models.DateField(_("award date"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grants_award_positive")]

    def __str__(self) -> str:
        return f"{self.application} — {self.amount}"


class Complaint(TimeStampedModel):
    """An applicant's complaint about the call's eligibility check, evaluation or award. It opens an
    obligation (kind ``grant_complaint``) on the body: a reasoned response by a legal deadline."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="complaints")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("complaint"))

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.text[:50]}"

    def get_absolute_url(self) -> str:
        return self.application.call.get_absolute_url()
