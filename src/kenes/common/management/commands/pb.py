"""`kenes pb …`: participatory-budgeting rules on Pabulib files from the command line.

kenes pb solve FILE.pb --rule greedy            the selected project ids, one per line, in the order chosen
kenes pb solve FILE.pb --rule mes_cost --explain  a table of every project with the reason it was (not) funded
"""

from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kenes.engines import pb
from kenes.engines.pb.model import Outcome


def _cell(value: object) -> str:
    """Floats and exact fractions ("a/b") are shown with 6 significant digits; everything else as is."""
    if isinstance(value, float):
        return f"{value:.6g}"
    text = "" if value is None else str(value)
    if "/" in text:
        try:
            return f"{float(Fraction(text)):.6g}"
        except (ValueError, ZeroDivisionError):
            return text
    return text


def _detail_keys(outcome: Outcome) -> list[str]:
    """Every scalar detail key of the rule's explanations, in the order first seen."""
    keys: dict[str, None] = {}
    for explanation in outcome.explanations.values():
        for key, value in explanation.details.items():
            if isinstance(value, str | int | float):
                keys.setdefault(key)
    return list(keys)


def _explain_table(outcome: Outcome) -> list[str]:
    detail_keys = _detail_keys(outcome)
    rows: list[tuple[str, ...]] = [("project", "selected", "reason", *detail_keys)]
    position = {pid: n for n, pid in enumerate(outcome.selected)}
    ordered = sorted(
        outcome.explanations.values(), key=lambda e: (position.get(e.project_id, len(position)), e.project_id)
    )
    for explanation in ordered:
        details = explanation.details
        rows.append(
            (
                explanation.project_id,
                "yes" if explanation.selected else "no",
                explanation.reason,
                *(_cell(details.get(key)) for key in detail_keys),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.append(
        f"total cost {outcome.total_cost} of budget {outcome.budget}; {len(outcome.selected)} projects"
    )
    return lines


class Command(BaseCommand):
    help = "Participatory-budgeting rules on Pabulib (.pb) files."
    # Pure calculation: no database, no URLs, so no system checks to wait for.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        solve = actions.add_parser(
            "solve", help="Run a rule on a .pb file.", description="Run a rule on a Pabulib .pb file."
        )
        solve.add_argument("file", metavar="FILE", help="a Pabulib .pb file")
        solve.add_argument("--rule", required=True, help=f"one of: {', '.join(pb.RULES)}")
        solve.add_argument("--explain", action="store_true", help="print every project with its reason")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            election = pb.load(options["file"])
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror or exc}") from exc
        except pb.PbFormatError as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        try:
            outcome = pb.solve(election, options["rule"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        lines = _explain_table(outcome) if options["explain"] else list(outcome.selected)
        for line in lines:
            self.stdout.write(line)
