"""Reads: the notification centre, unread counts, follows and preferences."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, Model, Q, QuerySet
from django.http import Http404

from .models import Follow, Notification, Preference
from .tokens import read_token


def notification_list(user: Any) -> QuerySet[Notification]:
    """A person's notices for the centre and the API: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.for_centre()
        .filter(recipient_id=user.pk)
        .annotate(is_unread=unread)
        .order_by("-is_unread", "-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    """One COUNT over the partial index on unread notices."""
    return Notification.objects.unread().for_centre().filter(recipient_id=user.pk).count()


def notification_of(user: Any, notification_id: int) -> Notification:
    """One of the person's own notices; anyone else's is a 404 (not a 403: it is not theirs to see)."""
    notification = Notification.objects.filter(pk=notification_id, recipient_id=user.pk).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def preference_of(user: Any) -> Preference:
    """The person's settings; the defaults (not saved) if they never changed them."""
    preference = Preference.objects.filter(user_id=user.pk).first()
    return preference or Preference(user_id=user.pk)


def preferences_for(user_ids: list[int]) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}


def subject_type_of(subject: Model) -> ContentType:
    return ContentType.objects.get_for_model(subject, for_concrete_model=False)


def follows_of_subject(subject: Model) -> QuerySet[Follow]:
    return Follow.objects.filter(subject_type=subject_type_of(subject), subject_id=subject.pk)


def followers_of(subject: Model) -> QuerySet[Any]:
    """The active, non-deleted people who follow ``subject``."""
    follower_ids = follows_of_subject(subject).values("user_id")
    return get_user_model().objects.filter(pk__in=follower_ids, is_active=True, deleted_at__isnull=True)


def is_following(user: Any, subject: Model) -> bool:
    """One query (the content type is cached by Django)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return follows_of_subject(subject).filter(user_id=user.pk).exists()


@dataclass(frozen=True)
class UnsubscribeTarget:
    """What an unsubscribe token points at: a person and, perhaps, a subject they follow."""

    user: Any
    subject_label: str = ""
    subject_id: int | None = None

    @property
    def names_subject(self) -> bool:
        return bool(self.subject_label)


def unsubscribe_target(token: str) -> UnsubscribeTarget | None:
    """Read a token; None when it is bad or its person no longer exists."""
    data = read_token(token)
    if data is None:
        return None
    user = get_user_model().objects.filter(pk=data.user_id, deleted_at__isnull=True).first()
    if user is None:
        return None
    return UnsubscribeTarget(user, data.subject_label, data.subject_id)


def unsubscribe_subject(target: UnsubscribeTarget) -> Model | None:
    """The subject an unsubscribe token names, if it still exists (to show what will stop)."""
    if not target.names_subject:
        return None
    try:
        model = apps.get_model(target.subject_label)
    except (LookupError, ValueError):
        return None
    return model._default_manager.filter(pk=target.subject_id).first()
