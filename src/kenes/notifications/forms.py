from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Send me notifications by e-mail"),
        required=False,
        help_text=_("When this is off you get no e-mail from Kenes notifications, only notices on the site."),
    )
    digest_enabled = forms.BooleanField(
        label=_("Send me a daily digest"),
        required=False,
        help_text=_("Once a day, a summary of the notices you have not read yet."),
    )


class FollowForm(forms.Form):
    content_type = forms.CharField(max_length=200)
    object_id = forms.IntegerField(min_value=1)
    next = forms.CharField(max_length=2000, required=False)


class NextForm(forms.Form):
    next = forms.CharField(max_length=2000, required=False)
