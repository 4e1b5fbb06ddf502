"""Transfers of working days, kept as data: ``data/<country>/<year>.json``.

A government moves days off: a Saturday becomes a working day in exchange for a bridge day
off. The ``holidays`` package records the day off but not the working Saturday, so the
working days (and any day off the package lacks) live here, one file per country and year,
each with the decree it comes from. A year without a file has no known transfers.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

ALLOWED_KEYS = frozenset({"source", "notes", "working_days", "days_off"})


@dataclass(frozen=True)
class Transfers:
    """One country-year of transfers: days that work despite the rules, days off the package lacks."""

    source: str
    working_days: frozenset[date]
    days_off: frozenset[date]


NO_TRANSFERS = Transfers(source="", working_days=frozenset(), days_off=frozenset())


def _data_dir(country: str) -> Any:
    return resources.files("kenes.engines.workdays") / "data" / country.lower()


def _parse_days(raw: Any, year: int, key: str, where: str) -> frozenset[date]:
    if not isinstance(raw, list):
        raise ValueError(f"{where}: '{key}' must be a list of ISO dates")
    days = set()
    for item in raw:
        try:
            day = date.fromisoformat(item)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: '{key}' has {item!r}, which is not an ISO date (YYYY-MM-DD)") from exc
        if day.year != year:
            raise ValueError(f"{where}: '{key}' has {item}, which is not in {year}")
        days.add(day)
    return frozenset(days)


def parse_transfers(payload: Any, year: int, where: str) -> Transfers:
    """Validate one data file's content; ``where`` names it in error messages."""
    if not isinstance(payload, dict):
        raise ValueError(f"{where}: expected a JSON object")
    unknown = set(payload) - ALLOWED_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    source = payload.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: 'source' (the decree: name, number, date, URL) is required")
    working = _parse_days(payload.get("working_days", []), year, "working_days", where)
    days_off = _parse_days(payload.get("days_off", []), year, "days_off", where)
    both = sorted(day.isoformat() for day in working & days_off)
    if both:
        raise ValueError(f"{where}: days both working and off: {both}")
    return Transfers(source=source, working_days=working, days_off=days_off)


@cache
def load_transfers(country: str, year: int) -> Transfers:
    """The transfers for ``country`` (``"KZ"``/``"KG"``) in ``year``; none when there is no file."""
    path = _data_dir(country) / f"{year}.json"
    if not path.is_file():
        return NO_TRANSFERS
    where = f"workdays data {country.lower()}/{year}.json"
    return parse_transfers(json.loads(path.read_text(encoding="utf-8")), year, where)


def transfer_years(country: str) -> tuple[int, ...]:
    """Years with a transfers file (checked against a source), oldest first."""
    folder = _data_dir(country)
    if not folder.is_dir():
        return ()
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(int(name[:-5]) for name in names if name.endswith(".json") and name[:-5].isdigit()))
