"""An NGO's application to a call: the project, its budget table, team and documents."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel

from .programmes import ZERO, Call, Lot, RequiredDocument

#: States in which an application still counts: only one live application per call and NGO.
LIVE_STATES = ("draft", "submitted", "eligible", "ineligible", "scored", "awarded", "not_awarded")


class Application(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")
        SCORED = "scored", _("Scored")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    title = models.CharField(_("project title"), max_length=300)
    description = models.TextField(_("project description"))
    expected_results = models.TextField(_("expected results"), blank=True)
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ru")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    requested_amount = models.DecimalField(
        _("amount requested"), default=ZERO, max_digits=16, decimal_places=2
    )
    cofinancing_amount = models.DecimalField(_("co-financing"), default=ZERO, max_digits=16, decimal_places=2)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    eligibility_checked_at = models.DateTimeField(_("eligibility checked"), null=True, blank=True)
    eligibility_results = models.JSONField(_("eligibility checks"), default=list, blank=True)
    ineligibility_reason = models.TextField(_("reason for ineligibility"), blank=True)
    score = models.DecimalField(_("final score"), max_digits=10, decimal_places=4, null=True, blank=True)
    criterion_scores = models.JSONField(
        _("aggregate score per criterion"), default=dict, blank=True, help_text=_("Criterion id → score.")
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rank_note = models.CharField(_("how the rank was decided"), max_length=300, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data, not a real application.")
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organization"],
                condition=~Q(state="withdrawn"),
                name="grants_one_live_application_per_call",
            ),
            models.CheckConstraint(
                condition=~Q(state="ineligible") | ~Q(ineligibility_reason=""),
                name="grants_ineligible_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                name="grants_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0, cofinancing_amount__gte=0),
                name="grants_application_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:application", args=[self.pk])

    @property
    def total_cost(self) -> Decimal:
        return self.requested_amount + self.cofinancing_amount


class BudgetLine(models.Model):
    """One line of the project's budget: what the grant pays and what others co-finance."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=300)
    amount = models.DecimalField(
        _("amount requested"), validators=[MinValueValidator(ZERO)], max_digits=16, decimal_places=2
    )
    cofinancing = models.DecimalField(
        _("co-financing"), default=ZERO, validators=[MinValueValidator(ZERO)], max_digits=16, decimal_places=2
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, cofinancing__gte=0), name="grants_budget_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.item


class TeamMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role in the project"), max_length=200)
    experience = models.TextField(_("experience"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


def application_document_path(instance: "ApplicationDocument", filename: str) -> str:
    return f"grants/applications/{instance.application_id}/{filename}"


class ApplicationDocument(TimeStampedModel):
    """A file attached to an application, checked by extension and content
    (``kenes.obligations.uploads``), stored under MEDIA_ROOT (never served by the web server) and
    sent only through a view that checks ``grants.view_application_document``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("required document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=application_document_path)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
