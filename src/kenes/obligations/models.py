"""The hearing loop, once for every module: who must respond to what by when (Obligation),
the steps on the way (Extension, Redirection, Step), the reasoned answer (Response, with
Rating), and what was promised (Commitment → Milestone → Evidence). See docs/obligations.md."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kenes.common.models import TimeStampedModel
from kenes.territories.models import Country


class Kind(models.TextChoices):
    """What the obligation answers. Modules add their kinds here as they arrive."""

    APPEAL = "appeal", _("Appeal")
    PETITION = "petition", _("Petition")
    CONSULTATION = "consultation", _("Public consultation")
    COUNCIL_RECOMMENDATION = "council_recommendation", _("Council recommendation")
    BUDGET_REVIEW = "budget_review", _("Participatory-budget review")
    GRANT_COMPLAINT = "grant_complaint", _("Grant complaint")
    CONTEST = "contest", _("Contested response")
    ESCALATION = "escalation", _("Escalation of an overdue item")
    OTHER = "other", _("Other submission")


class DayType(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class DeadlineRule(TimeStampedModel):
    """The legal deadline for one kind of obligation in one country; administrators can change it."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    response_days = models.PositiveSmallIntegerField(_("days to respond"))
    day_type = models.CharField(
        _("counted in"), max_length=10, choices=DayType.choices, default=DayType.WORKING
    )
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=1)
    extension_total_months = models.PositiveSmallIntegerField(
        _("longest total term with extensions, in months"),
        null=True,
        blank=True,
        help_text=_("Counted from the opening (Kazakhstan: two months in all)."),
    )
    extension_extra_days = models.PositiveSmallIntegerField(
        _("longest extension, in calendar days"),
        null=True,
        blank=True,
        help_text=_(
            "Counted from the original deadline. Leave both limits empty when no extension is allowed."
        ),
    )
    extension_notice_days = models.PositiveSmallIntegerField(
        _("working days to tell the author of an extension"), default=3
    )
    redirect_days = models.PositiveSmallIntegerField(
        _("working days to forward to the competent body"), default=3
    )
    registration_days = models.PositiveSmallIntegerField(_("working days to register"), default=1)
    legal_basis = models.TextField(_("legal basis"), blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["country", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["country", "kind"], name="obligations_one_rule_per_country_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.get_kind_display()}: {self.response_days} {self.get_day_type_display()}"


class ObligationQuerySet(models.QuerySet["Obligation"]):
    def live(self) -> "ObligationQuerySet":
        return self.filter(state__in=Obligation.LIVE_STATES)

    def for_subject(self, subject: models.Model) -> "ObligationQuerySet":
        content_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        return self.filter(subject_type=content_type, subject_id=str(subject.pk))

    def public(self) -> "ObligationQuerySet":
        return self.filter(is_private=False)


class Obligation(TimeStampedModel):
    """This organisation must respond to this subject, of this kind, by this deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        EXTENDED = "extended", _("Extended")
        REDIRECTED = "redirected", _("Redirected")
        ANSWERED = "answered", _("Answered")
        OVERDUE = "overdue", _("Overdue")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    LIVE_STATES = (State.OPEN, State.EXTENDED, State.OVERDUE)

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(_("subject id"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(
        _("title"), max_length=300, help_text=_("What is to be answered, as shown in lists.")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_obligations",
    )
    is_private = models.BooleanField(_("private"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("deadline"), db_index=True)
    original_deadline = models.DateField(_("original deadline"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_obligations",
    )
    redirected_from = models.OneToOneField(
        "self",
        verbose_name=_("redirected from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redirected_to",
    )
    escalated_from = models.OneToOneField(
        "self",
        verbose_name=_("escalated from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalation",
    )
    contest_of = models.OneToOneField(
        "Response",
        verbose_name=_("contests the response"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest",
    )

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="obligations_subject"),
            models.Index(fields=["organization", "state", "deadline"], name="obligations_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "organization", "kind"],
                condition=Q(state__in=["open", "extended", "overdue"]),
                name="obligations_one_live_per_subject_body_kind",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opened_on")), name="obligations_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES


class Extension(TimeStampedModel):
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("previous deadline"))
    new_deadline = models.DateField(_("new deadline"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("old_deadline")),
                name="obligations_extension_moves_forward",
            ),
        ]


class Redirection(TimeStampedModel):
    obligation = models.OneToOneField(Obligation, on_delete=models.CASCADE, related_name="redirection")
    to_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("competent body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("redirection")
        verbose_name_plural = _("redirections")


class Response(TimeStampedModel):
    """The reasoned answer. Published to the author and, unless the subject is private, to all."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        REJECTED = "rejected", _("Rejected")
        EXPLAINED = "explained", _("Explained")
        NOT_COMPETENT = "not_competent", _("Not competent")

    obligation = models.OneToOneField(Obligation, on_delete=models.PROTECT, related_name="response")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reasons = models.TextField(_("reasons"))
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=pgettext_lazy("state body", "body"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responder"), on_delete=models.PROTECT, related_name="+"
    )
    on_time = models.BooleanField(_("on time"))
    working_days_taken = models.PositiveSmallIntegerField(_("working days taken"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.obligation}"


def attachment_path(instance: "ResponseAttachment", filename: str) -> str:
    return f"responses/{instance.response_id}/{filename}"


class ResponseAttachment(TimeStampedModel):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Rating(TimeStampedModel):
    """The author's rating of a response, once (changeable by the author)."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="rating")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="obligations_rating_1_to_5"),
        ]


class Commitment(TimeStampedModel):
    """What an accepted (or partly accepted) response promises, tracked to the end."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="commitments")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=pgettext_lazy("state body", "body"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    title = models.CharField(_("what will be done"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.title


class Milestone(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        OVERDUE = "overdue", _("Overdue")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_on_time = models.BooleanField(_("delivered on time"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.milestone_id}/{filename}"


class Evidence(TimeStampedModel):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Step(models.Model):
    """One line of a subject's public timeline, written by the service that took the step."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        ASSIGNED = "assigned", _("Assigned to an officer")
        EXTENDED = "extended", _("Deadline extended")
        REDIRECTED = "redirected", _("Redirected")
        ANSWERED = "answered", _("Answered")
        RATED = "rated", _("Rated by the author")
        CONTESTED = "contested", _("Contested")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Escalated")
        COMMITMENT = "commitment", _("Commitment made")
        MILESTONE_DELIVERED = "milestone_delivered", _("Milestone delivered")
        MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=30, choices=Kind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=pgettext_lazy("state body", "body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("details"), blank=True)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("timeline step")
        verbose_name_plural = _("timeline steps")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="obligations_step_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"


class Reminder(models.Model):
    """A reminder already sent: the unique constraint makes the reminder job idempotent."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    lead_days = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "lead_days", "deadline"],
                name="obligations_one_reminder_per_lead_and_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation_id}: {self.lead_days} days before {self.deadline}"
