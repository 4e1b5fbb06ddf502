"""Forms of the appeals pages: submitting (POST), the lists' filters (GET), co-signing (POST).

Forms only validate input; the services route, number and check the attachments and say why
they refuse (ValidationError put back on the bound form by the views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kenes.common.forms import with_blank
from kenes.obligations.forms import MultipleFileField
from kenes.organizations.models import Organization, Topic
from kenes.territories.forms import TerritoryChoiceField
from kenes.territories.models import Territory

from . import selectors
from .models import Appeal


class BodyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.territory.name})" if obj.territory_id else str(obj.name)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of appeal"), choices=with_blank(Appeal.Kind.choices, "—"))
    territory = TerritoryChoiceField(
        label=_("Territory"),
        empty_label="—",
        help_text=_("Where the matter is: it decides which body is competent."),
    )
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.order_by("position", "code"), empty_label="—"
    )
    addressee = BodyChoiceField(
        label=_("Body"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Route automatically (by territory and topic)"),
        help_text=_("Leave it to the rules, or choose the body yourself."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Text of the appeal"), widget=forms.Textarea(attrs={"rows": 10}), max_length=50_000
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX, ODT or TXT; up to 5 files of 10 MB each."),
    )
    on_behalf_of: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("On behalf of"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Myself"),
        help_text=_("An organisation you are a member of."),
    )
    is_collective = forms.BooleanField(
        label=_("Collective appeal: others may co-sign it"),
        required=False,
        help_text=_("You will get a link to share with the people who sign it with you."),
    )
    is_public = forms.BooleanField(
        label=_("Publish it anonymised"),
        required=False,
        help_text=_(
            "Anyone may then read the text and the response, never your name or the attachments. "
            "Do not put personal details in the text if you publish it."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the appeal"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("language", (translation.get_language() or settings.LANGUAGE_CODE)[:2])
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = selectors.addressee_choices()  # type: ignore[attr-defined]
        self.fields["on_behalf_of"].queryset = selectors.member_organizations(user)  # type: ignore[attr-defined]

    def preview(self) -> dict[str, Any] | None:
        """Where the appeal would go with what was typed: ``{"body": …, "rule": …}`` (body None when
        no rule applies), or None when it cannot tell yet (no territory or topic)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("addressee") is not None:
            return {"body": data["addressee"], "rule": None}
        if data.get("territory") is None or data.get("topic") is None:
            return None
        rule = selectors.route(territory=data["territory"], topic=data["topic"])
        return {"body": rule.organization if rule is not None else None, "rule": rule}


class _ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=with_blank(Appeal.Kind.choices, _("Any kind"))
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Any state")),
            (selectors.AWAITING, _("Awaiting an answer")),
            (selectors.ANSWERED, _("Answered")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) or None for key in self.fields}


class MyAppealsFilterForm(_ListFilterForm):
    pass


class PublicFilterForm(_ListFilterForm):
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.order_by("position", "code"),
        empty_label=_("Any topic"),
    )
    territory = TerritoryChoiceField(label=_("Territory"), required=False, empty_label=_("Anywhere"))
    organization = BodyChoiceField(
        label=_("Body"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Any body"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.addressee_choices()  # type: ignore[attr-defined]
        data = args[0] if args else kwargs.get("data")
        code = data.get("territory") if data is not None else None
        if code:  # a deeper unit given by a link renders as selected too
            field: TerritoryChoiceField = self.fields["territory"]  # type: ignore[assignment]
            field.queryset = Territory.objects.filter(Q(level__lte=2) | Q(code=code)).order_by(
                "country", "path"
            )


class CosignForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the appeal and sign it with the author"))


class PublishForm(forms.Form):
    """Empty: the button says it all (publish or make private)."""
