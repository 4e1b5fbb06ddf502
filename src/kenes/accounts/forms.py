from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kenes.territories.models import Territory

from . import selectors
from .models import Demographics
from .verification import staff_assisted_providers


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        return f"— {obj.name}" if obj.level > 1 else obj.name


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("Shown next to what you publish. Leave empty to appear as “Participant #number”."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    home_territory = TerritoryChoiceField(
        label=_("Home territory"),
        queryset=Territory.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Not set"),
        help_text=_("Your region or district: it decides which local consultations and budgets concern you."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_territory"].queryset = selectors.home_territory_choices()  # type: ignore[attr-defined]


class DemographicsForm(forms.Form):
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Prefer not to say")), *Demographics.Gender.choices],
        required=False,
    )
    education = forms.ChoiceField(
        label=_("Education"),
        choices=[("", _("Prefer not to say")), *Demographics.Education.choices],
        required=False,
    )
    settlement = forms.ChoiceField(
        label=_("Do you live in a town or a village?"),
        choices=[("", _("Prefer not to say")), *Demographics.Settlement.choices],
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I agree that Kenes stores these answers for the purposes described above."),
        required=True,
        error_messages={"required": _("We can only store these answers with your consent.")},
    )


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, expected_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if email.strip().lower() != self.expected_email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."))
        return email


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “my data notebook”.")
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        empty_value=None,
        choices=[
            (7, _("7 days")),
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("1 year")),
        ],
        initial=90,
    )


class VerifyIdentityForm(forms.Form):
    email = forms.EmailField(label=_("The person's e-mail address"))
    provider = forms.ChoiceField(label=_("How was the identity checked?"))
    identity_number = forms.CharField(
        label=_("Identity number (optional)"),
        required=False,
        max_length=20,
        help_text=_(
            "Kazakhstan IIN (12 digits) or Kyrgyzstan PIN (14 digits). Only a keyed digest is stored, "
            "so that the same person cannot verify a second account."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. which document you saw. Do not write the document number here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.key, p.label) for p in staff_assisted_providers()]  # type: ignore[attr-defined]
