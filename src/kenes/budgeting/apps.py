from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "kenes.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")

    def ready(self) -> None:
        from kenes.accounts.exports import register_eraser, register_exporter
        from kenes.notifications.registry import register_followable

        from .exports import erase_budgeting, export_budgeting
        from .models import Proposal

        register_exporter("budgeting", export_budgeting)
        register_eraser(erase_budgeting)
        register_followable(Proposal, perm="budgeting.view_proposal")
