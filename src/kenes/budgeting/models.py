"""Participatory budgeting: a process per territory, proposals, feasibility review (an obligation
of the responsible body), one ballot per eligible voter, counting with kenes.engines.pb, results
with explanations, funded projects tracked as commitments. See docs/budgeting.md."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.common.models import TimeStampedModel

# How long published results are the process's headline before it shows as "implementation".
RESULTS_SHOWN_FOR = datetime.timedelta(days=14)


class Process(TimeStampedModel):
    class Phase(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        PROPOSALS = "proposals", _("Proposal submission")
        REVIEW = "review", _("Feasibility review")
        VOTING = "voting", _("Voting")
        COUNTING = "counting", _("Counting")
        RESULTS = "results", _("Results")
        IMPLEMENTATION = "implementation", _("Implementation")

    class BallotType(models.TextChoices):
        APPROVAL = "approval", _("Approval: mark the projects you support")
        CUMULATIVE = "cumulative", _("Cumulative: share out points")
        ORDINAL = "ordinal", _("Ordinal: rank your favourites")

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("Most votes first (greedy)")
        GREEDY_COST_RATIO = "greedy_cost_ratio", _("Most votes per cost first")
        MES_COST = "mes_cost", _("Method of Equal Shares")
        MES_CARD = "mes_card", _("Method of Equal Shares (by number of projects)")
        MES_COST_ADD1 = "mes_cost_add1", _("Method of Equal Shares with add-one completion")
        MES_COST_ADD1_GREEDY = "mes_cost_add1_greedy", _("Method of Equal Shares, completed by most votes")
        PHRAGMEN = "phragmen", _("Sequential Phragmén")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    territory = models.ForeignKey(
        "territories.Territory", verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    budget = models.PositiveBigIntegerField(_("budget"))
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    ballot_type = models.CharField(
        _("ballot"), max_length=20, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    rule = models.CharField(
        _("counting rule"), max_length=30, choices=Rule.choices, default=Rule.MES_COST_ADD1_GREEDY
    )
    min_choices = models.PositiveSmallIntegerField(_("fewest projects per ballot"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("most projects per ballot"), null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(_("points per voter (cumulative)"), null=True, blank=True)
    # Eligibility
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    min_verification_level = models.PositiveSmallIntegerField(
        _("verification level needed to vote"), default=1
    )
    residents_only = models.BooleanField(_("only residents of the territory may vote"), default=True)
    # Phases
    proposals_open = models.DateTimeField(_("proposals open"))
    proposals_close = models.DateTimeField(_("proposals close"))
    review_close = models.DateTimeField(_("review ends"))
    voting_open = models.DateTimeField(_("voting opens"))
    voting_close = models.DateTimeField(_("voting closes"))
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample"), default=False)

    class Meta:
        verbose_name = _("participatory-budget process")
        verbose_name_plural = _("participatory-budget processes")
        ordering = ["-voting_open"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposals_open__lt=models.F("proposals_close"))
                & Q(proposals_close__lte=models.F("review_close"))
                & Q(review_close__lte=models.F("voting_open"))
                & Q(voting_open__lt=models.F("voting_close")),
                name="budgeting_phases_in_order",
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="budgeting_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def phase(self) -> str:
        """The phase now, from the dates (and the counting and publication stamps)."""
        now = timezone.now()
        if self.results_published_at is not None:
            if now >= self.results_published_at + RESULTS_SHOWN_FOR:
                return self.Phase.IMPLEMENTATION
            return self.Phase.RESULTS
        steps = [
            (self.proposals_open, self.Phase.DRAFT),
            (self.proposals_close, self.Phase.PROPOSALS),
            (self.review_close, self.Phase.REVIEW),
            (self.voting_open, self.Phase.REVIEW),
            (self.voting_close, self.Phase.VOTING),
        ]
        for until, phase in steps:
            if now < until:
                return phase
        return self.Phase.COUNTING


class Proposal(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ON_BALLOT = "on_ballot", _("On the ballot")
        REJECTED = "rejected", _("Not feasible")
        MERGED = "merged", _("Merged into another proposal")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FUNDED = "funded", _("Funded")
        NOT_FUNDED = "not_funded", _("Not funded")

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=100, blank=True)
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost"))
    official_cost = models.PositiveBigIntegerField(_("official cost"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    merge_reason = models.TextField(_("reason for merging"), blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["process", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="budgeting_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cost(self) -> int:
        """The cost that counts: the official one once the review set it."""
        return self.official_cost if self.official_cost is not None else self.estimated_cost


def image_path(instance: "ProposalImage", filename: str) -> str:
    return f"budgeting/proposals/{instance.proposal_id}/{filename}"


class ProposalImage(TimeStampedModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(_("image"), upload_to=image_path)
    description = models.CharField(_("description (for people who cannot see the image)"), max_length=300)

    class Meta:
        verbose_name = _("proposal image")
        verbose_name_plural = _("proposal images")


class Support(TimeStampedModel):
    """A resident's support for a proposal before the vote (one per person and proposal)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="budgeting_one_support_per_person")
        ]


class Ballot(TimeStampedModel):
    """One ballot per voter per process (a database constraint). Officials never see whose it is:
    results and exports use ballots' ids, and no page joins a voter to their choices."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["process", "voter"], name="budgeting_one_ballot_per_voter")
        ]


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="budgeting_one_choice_per_proposal"),
            models.UniqueConstraint(
                fields=["ballot", "rank"],
                condition=Q(rank__isnull=False),
                name="budgeting_one_proposal_per_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.proposal_id}"


class Result(TimeStampedModel):
    """The count: which rule, when, on how many ballots, and the outcome with its explanation."""

    process = models.OneToOneField(Process, on_delete=models.PROTECT, related_name="result")
    rule = models.CharField(_("counting rule"), max_length=30, choices=Process.Rule.choices)
    ballots_counted = models.PositiveIntegerField(_("ballots counted"))
    total_cost = models.PositiveBigIntegerField(_("total cost of funded projects"))
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.process}: {self.get_rule_display()}"


class ResultLine(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="lines")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    funded = models.BooleanField(_("funded"))
    position = models.PositiveSmallIntegerField(_("order chosen"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votes"))
    reason = models.CharField(_("reason"), max_length=40)
    explanation = models.JSONField(_("explanation"), default=dict)

    class Meta:
        ordering = ["result", "position", "-votes"]
        constraints = [
            models.UniqueConstraint(fields=["result", "proposal"], name="budgeting_one_line_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {'funded' if self.funded else 'not funded'}"
