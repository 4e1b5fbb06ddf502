"""Working-day deadlines: the public functions of :mod:`kenes.engines.workdays`."""

from bisect import bisect_right
from datetime import date, datetime, timedelta

from kenes.engines.workdays.yearcal import check_country, year_calendar


def _check_date(value: date, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (convert a datetime to the local date first)")
    return value


def _check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, not {type(days).__name__}")
    if days < 0:
        raise ValueError(f"days must not be negative (got {days})")
    return days


def is_working_day(country: str, day: date) -> bool:
    """Whether ``day`` is a working day in ``country`` ("KZ" or "KG")."""
    code, day = check_country(country), _check_date(day, "day")
    return day.toordinal() in year_calendar(code, day.year).working_set


def add_working_days(country: str, start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0).

    ``start`` need not be a working day: 1 working day after a Saturday is the next working day.
    """
    code, start, remaining = check_country(country), _check_date(start, "start"), _check_days(days)
    if remaining == 0:
        return start
    ordinal, year = start.toordinal(), start.year
    while True:
        working = year_calendar(code, year).working
        passed = bisect_right(working, ordinal)
        if remaining <= len(working) - passed:
            return date.fromordinal(working[passed + remaining - 1])
        remaining -= len(working) - passed
        year += 1


def next_working_day(country: str, day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    if is_working_day(country, day):
        return day
    return add_working_days(country, day, 1)


def add_calendar_days(country: str, start: date, days: int) -> date:
    """``start + days`` calendar days; when that is not a working day, the next working day.

    A time limit in calendar days that ends on a day off ends on the next working day.
    """
    check_country(country)
    return next_working_day(country, _check_date(start, "start") + timedelta(days=_check_days(days)))


def working_days_between(country: str, start: date, end: date) -> int:
    """The number of working days in ``(start, end]``; 0 when ``end <= start``."""
    code, start, end = check_country(country), _check_date(start, "start"), _check_date(end, "end")
    if end <= start:
        return 0
    first, last = start.toordinal(), end.toordinal()
    total = 0
    for year in range(start.year, end.year + 1):
        working = year_calendar(code, year).working
        total += bisect_right(working, last) - bisect_right(working, first)
    return total
