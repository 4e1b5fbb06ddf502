"""Forms check the shape of the input; the services check the rules (reason length, once only)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, Report
from .selectors import QUEUE_STATES


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is wrong?"), choices=Report.Category.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional, unless you chose “Something else”. The author will not see who reported."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") == Report.Category.OTHER and not (data.get("text") or "").strip():
            self.add_error("text", _("Say what is wrong."))
        return data


class DecideForm(forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=Decision.Action.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published with the decision and sent to the author. For hiding, write at least a sentence. "
            "Never name the reporters."
        ),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why is the decision wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A moderator other than the one who decided will consider it."),
    )


class ResolveAppealForm(forms.Form):
    OUTCOMES = [("uphold", _("Uphold the decision")), ("reverse", _("Reverse it and show the content again"))]

    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the author. Write at least a sentence."),
    )

    def __init__(self, *args: Any, appeal_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"appeal-{appeal_id}")
        super().__init__(*args, **kwargs)
        self.appeal_id = appeal_id


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("open", _("Awaiting a decision")), ("decided", _("Decided"))],
    )

    def state_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("state") in QUEUE_STATES:
            return str(self.cleaned_data["state"])
        return "open"
