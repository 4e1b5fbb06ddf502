from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _notify_signers(response: Any) -> None:
    """The obligations hook: an answer to a petition is sent to its signers by a job."""
    from .tasks import notify_signers

    notify_signers.delay(int(response.obligation.subject_id), response.pk)


def _visible_to(user: Any, petition: Any) -> bool:
    return bool(user.has_perm("petitions.view_petition", petition))


class PetitionsConfig(AppConfig):
    name = "kenes.petitions"
    label = "petitions"
    verbose_name = _("E-petitions")

    def ready(self) -> None:
        from kenes.accounts.exports import register_eraser, register_exporter
        from kenes.moderation import registry as moderation
        from kenes.notifications.registry import register_followable
        from kenes.obligations import hooks

        from .exports import erase_petitions, export_petitions
        from .models import Petition
        from .services import petition_set_hidden

        register_exporter("petitions", export_petitions)
        register_eraser(erase_petitions)
        register_followable(Petition, perm="petitions.view_petition")
        moderation.register(
            Petition,
            author=lambda petition: petition.author,
            organization=lambda petition: petition.addressee,
            set_hidden=petition_set_hidden,
            title=lambda petition: petition.title,
            visible_to=_visible_to,
        )
        hooks.on_answered(Petition, _notify_signers)
