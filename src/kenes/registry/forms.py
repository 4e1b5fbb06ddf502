"""Forms of the registry pages: the list's search and filters, the annual report (submit and correct),
the staff's status change, the import upload and the statistics' territory.

Forms only validate input; the services check the rules again and raise ValidationError, which the
views put back on the form so the person keeps what they typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenes.common.forms import with_blank
from kenes.organizations.forms import TerritoryFilterField
from kenes.organizations.models import Sector
from kenes.territories.models import Territory

from .models import AnnualReport, BeneficiaryGroup, ImportJob, LegalForm, RegistryStatus
from .services import REPORT_FIELDS


class NGOFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or BIN"), required=False, max_length=200)
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="code",
        empty_label=_("Any sector"),
    )
    territory = TerritoryFilterField(label=_("Territory"), required=False, empty_label=_("Anywhere"))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=with_blank(RegistryStatus.choices, _("Any status"))
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"), required=False, choices=with_blank(LegalForm.choices, _("Any legal form"))
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.ngo_list``; an invalid value is ignored, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in ("q", "sector", "territory", "status", "legal_form")}


class ReportForm(forms.ModelForm):
    """A year's report. The private fields are marked as such on the page."""

    class Meta:
        model = AnnualReport
        fields = ["year", *REPORT_FIELDS]
        widgets = {
            "activity_areas": forms.Textarea(attrs={"rows": 3}),
            "projects": forms.Textarea(attrs={"rows": 4}),
            "donors": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "contact_person": _("Private: shown only to the NGO's members and the registry staff."),
            "contact_phone": _("Private: shown only to the NGO's members and the registry staff."),
            "donors": _("Private: names of private donors are not published."),
            "beneficiaries_reached": _("People who took part in or were served by the NGO's work that year."),
        }

    def __init__(self, *args: Any, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last_year = timezone.localdate().year - 1
        year = self.fields["year"]
        year.widget.attrs.update({"min": 1990, "max": last_year})
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("year", last_year)
        if correcting:
            del self.fields["year"]
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the correction"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                help_text=_("Published with the new version."),
            )

    def _post_clean(self) -> None:
        """Model validation (and the one-current-version rule) is the service's."""

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}


class NGOForm(forms.Form):
    """Staff enter one NGO (a file of many goes through the import)."""

    name = forms.CharField(label=_("Registered name"), max_length=300)
    registration_number = forms.CharField(
        label=_("BIN"), max_length=14, help_text=_("Kazakhstan: 12-digit BIN. Kyrgyzstan: 14-digit INN.")
    )
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=with_blank(LegalForm.choices, "—"))
    founded_on = forms.DateField(
        label=_("Registered on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    territory = TerritoryFilterField(label=_("Territory of registration"), empty_label="—")
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        label=_("Sectors"), required=False, queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    work_territories: forms.ModelMultipleChoiceField[Territory] = forms.ModelMultipleChoiceField(
        label=_("Territories where it works"),
        required=False,
        queryset=Territory.objects.filter(level__lte=2).order_by("path"),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    beneficiary_groups = forms.MultipleChoiceField(
        label=_("Beneficiary groups"),
        required=False,
        choices=BeneficiaryGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    email = forms.EmailField(label=_("Public e-mail"), required=False)
    phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Registry status"), choices=RegistryStatus.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"), choices=ImportJob.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("The first row names the columns."))
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            ("check", _("Check the file only: nothing is saved")),
            ("import", _("Import the good rows (bad rows are listed and not saved)")),
        ],
        initial="check",
        widget=forms.RadioSelect,
    )


class StatisticsForm(forms.Form):
    territory = TerritoryFilterField(
        label=_("Show the units of"), required=False, empty_label=_("The whole country")
    )
