from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from .models import User


def _language_for(email: str, context: dict[str, Any]) -> str:
    """The recipient's language when the address belongs to an account, else the current one."""
    user = context.get("user")
    if not isinstance(user, User) or user.email.lower() != email.lower():
        user = User.objects.filter(email__iexact=email).only("language").first() or user
    language = getattr(user, "language", None)
    if language in dict(settings.LANGUAGES):
        return language
    return translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    """Kenes' hooks into allauth: mail in the recipient's language; the sign-up language kept."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        with translation.override(_language_for(email, context)):
            super().send_mail(template_prefix, email, context)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        if commit:
            user.save()
        return user
