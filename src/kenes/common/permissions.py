"""One door for authorisation checks inside services (see docs/permissions.md)."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require_perm(actor: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``perm`` (on ``obj``, if given).

    Views declare the same permission; services check again so that the API, admin
    actions, commands and tasks cannot bypass it.
    """
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)
