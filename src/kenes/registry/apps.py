from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "kenes.registry"
    label = "registry"
    verbose_name = _("NGO registry")

    def ready(self) -> None:
        from kenes.accounts.exports import register_exporter

        from .exports import export_registry

        register_exporter("registry", export_registry)
