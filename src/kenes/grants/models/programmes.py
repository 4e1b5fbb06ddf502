"""A body's programme of social order or grants, and the calls for applications under it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kenes.common.models import TimeStampedModel
from kenes.territories.models import Country

ZERO = Decimal("0")


class Currency(models.TextChoices):
    KZT = "KZT", _("Kazakhstani tenge")
    KGS = "KGS", _("Kyrgyz som")
    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")


class Programme(TimeStampedModel):
    """What a state body plans to fund: a social order (a paid contract with terms of reference) or
    a grant programme (project support), for a topic and sectors, on a territory, with a budget,
    expected results measured by indicators, and lots."""

    class Kind(models.TextChoices):
        SOCIAL_ORDER = "social_order", _("State social order")
        GRANT = "grant", _("Grant programme")

    body = models.ForeignKey(
        "organizations.Organization",
        verbose_name=pgettext_lazy("state body", "body"),
        on_delete=models.PROTECT,
        related_name="grant_programmes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    terms_of_reference = models.TextField(_("terms of reference"))
    expected_results = models.TextField(_("expected results"), blank=True)
    topic = models.ForeignKey(
        "organizations.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sectors = models.ManyToManyField(
        "organizations.Sector", verbose_name=_("sectors"), blank=True, related_name="grant_programmes"
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.KZT)
    budget = models.DecimalField(
        _("budget"), validators=[MinValueValidator(ZERO)], max_digits=16, decimal_places=2
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    starts_on = models.DateField(_("implementation starts"), null=True, blank=True)
    ends_on = models.DateField(_("implementation ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data, not a real programme.")
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="grants_programme_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="grants_programme_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:programme", args=[self.pk])


class Indicator(models.Model):
    """An expected result, measured: "young people trained", unit "persons", target 200."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="grants_indicator_unique_name"),
            models.CheckConstraint(condition=Q(target__gte=0), name="grants_indicator_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Lot(models.Model):
    """A part of a programme's budget awarded separately (one winner per lot)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="lots")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(
        _("budget"), validators=[MinValueValidator(ZERO)], max_digits=16, decimal_places=2
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="grants_lot_unique_title"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="grants_lot_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class CallQuerySet(models.QuerySet["Call"]):
    def public(self) -> "CallQuerySet":
        return self.exclude(state=Call.State.DRAFT)

    def accepting(self) -> "CallQuerySet":
        now = timezone.now()
        return self.filter(state=Call.State.PUBLISHED, opens_at__lte=now, closes_at__gt=now)


class Call(TimeStampedModel):
    """A call for applications under a programme: dates, eligibility, criteria, documents and the
    way expert scores are aggregated and ties broken."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", pgettext_lazy("call for applications", "Closed")
        EVALUATED = "evaluated", _("Evaluated")
        AWARDED = "awarded", _("Awarded")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean of the experts' scores")
        TRIMMED_MEAN = (
            "trimmed_mean",
            _("Trimmed mean (the highest and lowest score left out) when enough experts scored"),
        )

    class TieRule(models.TextChoices):
        HIGHER_CRITERION = (
            "higher_criterion",
            _("The higher score on the criteria, heaviest first, ranks higher"),
        )
        EARLIER_SUBMISSION = "earlier_submission", _("The application submitted first ranks higher")
        LOT = "lot", _("A published lot: the seed is published with the call, before any score")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    lots = models.ManyToManyField(Lot, verbose_name=_("lots"), blank=True, related_name="calls")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("deadline for applications"))
    # Eligibility: the text the law or the body gives, and the checks Kenes can evaluate itself.
    eligibility_text = models.TextField(_("eligibility rules"), blank=True)
    require_operating = models.BooleanField(
        _("the applicant must be operating"), default=True, help_text=_("Not liquidated or non-operating.")
    )
    require_registration_number = models.BooleanField(_("the applicant must have a BIN / INN"), default=True)
    require_territory = models.BooleanField(
        _("the applicant must be registered in the programme's territory"), default=False
    )
    require_sector = models.BooleanField(
        _("the applicant must work in one of the programme's sectors"), default=False
    )
    max_request = models.DecimalField(
        _("largest amount one application may request"),
        null=True,
        blank=True,
        max_digits=16,
        decimal_places=2,
    )
    min_cofinancing_percent = models.DecimalField(
        _("minimum co-financing (percent of the project's cost)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Evaluation.
    aggregation = models.CharField(
        _("aggregation of scores"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    trim_min_experts = models.PositiveSmallIntegerField(
        _("trim when at least this many experts scored"), default=5
    )
    tie_rule = models.CharField(
        _("tie rule"), max_length=30, choices=TieRule.choices, default=TieRule.EARLIER_SUBMISSION
    )
    lot_seed = models.CharField(
        _("lot seed"),
        max_length=64,
        blank=True,
        help_text=_("Published with the call; anyone can redo a drawing of lots with it."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("call for applications", "closed"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    is_sample = models.BooleanField(_("sample"), default=False, help_text=_("Demo data, not a real call."))

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="grants_call_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(trim_min_experts__gte=3), name="grants_call_trim_needs_three_experts"
            ),
            models.CheckConstraint(
                condition=Q(min_cofinancing_percent__isnull=True)
                | Q(min_cofinancing_percent__gte=0, min_cofinancing_percent__lte=100),
                name="grants_call_cofinancing_is_percent",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="grants_call_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:call", args=[self.pk])

    @property
    def is_accepting(self) -> bool:
        now = timezone.now()
        return self.state == self.State.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def results_public(self) -> bool:
        return self.state == self.State.AWARDED


class Criterion(models.Model):
    """An evaluation criterion: each expert scores it on the scale; the weight multiplies it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="grants_criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="grants_criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="grants_criterion_scale_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequiredDocument(models.Model):
    """A document every application must attach (a charter, a budget justification, …)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="required_documents")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="grants_required_document_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
