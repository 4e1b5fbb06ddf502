"""Signed unsubscribe tokens: who, and (optionally) which followed subject.

A token carries no expiry: an old e-mail's link must keep working. It is salted, so a token
signed for anything else in Kenes is refused here.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Model

SALT = "kenes.notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeToken:
    user_id: int
    subject_label: str = ""  # "app_label.model" when the token stops following one subject
    subject_id: int | None = None


def make_token(user_id: int, subject: Model | None = None) -> str:
    payload: dict[str, object] = {"u": user_id}
    if subject is not None:
        payload["s"] = subject._meta.label_lower
        payload["o"] = subject.pk
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> UnsubscribeToken | None:
    """The token's content, or None if it is forged, damaged or malformed."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    label, object_id = payload.get("s", ""), payload.get("o")
    if label and not (isinstance(label, str) and isinstance(object_id, int)):
        return None
    return UnsubscribeToken(
        user_id=payload["u"], subject_label=label or "", subject_id=object_id if label else None
    )
