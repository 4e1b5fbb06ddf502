from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "kenes.grants"
    label = "grants"
    verbose_name = _("Social order and grants")

    def ready(self) -> None:
        from kenes.accounts.exports import register_exporter
        from kenes.notifications.registry import register_followable

        from .exports import export_grants
        from .models import Call

        register_exporter("grants", export_grants)
        # Publishing a call also notifies the followers of its programme's sectors and of its
        # territory and every unit above it (both followable from the core apps).
        register_followable(Call, perm="grants.view_call")
