"""``kenes registry flag-non-reporting [--years N]`` runs the non-reporting job once (docs/registry.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the NGO registry's jobs (see docs/registry.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{flag-non-reporting}")
        flag = subcommands.add_parser(
            "flag-non-reporting",
            help="Flag operating NGOs with no report for the last N closed years as possibly "
            "non-operating, and lift the flag from flagged NGOs that have reported.",
        )
        flag.add_argument(
            "--years",
            type=int,
            default=None,
            help="How many closed reporting years to look at (default: REGISTRY_NON_REPORTING_YEARS).",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        from kenes.registry.services import ngos_flag_non_reporting

        years = options["years"]
        if years is not None and years < 1:
            raise CommandError("--years must be at least 1.")
        result = ngos_flag_non_reporting(years=years, label="cli")
        window = ", ".join(str(year) for year in result.window)
        self.stdout.write(
            f"Reporting years {window}: flagged {result.flagged} NGOs, lifted the flag from {result.lifted}."
        )
