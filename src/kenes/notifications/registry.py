"""Which models people may follow. Modules register theirs in ``AppConfig.ready()``::

    from kenes.notifications.registry import register_followable

    register_followable(Petition, perm="petitions.view_petition")

``perm`` (optional) is a rules permission checked on the object: who may not see a subject
may not follow it either. The follow/unfollow endpoints refuse unregistered models with 404.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Followable:
    model: type[Model]
    perm: str | None = None


_REGISTRY: dict[str, Followable] = {}


def label_of(model_or_obj: type[Model] | Model) -> str:
    """``app_label.model``, e.g. ``testapp.submission``: what the follow form posts."""
    return model_or_obj._meta.label_lower


def register_followable(model: type[Model], *, perm: str | None = None) -> None:
    _REGISTRY[label_of(model)] = Followable(model=model, perm=perm)


def unregister_followable(model: type[Model]) -> None:
    _REGISTRY.pop(label_of(model), None)


def get_followable(label: str) -> Followable | None:
    return _REGISTRY.get((label or "").lower())


def is_followable(obj: Any) -> bool:
    return isinstance(obj, Model) and label_of(obj) in _REGISTRY


def may_follow(user: Any, obj: Model) -> bool:
    """Is ``obj`` of a followable model, and may ``user`` see it (if its model says who may)?"""
    followable = _REGISTRY.get(label_of(obj))
    if followable is None:
        return False
    return followable.perm is None or bool(user.has_perm(followable.perm, obj))
