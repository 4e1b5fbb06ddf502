"""``notifications_unread`` for the header link: one COUNT, and only when a template uses it."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest


def unread_count(request: HttpRequest) -> dict[str, Callable[[], int] | int]:
    """Templates call the callable (``{{ notifications_unread }}``); it counts once per request."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}

    @functools.cache
    def count() -> int:
        from .selectors import unread_count as count_unread

        return count_unread(user)

    return {"notifications_unread": count}
