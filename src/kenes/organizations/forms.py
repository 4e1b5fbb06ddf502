from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kenes.common.forms import with_blank
from kenes.territories.models import Country, Territory

from .models import Membership, Organization, Sector

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class TerritoryFilterField(forms.ModelChoiceField):
    """Regions and districts (level ≤ 2) by official code, indented by level.

    A code of a deeper unit (e.g. from a link on a village's page) is accepted too.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Territory.objects.filter(level__lte=2).order_by("path"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Territory) -> str:
        return "\u2014 " * (obj.level - 1) + str(obj.name)

    def to_python(self, value: Any) -> Territory | None:
        if value in self.empty_values:
            return None
        queryset = self.queryset if self.queryset is not None else Territory.objects.none()
        territory = queryset.filter(code=str(value)).order_by("country").first()
        if territory is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return territory


class DirectoryFilterForm(forms.Form):
    """The directory's GET filters. ``filtered`` marks a submitted form, so that an unchecked
    "include subdivisions" box (which sends nothing) is told apart from a first visit."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=with_blank(Organization.Kind.choices, _("Any kind"))
    )
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="code",
        empty_label=_("Any sector"),
    )
    territory = TerritoryFilterField(label=_("Territory"), required=False, empty_label=_("Anywhere"))
    subtree = forms.BooleanField(label=_("Include subdivisions"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=with_blank(Organization.Status.choices, _("Any status"))
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=with_blank(Country.choices, _("Any country"))
    )
    filtered = forms.CharField(required=False, widget=forms.HiddenInput, initial="1")

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and not data.get("filtered"):
            data = data.copy()
            data["subtree"] = "on"
        super().__init__(data, **kwargs)
        self.fields["q"].widget.input_type = "search"
        code = data.get("territory") if data is not None else None
        if code:  # a deeper unit's code must render as the selected option too
            territory_field: TerritoryFilterField = self.fields["territory"]  # type: ignore[assignment]
            territory_field.queryset = Territory.objects.filter(Q(level__lte=2) | Q(code=code)).order_by(
                "path"
            )

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``organization_directory`` from the valid fields only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        territory = data.get("territory")
        sector = data.get("sector")
        return {
            "q": data.get("q") or None,
            "kind": data.get("kind") or None,
            "sector": sector.code if sector else None,
            "territory_code": territory.code if territory else None,
            "include_subtree": data.get("subtree", True),
            "status": data.get("status") or None,
            "country": data.get("country") or None,
        }


class OrganizationEditForm(forms.Form):
    """Names and descriptions in four languages, contacts and sectors."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        label=_("Sectors"), required=False, queryset=Sector.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language}, required=False, max_length=300
            )
        for code, language in settings.LANGUAGES:
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": language},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        order = [f"name_{c}" for c, _n in settings.LANGUAGES] + [
            f"description_{c}" for c, _n in settings.LANGUAGES
        ]
        self.order_fields(order + ["website", "email", "phone", "sectors"])

    @classmethod
    def initial_for(cls, organization: Organization) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "website": organization.website,
            "email": organization.email,
            "phone": organization.phone,
            "sectors": list(organization.sectors.all()),
        }
        for code, _language in settings.LANGUAGES:
            initial[f"name_{code}"] = getattr(organization, f"name_{code}") or ""
            initial[f"description_{code}"] = getattr(organization, f"description_{code}") or ""
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"name_{code}") for code, _language in settings.LANGUAGES):
            raise forms.ValidationError(_("Give the organisation's name in at least one language."))
        return data

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "sectors"}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
