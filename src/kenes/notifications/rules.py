"""Who may do what with notifications. Every perm is ``notifications.<verb>_<model>``.

- ``view_notification`` / ``read_notification`` (obj: a Notification): its recipient only;
- ``change_preference`` (obj: a User): that person only;
- ``follow_subject`` (obj: any subject): an active person, when the subject's model is registered
  as followable and the person may see it (see ``registry.py``).
"""

from typing import Any

import rules

from . import registry


def _active(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "deleted_at", None) is None
    )


@rules.predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and _active(user) and notification.recipient_id == user.pk


@rules.predicate
def is_self(user: Any, other: Any) -> bool:
    return other is not None and _active(user) and other.pk == user.pk


@rules.predicate
def may_follow(user: Any, subject: Any) -> bool:
    return subject is not None and _active(user) and registry.may_follow(user, subject)


rules.add_perm("notifications.view_notification", is_recipient)
rules.add_perm("notifications.read_notification", is_recipient)
rules.add_perm("notifications.change_preference", is_self)
rules.add_perm("notifications.follow_subject", may_follow)
