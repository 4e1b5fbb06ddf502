"""Working-day deadlines for Kazakhstan ("KZ") and Kyrgyzstan ("KG").

Weekends are Saturday and Sunday; public holidays (with the movable religious holidays and
the substituted days off) come from the ``holidays`` package; the governments' transfers of
working days (a working Saturday for a bridge day off) come from ``data/<country>/<year>.json``.
Pure Python, no Django; cached per country and year. See docs/workdays.md.
"""

from kenes.engines.workdays.api import (
    add_calendar_days,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from kenes.engines.workdays.transfers import load_transfers, transfer_years
from kenes.engines.workdays.yearcal import COUNTRIES, MAX_YEAR, MIN_YEAR

__all__ = [
    "COUNTRIES",
    "MAX_YEAR",
    "MIN_YEAR",
    "add_calendar_days",
    "add_working_days",
    "is_working_day",
    "load_transfers",
    "next_working_day",
    "transfer_years",
    "working_days_between",
]
