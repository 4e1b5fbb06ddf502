from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "kenes.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from kenes.accounts.exports import register_eraser, register_exporter

        from .exports import erase_memberships, export_memberships

        register_exporter("organizations", export_memberships)
        register_eraser(erase_memberships)
