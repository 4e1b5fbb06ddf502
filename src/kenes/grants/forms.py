"""Forms of the grants pages. Forms only validate input; the services apply the rules and say why
they refuse (their ValidationError is put back on the bound form by the views)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kenes.obligations.forms import MultipleFileField
from kenes.organizations.models import Organization, Sector, Topic
from kenes.territories.forms import TerritoryChoiceField

from .models import Call, Criterion, Currency, FinalEvaluation, Programme, Report
from .services import BudgetLineSpec, CriterionSpec, IndicatorSpec, LotSpec, MilestoneSpec, TeamMemberSpec


def _money(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"), **kwargs)


def _text(label: Any, rows: int = 4, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=50_000,
        required=required,
        **kwargs,
    )


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


def _datetime(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


# --- filters ---------------------------------------------------------------------------------------


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *[c for c in Call.State.choices if c[0] != Call.State.DRAFT]],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Programme.Kind.choices]
    )
    territory = TerritoryChoiceField(required=False)
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        label=_("Sector"), required=False, queryset=Sector.objects.all(), empty_label=_("All sectors")
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("new", _("Newest first")), ("deadline", _("Nearest deadline first"))],
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "state": data.get("state") or "",
            "kind": data.get("kind") or "",
            "territory": data.get("territory"),
            "sector": data.get("sector"),
            "order": data.get("order") or "new",
        }


# --- programme -------------------------------------------------------------------------------------


class ProgrammeForm(forms.Form):
    body: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Body"), queryset=Organization.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Programme.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = _text(_("Summary"), rows=3, required=False)
    terms_of_reference = _text(_("Terms of reference"), rows=8)
    expected_results = _text(_("Expected results"), rows=4, required=False)
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), empty_label="—"
    )
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        label=_("Sectors"), required=False, queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    territory = TerritoryChoiceField(empty_label="—")
    budget = _money(label=_("Budget"))
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    starts_on = _date(_("Implementation starts"), required=False)
    ends_on = _date(_("Implementation ends"), required=False)

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    target = _money(label=_("Target"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and (not data.get("unit") or data.get("target") is None):
            raise forms.ValidationError(_("Give the indicator's unit and target."), code="incomplete")
        return data


class LotForm(forms.Form):
    title = forms.CharField(label=_("Lot"), max_length=300, required=False)
    budget = _money(label=_("Budget"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and data.get("budget") is None:
            raise forms.ValidationError(_("Give the lot's budget."), code="incomplete")
        return data


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3, max_num=50, validate_max=True)
LotFormSet = forms.formset_factory(LotForm, extra=3, max_num=50, validate_max=True)


def indicator_specs(formset: Any) -> list[IndicatorSpec]:
    return [
        IndicatorSpec(f.cleaned_data["name"], f.cleaned_data["unit"], f.cleaned_data["target"])
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


def lot_specs(formset: Any) -> list[LotSpec]:
    return [
        LotSpec(f.cleaned_data["title"], f.cleaned_data["budget"])
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


# --- call ------------------------------------------------------------------------------------------


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = _text(_("Description"), rows=5, required=False)
    opens_at = _datetime(_("Opens"))
    closes_at = _datetime(_("Deadline for applications"))
    lots = forms.ModelMultipleChoiceField(
        label=_("Lots"),
        required=False,
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility_text = _text(_("Eligibility rules"), rows=4, required=False)
    require_operating = forms.BooleanField(
        label=_("The applicant must be operating"), required=False, initial=True
    )
    require_registration_number = forms.BooleanField(
        label=_("The applicant must have a BIN / INN"), required=False, initial=True
    )
    require_territory = forms.BooleanField(
        label=_("The applicant must be registered in the programme's territory"), required=False
    )
    require_sector = forms.BooleanField(
        label=_("The applicant must work in one of the programme's sectors"), required=False
    )
    max_request = _money(label=_("Largest amount one application may request"), required=False)
    min_cofinancing_percent = forms.DecimalField(
        label=_("Minimum co-financing (percent of the project's cost)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
    )
    required_documents = _text(
        _("Required documents"), rows=4, required=False, help_text=_("One document per line.")
    )
    aggregation = forms.ChoiceField(label=_("Aggregation of scores"), choices=Call.Aggregation.choices)
    trim_min_experts = forms.IntegerField(
        label=_("Trim when at least this many experts scored"), min_value=3, max_value=100, initial=5
    )
    tie_rule = forms.ChoiceField(label=_("Tie rule"), choices=Call.TieRule.choices)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lots"].queryset = programme.lots.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The deadline must come after the call opens."))
        return data

    def rules(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            "eligibility_text", "require_operating", "require_registration_number", "require_territory",
            "require_sector", "max_request", "min_cofinancing_percent", "aggregation", "trim_min_experts",
            "tie_rule",
        ]  # fmt: skip
        return {name: data[name] for name in names}

    def documents(self) -> list[str]:
        return [
            line.strip()
            for line in (self.cleaned_data.get("required_documents") or "").splitlines()
            if line.strip()
        ]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=300, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), required=False, min_value=Decimal("0.01"), decimal_places=2
    )
    scale_min = forms.IntegerField(label=_("Lowest score"), required=False, min_value=0, initial=0)
    scale_max = forms.IntegerField(label=_("Highest score"), required=False, min_value=1, initial=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name"):
            if data.get("weight") is None:
                raise forms.ValidationError(_("Give the criterion's weight."), code="incomplete")
            low, high = data.get("scale_min") or 0, data.get("scale_max") or 10
            if high <= low:
                raise forms.ValidationError(
                    _("The highest score must be above the lowest."), code="scale_order"
                )
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=4, max_num=30, validate_max=True)


def criterion_specs(formset: Any) -> list[CriterionSpec]:
    return [
        CriterionSpec(
            f.cleaned_data["name"],
            f.cleaned_data["weight"],
            f.cleaned_data.get("scale_min") or 0,
            f.cleaned_data.get("scale_max") or 10,
        )
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


# --- application -----------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Applicant organisation"), queryset=Organization.objects.none(), empty_label=None
    )
    lot = forms.ModelChoiceField(
        label=_("Lot"), required=False, queryset=Programme.objects.none(), empty_label="—"
    )
    title = forms.CharField(label=_("Project title"), max_length=300)
    description = _text(_("Project description"), rows=8)
    expected_results = _text(_("Expected results"), rows=4, required=False)
    starts_on = _date(_("Project starts"), required=False)
    ends_on = _date(_("Project ends"), required=False)
    language = forms.ChoiceField(label=_("Language of the application"), choices=settings.LANGUAGES)
    other_documents = MultipleFileField(
        label=_("Other documents"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX, ODT or TXT; 10 MB each at most."),
    )

    def __init__(self, *args: Any, call: Call, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        lots = call.lots.all()
        self.fields["lot"].queryset = lots  # type: ignore[attr-defined]
        if not lots:
            del self.fields["lot"]
        for document in call.required_documents.all():
            self.fields[f"document_{document.pk}"] = forms.FileField(
                label=document.name, required=False, help_text=document.description
            )

    def document_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("document_")]

    def documents(self) -> list[tuple[Any, Any]]:
        by_pk = {d.pk: d for d in self.call.required_documents.all()}
        items: list[tuple[Any, Any]] = []
        for name, value in self.cleaned_data.items():
            if name.startswith("document_") and value:
                items.append((by_pk[int(name.removeprefix("document_"))], value))
        items.extend((None, file) for file in self.cleaned_data.get("other_documents") or [])
        return items


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=300, required=False)
    amount = _money(label=_("Amount requested"), required=False)
    cofinancing = _money(label=_("Co-financing"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("item") and data.get("amount") is None:
            raise forms.ValidationError(_("Give the amount of this budget line."), code="incomplete")
        if not data.get("item") and (data.get("amount") or data.get("cofinancing")):
            raise forms.ValidationError(_("Name the item of this budget line."), code="incomplete")
        return data


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.CharField(label=_("Role in the project"), max_length=200, required=False)
    experience = forms.CharField(label=_("Experience"), max_length=2000, required=False)


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=3, max_num=100, validate_max=True)
TeamFormSet = forms.formset_factory(TeamMemberForm, extra=2, max_num=50, validate_max=True)


def budget_specs(formset: Any) -> list[BudgetLineSpec]:
    return [
        BudgetLineSpec(
            f.cleaned_data["item"], f.cleaned_data["amount"], f.cleaned_data.get("cofinancing") or Decimal(0)
        )
        for f in formset.forms
        if f.cleaned_data.get("item")
    ]


def team_specs(formset: Any) -> list[TeamMemberSpec]:
    return [
        TeamMemberSpec(
            f.cleaned_data["name"], f.cleaned_data.get("role") or "", f.cleaned_data.get("experience") or ""
        )
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


# --- body actions ----------------------------------------------------------------------------------


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Ruling"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason"), rows=3, required=False)


class AssignExpertForm(forms.Form):
    email = forms.EmailField(label=_("Expert's e-mail"), help_text=_("The expert must have an account."))


class AwardForm(forms.Form):
    reasons = _text(_("Reasons for the decision"), rows=5)

    def __init__(self, *args: Any, applications: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        for application in applications:
            self.fields[f"amount_{application.pk}"] = _money(
                label=_("Amount awarded to “%(title)s”") % {"title": application.title},
                required=False,
                help_text=_("Leave empty to not fund it. Requested: %(amount)s")
                % {"amount": application.requested_amount},
            )
            self.fields[f"reason_{application.pk}"] = forms.CharField(
                label=_("Reason for “%(title)s”") % {"title": application.title},
                required=False,
                max_length=5000,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"application": a, "amount": self[f"amount_{a.pk}"], "reason": self[f"reason_{a.pk}"]}
            for a in self.applications
        ]

    def winners(self) -> dict[int, Decimal]:
        return {
            a.pk: self.cleaned_data[f"amount_{a.pk}"]
            for a in self.applications
            if self.cleaned_data.get(f"amount_{a.pk}")
        }

    def application_reasons(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"reason_{a.pk}") or "" for a in self.applications}


class ComplaintForm(forms.Form):
    text = _text(_("Your complaint"), rows=8, help_text=_("Say what you disagree with and why."))


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=60)
    signed_on = _date(_("Signed"))
    starts_on = _date(_("Starts"))
    ends_on = _date(_("Ends"))
    amount = _money(label=_("Amount"), required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300, required=False)
    deliverable = forms.CharField(label=_("Deliverable"), max_length=2000, required=False)
    due_on = _date(_("Due"), required=False)

    def __init__(self, *args: Any, indicators: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators or []
        for indicator in self.indicators:
            self.fields[f"target_{indicator.pk}"] = _money(
                label=_("Target: %(indicator)s (%(unit)s)")
                % {"indicator": indicator.name, "unit": indicator.unit},
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and (not data.get("deliverable") or not data.get("due_on")):
            raise forms.ValidationError(
                _("Give the milestone's deliverable and due date."), code="incomplete"
            )
        return data

    def targets(self) -> dict[int, Decimal]:
        return {
            i.pk: self.cleaned_data[f"target_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"target_{i.pk}") is not None
        }

    def spec(self) -> MilestoneSpec:
        data = self.cleaned_data
        return MilestoneSpec(data["title"], data["deliverable"], data["due_on"], self.targets())


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=50, validate_max=True)


def milestone_specs(formset: Any) -> list[MilestoneSpec]:
    return [f.spec() for f in formset.forms if f.cleaned_data.get("title")]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)
    text = _text(_("Report"), rows=8)
    spent = _money(label=_("Amount spent"), required=False, help_text=_("For a financial report."))

    def __init__(self, *args: Any, indicators: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = _money(
                label=_("%(indicator)s reached (%(unit)s)")
                % {"indicator": indicator.name, "unit": indicator.unit},
                required=False,
            )

    def values(self) -> dict[int, Decimal]:
        return {
            i.pk: self.cleaned_data[f"indicator_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"indicator_{i.pk}") is not None
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason for returning it"), rows=3, required=False)


class MonitoringNoteForm(forms.Form):
    observed_on = _date(_("Date of the visit or check"))
    text = _text(_("Note"), rows=4)
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)


class FinalEvaluationForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=FinalEvaluation.Rating.choices)
    summary = _text(_("Summary"), rows=6)


# --- expert ----------------------------------------------------------------------------------------


class DeclarationForm(forms.Form):
    declaration = _text(
        _("Declaration of interests"),
        rows=3,
        required=False,
        help_text=_("For example: I have no link with any applicant."),
    )

    def __init__(self, *args: Any, applications: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applications = applications
        for application in applications:
            self.fields[f"conflict_{application.pk}"] = forms.CharField(
                label=_("My link with %(organization)s (“%(title)s”)")
                % {"organization": application.organization.name, "title": application.title},
                required=False,
                max_length=2000,
                help_text=_("Leave empty when there is none; otherwise you will not score it."),
            )

    def conflicts(self) -> list[tuple[Any, str]]:
        return [
            (a, self.cleaned_data[f"conflict_{a.pk}"].strip())
            for a in self.applications
            if (self.cleaned_data.get(f"conflict_{a.pk}") or "").strip()
        ]


class ScoreForm(forms.Form):
    comment = _text(_("Overall comment"), rows=4, required=False)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=_("%(criterion)s (from %(low)s to %(high)s, weight %(weight)s)")
                % {"criterion": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max,
                   "weight": criterion.weight},
                required=False,
                decimal_places=2,
                min_value=Decimal(criterion.scale_min),
                max_value=Decimal(criterion.scale_max),
            )  # fmt: skip
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=5000,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [{"value": self[f"criterion_{c.pk}"], "note": self[f"note_{c.pk}"]} for c in self.criteria]

    def values(self) -> dict[int, Decimal | None]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"note_{c.pk}") or "" for c in self.criteria}
