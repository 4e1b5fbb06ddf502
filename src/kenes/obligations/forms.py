"""Forms of the hearing loop's pages: filters (GET) and one form per action (POST).

Forms only validate input; the services check the law (deadlines, limits, reasons) and raise
ValidationError, which the views put back on the bound form.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kenes.common.forms import with_blank
from kenes.organizations.forms import TerritoryFilterField
from kenes.organizations.models import Organization
from kenes.territories.models import Territory

from . import selectors
from .models import Kind, Obligation, Response

MAX_MILESTONES = 3
SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _state_choices() -> list[tuple[str, Any]]:
    return [("", _("Any state")), (selectors.STATE_LIVE, _("Awaiting an answer")), *Obligation.State.choices]


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """People by their public name, never their e-mail address."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.public_name)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the services check each file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _reason(label: Any = None, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000, **kwargs
    )


# --- filters ------------------------------------------------------------------------------------


class RegisterFilterForm(forms.Form):
    """The public register's GET filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False, choices=_state_choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=with_blank(Kind.choices, _("Any kind")))
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Responsible body"),
        required=False,
        queryset=Organization.objects.filter(kind__in=Organization.STATE_KINDS).order_by("name", "pk"),
        empty_label=_("Any body"),
    )
    territory = TerritoryFilterField(label=_("Territory"), required=False, empty_label=_("Anywhere"))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["q"].widget.input_type = "search"
        organization_id = data.get("organization") if data is not None else None
        if organization_id and str(organization_id).isdigit():
            # A body given by a link (e.g. from an accountability page) renders as selected too.
            field: forms.ModelChoiceField[Organization] = self.fields["organization"]  # type: ignore[assignment]
            field.queryset = Organization.objects.filter(
                Q(pk=int(organization_id)) | Q(kind__in=Organization.STATE_KINDS)
            ).order_by("name", "pk")
        code = data.get("territory") if data is not None else None
        if code:
            territory_field: TerritoryFilterField = self.fields["territory"]  # type: ignore[assignment]
            territory_field.queryset = Territory.objects.filter(Q(level__lte=2) | Q(code=code)).order_by(
                "path"
            )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or None,
            "state": data.get("state") or None,
            "kind": data.get("kind") or None,
            "organization": data.get("organization"),
            "territory": data.get("territory"),
        }


class InboxFilterForm(forms.Form):
    """The inbox's GET filters; ``filtered`` tells a submitted form from a first visit."""

    state = forms.ChoiceField(label=_("State"), required=False, choices=_state_choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=with_blank(Kind.choices, _("Any kind")))
    assigned_to = PersonChoiceField(
        label=_("Assigned officer"), required=False, queryset=None, empty_label=_("Anyone")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    subordinates = forms.BooleanField(label=_("Include subordinate bodies"), required=False)
    filtered = forms.CharField(required=False, widget=forms.HiddenInput, initial="1")

    def __init__(self, data: Any = None, *, organization: Organization, **kwargs: Any) -> None:
        if data is not None and not data.get("filtered"):
            data = data.copy()
            data.setdefault("state", selectors.STATE_LIVE)
        super().__init__(data, **kwargs)
        field: PersonChoiceField = self.fields["assigned_to"]  # type: ignore[assignment]
        field.queryset = selectors.officer_choices(organization)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("state") or None,
            "kind": data.get("kind") or None,
            "assigned_to": data.get("assigned_to"),
            "overdue_only": bool(data.get("overdue")),
            "include_subordinates": bool(data.get("subordinates")),
        }


# --- actions ------------------------------------------------------------------------------------


class RespondForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=with_blank(Response.Decision.choices, "—"))
    reasons = _reason(
        _("Reasons"),
        help_text=_(
            "Explain the decision: which facts and rules it rests on. The author and the public see it."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX, ODT or TXT; up to 5 files of 10 MB each."),
    )


class ExtendForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = _reason(help_text=_("Why more time is needed. The author is told."))


class RedirectForm(forms.Form):
    to_organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Competent body"), queryset=Organization.objects.none(), empty_label="—"
    )
    reason = _reason(help_text=_("Why the other body is competent. The author is told."))

    def __init__(self, *args: Any, obligation: Obligation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Organization] = self.fields["to_organization"]  # type: ignore[assignment]
        field.queryset = selectors.redirect_choices(obligation)


class AssignForm(forms.Form):
    officer = PersonChoiceField(
        label=_("Officer"), required=False, queryset=None, empty_label=_("Nobody (unassign)")
    )

    def __init__(self, *args: Any, obligation: Obligation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: PersonChoiceField = self.fields["officer"]  # type: ignore[assignment]
        field.queryset = selectors.officer_choices(obligation.organization)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating of the answer (1 = poor, 5 = excellent)"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000
    )


class ContestForm(forms.Form):
    reason = _reason(help_text=_("What is wrong with the answer. The supervising body must answer you."))


class WithdrawForm(forms.Form):
    reason = _reason()


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_MILESTONES + 1):
            self.fields[f"milestone_{n}_title"] = forms.CharField(
                label=_("Milestone %(number)s") % {"number": n}, required=False, max_length=300
            )
            self.fields[f"milestone_{n}_due"] = forms.DateField(
                label=_("Milestone %(number)s due on") % {"number": n}, required=False, widget=DateInput()
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, MAX_MILESTONES + 1):
            title, due = data.get(f"milestone_{n}_title"), data.get(f"milestone_{n}_due")
            if title and not due:
                self.add_error(f"milestone_{n}_due", ValidationError(_("Give the date.")))
            if due and not title:
                self.add_error(f"milestone_{n}_title", ValidationError(_("Say what will be done by then.")))
        return data

    def milestones(self) -> list[tuple[str, datetime.date]]:
        data = self.cleaned_data
        return [
            (data[f"milestone_{n}_title"], data[f"milestone_{n}_due"])
            for n in range(1, MAX_MILESTONES + 1)
            if data.get(f"milestone_{n}_title") and data.get(f"milestone_{n}_due")
        ]

    def milestone_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"milestone_{n}_title"], self[f"milestone_{n}_due"]) for n in range(1, MAX_MILESTONES + 1)
        ]


class DeliverForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5_000
    )


class EvidenceForm(forms.Form):
    description = forms.CharField(
        label=_("What the evidence shows"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5_000
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, PNG, JPEG, DOCX, ODT or TXT; up to 10 MB.")
    )
