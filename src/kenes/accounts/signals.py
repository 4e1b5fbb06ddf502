"""Receivers for allauth events only (house style §8)."""

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver


@receiver(authenticator_added, dispatch_uid="kenes.accounts.level_on_authenticator_added")
@receiver(authenticator_removed, dispatch_uid="kenes.accounts.level_on_authenticator_removed")
def recompute_level_on_authenticator_change(sender: Any, user: Any, **kwargs: Any) -> None:
    from .services import user_recompute_verification_level

    user_recompute_verification_level(user=user)
