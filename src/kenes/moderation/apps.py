from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "kenes.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from kenes.accounts.exports import register_eraser, register_exporter

        from .exports import erase_moderation, export_moderation

        register_exporter("moderation", export_moderation)
        register_eraser(erase_moderation)
