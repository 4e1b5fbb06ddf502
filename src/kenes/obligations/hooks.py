"""What a module wants done when an obligation about one of its subjects is answered, e.g. the
petitions module telling every signer. Modules register in ``AppConfig.ready()``::

    from kenes.obligations import hooks

    hooks.on_answered(Petition, lambda response: tasks.notify_signers.delay(response.pk))

The callables run after the answer has committed (``transaction.on_commit``), so a slow or
failing hook can neither delay nor undo the answer; they should hand heavy work to a job.
"""

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.db import models, transaction

if TYPE_CHECKING:
    from .models import Response

AnsweredHook = Callable[["Response"], None]

_answered: dict[str, list[AnsweredHook]] = {}


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def on_answered(model: type[models.Model], hook: AnsweredHook) -> None:
    """Call ``hook(response)`` after an obligation whose subject is a ``model`` is answered."""
    hooks = _answered.setdefault(_label(model), [])
    if hook not in hooks:
        hooks.append(hook)


def clear(model: type[models.Model]) -> None:
    _answered.pop(_label(model), None)


def answered(response: "Response") -> None:
    """Schedule the hooks registered for the subject's model (called by ``obligation_respond``)."""
    subject_type = response.obligation.subject_type
    for hook in _answered.get(f"{subject_type.app_label}.{subject_type.model}", []):
        transaction.on_commit(partial(hook, response))
