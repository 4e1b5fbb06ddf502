"""`kenes workdays …`: working-day deadlines for Kazakhstan and Kyrgyzstan from the command line.

kenes workdays add --country KZ 2026-03-19 15            the 15th working day after the date
kenes workdays add-calendar --country KZ 2026-03-11 10   10 calendar days, then the next working day
kenes workdays between --country KG 2026-01-01 2026-02-01  working days in (start, end]
kenes workdays is-working --country KZ 2026-03-21        yes / no
kenes workdays next --country KG 2026-01-01              the day itself or the next working day
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kenes.engines import workdays


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Invalid date {value!r}: use YYYY-MM-DD, e.g. 2026-03-19.") from exc


def day_count(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise CommandError(f"Invalid number of days {value!r}: use a whole number, e.g. 15.") from exc


def _add(o: dict[str, Any]) -> str:
    return workdays.add_working_days(o["country"], iso_date(o["start"]), day_count(o["days"])).isoformat()


def _add_calendar(o: dict[str, Any]) -> str:
    return workdays.add_calendar_days(o["country"], iso_date(o["start"]), day_count(o["days"])).isoformat()


def _between(o: dict[str, Any]) -> str:
    return str(workdays.working_days_between(o["country"], iso_date(o["start"]), iso_date(o["end"])))


def _is_working(o: dict[str, Any]) -> str:
    return "yes" if workdays.is_working_day(o["country"], iso_date(o["day"])) else "no"


def _next(o: dict[str, Any]) -> str:
    return workdays.next_working_day(o["country"], iso_date(o["day"])).isoformat()


ACTIONS: dict[str, tuple[Callable[[dict[str, Any]], str], str, tuple[str, ...]]] = {
    "add": (_add, "The DAYS-th working day after START.", ("start", "days")),
    "add-calendar": (
        _add_calendar,
        "START + DAYS calendar days, moved to the next working day.",
        ("start", "days"),
    ),
    "between": (
        _between,
        "The number of working days after START up to and including END.",
        ("start", "end"),
    ),
    "is-working": (_is_working, "Whether DAY is a working day: yes or no.", ("day",)),
    "next": (_next, "DAY itself if it is a working day, else the next working day.", ("day",)),
}


class Command(BaseCommand):
    help = "Working-day deadlines for Kazakhstan (KZ) and Kyrgyzstan (KG). Dates are YYYY-MM-DD."
    # Pure calculation: no database, no URLs, so no system checks to wait for.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, (_, help_text, arguments) in ACTIONS.items():
            sub = actions.add_parser(name, help=help_text, description=help_text)
            sub.add_argument("--country", required=True, help="KZ or KG")
            for argument in arguments:
                sub.add_argument(argument, metavar=argument.upper())

    def handle(self, *args: Any, **options: Any) -> None:
        run = ACTIONS[options["action"]][0]
        try:
            result = run(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result)
