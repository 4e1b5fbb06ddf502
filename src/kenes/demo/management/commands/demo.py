from typing import Any

from django.core.management.base import BaseCommand

from kenes.demo.services import ADMIN_EMAIL, demo_load


class Command(BaseCommand):
    help = "Load the demo data: territories, sample organisations, a demo administrator. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        kind = "bundled sample extract" if result.territories_sample else "real classifiers"
        self.stdout.write(
            f"Territories: {kind} from {result.territories_source} ({result.territories_created} new)."
        )
        made = len(result.organizations_created)
        self.stdout.write(f"Sample organisations: {made} new (marked 'Sample').")
        self.stdout.write(
            f"Sample petitions: {result.petitions_created} new; sample appeals: {result.appeals_created} new."
        )
        loaded = {True: "loaded", False: "already there"}
        self.stdout.write(
            f"Sample participatory budget: {loaded[result.budgeting_created]}; "
            f"sample NGO registry: {loaded[result.registry_created]}; "
            f"sample grant call: {loaded[bool(result.grants_created)]}."
        )
        self.stdout.write(f"Audit log: {result.blocks_sealed} new block(s) sealed.")
        if result.admin_password:
            self.stdout.write(
                self.style.SUCCESS(
                    "\nDemo administrator created. These credentials are shown only once:\n"
                    f"  e-mail:   {ADMIN_EMAIL}\n  password: {result.admin_password}\n"
                    "  admin:    http://127.0.0.1:8000/en/admin/\n"
                )
            )
        else:
            self.stdout.write(
                f"Demo administrator {ADMIN_EMAIL} already exists (password shown at first run)."
            )
