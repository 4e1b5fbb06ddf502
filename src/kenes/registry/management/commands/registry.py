"""``kenes registry flag-non-reporting [--years N]`` runs the non-reporting job once;
``kenes registry import FILE --kind ngos|reports --as EMAIL [--check]`` imports a CSV or XLSX file as
that staff member, as the import page does (docs/registry.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the NGO registry's jobs (see docs/registry.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{flag-non-reporting,import}"
        )
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

        importing = subcommands.add_parser(
            "import",
            help="Import a CSV or XLSX file of NGOs or reports (a job; its page shows the bad rows).",
        )
        importing.add_argument("file", type=Path)
        importing.add_argument("--kind", choices=["ngos", "reports"], required=True)
        importing.add_argument("--as", dest="email", required=True, help="The staff member who imports.")
        importing.add_argument("--check", action="store_true", help="Check the file only: save nothing.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "import":
            self._import(options["file"], options["kind"], options["email"], options["check"])
            return
        from kenes.registry.services import ngos_flag_non_reporting

        years = options["years"]
        if years is not None and years < 1:
            raise CommandError("--years must be at least 1.")
        result = ngos_flag_non_reporting(years=years, label="cli")
        window = ", ".join(str(year) for year in result.window)
        self.stdout.write(
            f"Reporting years {window}: flagged {result.flagged} NGOs, lifted the flag from {result.lifted}."
        )

    def _import(self, path: Path, kind: str, email: str, check: bool) -> None:
        from django.contrib.auth import get_user_model
        from django.core.exceptions import PermissionDenied, ValidationError
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        from kenes.registry.services import import_job_create

        actor = get_user_model().objects.filter(email__iexact=email).first()
        if actor is None:
            raise CommandError(f"No account with the e-mail {email}.")
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            job = import_job_create(actor=actor, kind=kind, upload=upload, dry_run=check)
        except PermissionDenied as exc:
            raise CommandError(f"{email} may not import into the registry.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        job.refresh_from_db()
        self.stdout.write(
            f"Import {job.pk} ({job.get_state_display()}): {job.rows_done} of {job.total_rows} rows done, "
            f"{job.good_rows} good, {job.skipped_rows} already in, {job.bad_rows} bad. "
            f"See {reverse('registry:import', args=[job.pk])}"
        )
        if job.failure:
            raise CommandError(job.failure)
