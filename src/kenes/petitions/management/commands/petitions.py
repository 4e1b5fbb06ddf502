"""``kenes petitions verify-count ID`` checks a published count against the rows and the audit log;
``kenes petitions count`` and ``kenes petitions reconcile`` run the jobs once (docs/petitions.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Check and run the petitions' signature counts (see docs/petitions.md, Counting)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify-count,count,reconcile}"
        )
        verify = subcommands.add_parser(
            "verify-count",
            help="Compare a petition's published count with its signature rows and the audit log; "
            "exit with status 1 when they differ.",
        )
        verify.add_argument("petition_id", type=int)
        verify.add_argument(
            "--no-count",
            action="store_true",
            help="Do not run the counting job first (compare with the count as published).",
        )
        count = subcommands.add_parser("count", help="Run the counting job once.")
        count.add_argument(
            "--now",
            action="store_true",
            help="Count up to now, without the lag (PETITIONS_COUNT_LAG_SECONDS).",
        )
        subcommands.add_parser("reconcile", help="Reset any count that differs from the signature rows.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        from kenes.petitions import services

        if subcommand == "count":
            folded = services.signatures_count(lag_seconds=0 if options["now"] else None)
            self.stdout.write(f"Folded {folded} confirmations and withdrawals into the counts.")
        elif subcommand == "reconcile":
            corrected = services.signatures_reconcile()
            self.stdout.write(f"Corrected the counts of {corrected} petitions.")
        else:
            self._verify(options["petition_id"], count_first=not options["no_count"])

    def _verify(self, petition_id: int, *, count_first: bool) -> None:
        from kenes.petitions.models import Petition
        from kenes.petitions.services import petition_verify_count

        petition = Petition.objects.filter(pk=petition_id).first()
        if petition is None:
            raise CommandError(f"No petition {petition_id}.")
        check = petition_verify_count(petition, count_first=count_first)
        self.stdout.write(f"Petition {petition.pk}: {petition.title}")
        self.stdout.write(f"  signature rows that count: {check.rows}")
        self.stdout.write(f"  audit log (confirmed − withdrawn): {check.audited}")
        self.stdout.write(f"  published count: {check.stored}")
        if check.ok:
            self.stdout.write(self.style.SUCCESS("OK: the three agree."))
            return
        raise CommandError("MISMATCH: the published count, the rows and the audit log do not all agree.")
