from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "kenes.grants"
    label = "grants"
    verbose_name = _("Social order and grants")

    def ready(self) -> None:
        from kenes.accounts.exports import register_exporter
        from kenes.notifications.registry import register_followable
        from kenes.organizations.models import Sector
        from kenes.territories.models import Territory

        from .exports import export_grants
        from .models import Call

        register_exporter("grants", export_grants)
        register_followable(Call, perm="grants.view_call")
        # "Tell me about new calls in my sector / my region": publishing a call notifies the
        # followers of its programme's sectors and of its territory and every unit above it.
        register_followable(Sector)
        register_followable(Territory)
