"""``kenes territories load [--source DIR] [--country KZ|KG ...]``: load the KATO/SOATE classifiers."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kenes.territories.models import Country
from kenes.territories.services import TerritoryLoadError, default_source_dir, territories_load


class Command(BaseCommand):
    help = "Work with the administrative-territorial classifiers (KATO for Kazakhstan, SOATE for Kyrgyzstan)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = sub.add_parser(
            "load",
            help="Load or update territories from kz_kato.csv and kg_soate.csv (idempotent).",
            description="Default source: KENES_DATA_DIR/territories when both files are there, "
            "otherwise the small sample bundled with Kenes.",
        )
        load.add_argument("--source", type=Path, default=None, help="Directory holding the CSV files.")
        load.add_argument(
            "--country",
            action="append",
            choices=Country.values,
            type=str.upper,
            help="Load only this country (repeat for several). Default: all.",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "load":
            self._load(source=options["source"], countries=options["country"] or Country.values)

    def _load(self, *, source: Path | None, countries: list[str]) -> None:
        if source is None:
            source, is_sample = default_source_dir()
            what = "the bundled sample (an extract)" if is_sample else "the full classifiers"
        else:
            what = "the given directory"
        self.stdout.write(f"Loading {', '.join(countries)} from {what}: {source}")
        started = time.monotonic()
        try:
            result = territories_load(actor=None, source_dir=source, countries=countries, actor_label="cli")
        except TerritoryLoadError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for country, counts in result.by_country.items():
            self.stdout.write(
                f"  {country}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts['absent']} in the database but not in the file"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.1f} s: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        )
