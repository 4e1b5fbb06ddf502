"""One country-year of working days, built once and cached.

A day is a working day unless it is a Saturday or Sunday, a public holiday of the
``holidays`` package (including its observed and substituted days), or a day off from the
transfers data; a working day from the transfers data works whatever the rest says.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from kenes.engines.workdays.transfers import load_transfers

COUNTRIES = ("KZ", "KG")
MIN_YEAR = 2000
MAX_YEAR = 2099


@dataclass(frozen=True)
class YearCalendar:
    """The working days of one year as sorted ordinals (``date.toordinal()``) and as a set."""

    year: int
    working: tuple[int, ...]
    working_set: frozenset[int]


def check_country(country: str) -> str:
    if not isinstance(country, str) or country.upper() not in COUNTRIES:
        raise ValueError(f"Unknown country {country!r}: working days are known for {', '.join(COUNTRIES)}")
    return country.upper()


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"Year {year} is outside the supported range {MIN_YEAR}–{MAX_YEAR}")
    return year


def public_holidays(country: str, year: int) -> frozenset[date]:
    """The package's public holidays (with observed and substituted days) that fall in ``year``."""
    # The previous year too: a late-December holiday may be observed in early January.
    found = holidays.country_holidays(country, years=(year - 1, year))
    return frozenset(day for day in found if day.year == year)


@cache
def year_calendar(country: str, year: int) -> YearCalendar:
    """The working days of ``country`` in ``year`` (country already checked)."""
    check_year(year)
    transfers = load_transfers(country, year)
    off = public_holidays(country, year) | transfers.days_off
    day, working = date(year, 1, 1), []
    while day.year == year:
        if day in transfers.working_days or (day.weekday() < 5 and day not in off):
            working.append(day.toordinal())
        day += timedelta(days=1)
    return YearCalendar(year=year, working=tuple(working), working_set=frozenset(working))
