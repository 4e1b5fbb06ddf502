from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "kenes.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from kenes.accounts.exports import register_eraser, register_exporter
        from kenes.notifications.registry import register_followable

        from .exports import erase_memberships, export_memberships
        from .models import Sector

        register_exporter("organizations", export_memberships)
        register_eraser(erase_memberships)
        # "Tell me what is new in my sector" (a module notifies a sector's followers, e.g. a new call).
        register_followable(Sector)
