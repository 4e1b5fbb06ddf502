"""Forms of the petition pages: the list's search and filters, writing a petition (create and edit),
signing, and the moderators' decision.

Forms only validate input; the services check the rules again (state, permissions, terms) and raise
ValidationError, which the views put back on the form so the person keeps what they typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kenes.common.forms import with_blank
from kenes.organizations.forms import TerritoryFilterField
from kenes.organizations.models import Organization, Topic
from kenes.territories.models import Territory

from .models import Level, Petition


def _language_default() -> str:
    """The request's language when it is one of the site's, else the site default."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = (get_language() or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


def state_bodies() -> Any:
    """Bodies a petition can be addressed to: operating state bodies (executive, representative,
    self-government), by name."""
    return Organization.objects.state().operating().order_by("name")


class PetitionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=with_blank(
            [
                (Petition.State.OPEN, Petition.State.OPEN.label),
                (Petition.State.CLOSED, Petition.State.CLOSED.label),
            ],
            _("Open or closed"),
        ),
    )
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="code",
        empty_label=_("Any topic"),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=with_blank(Level.choices, _("Any level"))
    )
    territory = TerritoryFilterField(label=_("Territory"), required=False, empty_label=_("Anywhere"))
    addressee: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Addressed to"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Any body"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        addressee: forms.ModelChoiceField[Organization] = self.fields["addressee"]  # type: ignore[assignment]
        addressee.queryset = state_bodies()

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.petition_list``; an invalid value is ignored, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "state": data.get("state") or None,
            "topic": data.get("topic"),
            "level": data.get("level") or None,
            "territory": data.get("territory"),
            "addressee": data.get("addressee"),
        }


class PetitionForm(forms.Form):
    """Create and edit. ``addressee`` is limited to state bodies; ``language`` defaults to the
    language of the page the author is using."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("One sentence that says what you ask for."),
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_("What the problem is and why it matters."),
    )
    demand = forms.CharField(
        label=_("Action demanded"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        help_text=_("What the body should do."),
    )
    addressee: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Addressed to"),
        queryset=Organization.objects.none(),
        empty_label="—",
        help_text=_("The state body that must answer once the threshold is reached."),
    )
    territory: forms.ModelChoiceField[Territory] = TerritoryFilterField(
        label=_("Territory"), empty_label="—", help_text=_("Where the problem is.")
    )
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), empty_label="—"
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=with_blank(Level.choices, "—"),
        help_text=_("The level sets how many signatures are needed and for how long the petition is open."),
    )
    language = forms.ChoiceField(label=_("Language of the petition"), choices=settings.LANGUAGES)

    FIELDS = ("title", "text", "demand", "addressee", "territory", "topic", "level", "language")

    def __init__(self, *args: Any, petition: Petition | None = None, **kwargs: Any) -> None:
        if petition is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": petition.title,
                "text": petition.text,
                "demand": petition.demand,
                "addressee": petition.addressee_id,
                "territory": petition.territory.code,
                "topic": petition.topic_id,
                "level": petition.level,
                "language": petition.language,
            }
        super().__init__(*args, **kwargs)
        addressee: forms.ModelChoiceField[Organization] = self.fields["addressee"]  # type: ignore[assignment]
        addressee.queryset = state_bodies()
        # Regions and districts are offered; a deeper unit (chosen before, or sent by a link) is
        # accepted and renders as the selected option too.
        deeper = Q(pk=petition.territory_id) if petition is not None else Q(pk__in=[])
        code = self.data.get("territory") if self.is_bound else None
        if code:
            deeper |= Q(code=str(code))
        territory: TerritoryFilterField = self.fields["territory"]  # type: ignore[assignment]
        territory.queryset = Territory.objects.filter(Q(level__lte=2) | deeper).order_by("path")
        self.fields["language"].initial = _language_default()

    def values(self) -> dict[str, Any]:
        """The cleaned fields as keyword arguments for ``petition_create`` / ``petition_update``."""
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class SignForm(forms.Form):
    show_name = forms.BooleanField(
        label=_("Show my name publicly in the list of signers"),
        required=False,
        help_text=_("Otherwise only the count includes you."),
    )


class ModerateForm(forms.Form):
    DECISIONS = [("approve", _("Approve and open for signatures")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        help_text=_("Required to reject: the author sees it and can edit the petition and submit it again."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", forms.ValidationError(_("Give the reason for rejecting the petition.")))
        return data

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
