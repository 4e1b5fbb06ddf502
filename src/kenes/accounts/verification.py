"""Identity-verification providers (see docs/accounts.md, "Verification levels and providers").

A provider is how Kenes learns that an account belongs to a real, single person. Providers are
listed by dotted path in ``settings.KENES_VERIFICATION_PROVIDERS`` and imported lazily, so a
deployment can add one without touching this app. Each provider has:

- ``key``: stored on every ``IdentityVerification`` it produces (``provider`` column);
- ``label``: shown to staff and to the person;
- ``level``: the verification level it grants (2 for a verified identity);
- ``staff_assisted``: True when a staff member performs it through the "Verify a person" page
  (``services.user_verify_identity``); False for self-service providers such as an OpenID
  Connect national-ID login, whose own views call ``services.identity_verification_record``
  once they have checked the person (e.g. validated the ID token and read the IIN/PIN claim).
"""

from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import VerificationLevel


@runtime_checkable
class VerificationProvider(Protocol):
    key: str
    label: str | Promise
    level: int
    staff_assisted: bool


class AdministratorProvider:
    """A staff member saw the person and their identity document, and vouches for the match."""

    key = "administrator"
    label = _("In person, by an administrator who saw the identity document")
    level = VerificationLevel.IDENTITY
    staff_assisted = True


@cache
def providers() -> dict[str, VerificationProvider]:
    """The configured providers by key, in settings order."""
    found: dict[str, VerificationProvider] = {}
    for path in settings.KENES_VERIFICATION_PROVIDERS:
        cls = import_string(path)
        provider = cls() if isinstance(cls, type) else cls
        if not isinstance(provider, VerificationProvider):
            raise TypeError(f"{path} is not a verification provider")
        found[provider.key] = provider
    return found


def get_provider(key: str) -> VerificationProvider:
    """The provider registered under ``key``; KeyError if there is none."""
    return providers()[key]


def staff_assisted_providers() -> list[VerificationProvider]:
    return [p for p in providers().values() if p.staff_assisted]
