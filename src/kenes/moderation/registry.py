"""What can be moderated. Modules register their content models in ``AppConfig.ready()``::

    from kenes.moderation import registry

    registry.register(
        Petition,
        author=lambda petition: petition.author,
        organization=lambda petition: petition.addressee,
        set_hidden=lambda petition, hidden: Petition.objects.filter(pk=petition.pk).update(is_hidden=hidden),
        title=lambda petition: petition.title,
        url=lambda petition: petition.get_absolute_url(),
    )

Only registered models can be reported (anything else is a 404). The callables must not
query the database for what the object already holds (the queue calls ``title`` and ``url``
for every row of a page). ``set_hidden`` is the module's own write: moderation calls it inside
its service's transaction and never touches the module's tables itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404


@dataclass(frozen=True)
class Moderatable:
    model: type[models.Model]
    author: Callable[[Any], Any]
    organization: Callable[[Any], Any]
    set_hidden: Callable[[Any, bool], None]
    title: Callable[[Any], str] = str
    url: Callable[[Any], str] | None = None
    visible_to: Callable[[Any, Any], bool] | None = None

    def title_of(self, obj: Any) -> str:
        return str(self.title(obj))

    def url_of(self, obj: Any) -> str:
        if self.url is not None:
            return self.url(obj) or ""
        get_url = getattr(obj, "get_absolute_url", None)
        return get_url() if callable(get_url) else ""

    def is_visible_to(self, user: Any, obj: Any) -> bool:
        return True if self.visible_to is None else bool(self.visible_to(user, obj))


_registry: dict[str, Moderatable] = {}


def label_of(model: type[models.Model] | models.Model) -> str:
    """``"app_label.model_name"``, as in the report and item URLs."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register(
    model: type[models.Model],
    *,
    author: Callable[[Any], Any],
    organization: Callable[[Any], Any],
    set_hidden: Callable[[Any, bool], None],
    title: Callable[[Any], str] = str,
    url: Callable[[Any], str] | None = None,
    visible_to: Callable[[Any, Any], bool] | None = None,
) -> Moderatable:
    """Make ``model`` reportable. ``visible_to(user, obj)`` (optional) hides content a person may
    not see, e.g. private submissions: such content cannot be reported by them (404)."""
    entry = Moderatable(
        model=model,
        author=author,
        organization=organization,
        set_hidden=set_hidden,
        title=title,
        url=url,
        visible_to=visible_to,
    )
    _registry[label_of(model)] = entry
    return entry


def unregister(model: type[models.Model]) -> None:
    _registry.pop(label_of(model), None)


def get(model_or_obj: type[models.Model] | models.Model) -> Moderatable | None:
    return _registry.get(label_of(model_or_obj))


def is_registered(model_or_obj: type[models.Model] | models.Model) -> bool:
    return label_of(model_or_obj) in _registry


def entry_for(obj: models.Model) -> Moderatable:
    """The registration of ``obj``'s model; Http404 if it cannot be moderated."""
    entry = get(obj)
    if entry is None:
        raise Http404("This content cannot be moderated.")
    return entry


def get_for_label(label: str) -> Moderatable:
    entry = _registry.get(label.lower())
    if entry is None:
        raise Http404("This content cannot be moderated.")
    return entry


def content_type_of(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def resolve(label: str, pk: str) -> Any:
    """The registered content ``label`` (``app_label.model``) with primary key ``pk``, or Http404.

    Uses the base manager, so content already hidden by its module is still found."""
    entry = get_for_label(label)
    try:
        key = entry.model._meta.pk.to_python(pk)
    except ValidationError:
        raise Http404("No such content.") from None
    obj = entry.model._base_manager.filter(pk=key).first()
    if obj is None:
        raise Http404("No such content.")
    return obj
