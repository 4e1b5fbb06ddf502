from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "kenes.territories"
    label = "territories"
    verbose_name = _("Territories")

    def ready(self) -> None:
        from kenes.notifications.registry import register_followable

        from .models import Territory

        # "Tell me what is new in my region" (a module notifies the followers of a territory and of
        # every unit above it, e.g. a new call).
        register_followable(Territory)
