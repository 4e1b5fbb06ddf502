from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "kenes.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from kenes.accounts.exports import register_eraser, register_exporter
        from kenes.notifications.registry import register_followable

        from .exports import erase_appeals, export_appeals
        from .models import Appeal

        register_exporter("appeals", export_appeals)
        register_eraser(erase_appeals)
        register_followable(Appeal, perm="appeals.view_appeal")
