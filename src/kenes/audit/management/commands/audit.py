"""``kenes audit verify`` checks the audit log; ``kenes audit seal`` seals pending events."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Verify or seal the tamper-evident audit log (see docs/audit.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,seal}")
        subcommands.add_parser(
            "verify",
            help="Check the block chain, Merkle roots and event hashes; exit with status 1 when broken.",
        )
        subcommands.add_parser("seal", help="Seal every pending event into blocks.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "seal":
            self._seal()
        else:
            self._verify()

    def _seal(self) -> None:
        from kenes.audit.services import audit_seal_all

        blocks = audit_seal_all()
        events = sum(block.event_count for block in blocks)
        if not blocks:
            self.stdout.write("Nothing to seal: no pending events.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Sealed {events} events into {len(blocks)} blocks "
                f"({blocks[0].number}–{blocks[-1].number}); the newest block hash is {blocks[-1].hash}."
            )
        )

    def _verify(self) -> None:
        from kenes.audit.services import audit_verify

        report = audit_verify()
        counts = f"{report.blocks_checked} blocks, {report.events_checked} events checked"
        counts += f" ({report.pending} pending)"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit log OK: {counts}."))
            return
        self.stdout.write(self.style.ERROR(f"Audit log BROKEN: {counts}; {len(report.problems)} problems."))
        for problem in report.problems:
            self.stderr.write(f"- {problem}")
        raise CommandError(f"first problem: {report.first_problem}")
