"""Deadlines from the per-country, per-kind DeadlineRule table, counted with kenes.engines.workdays.

Pure reads: nothing here writes. See docs/obligations.md for the rules and the laws behind them.
"""

import calendar
from datetime import date, timedelta

from kenes.engines import workdays

from .models import DayType, DeadlineRule, Kind, Obligation

#: Used only when the table has neither a rule for the kind nor one for "other" in that country
#: (the data migration 0002_deadline_rules ships rules for every kind in KZ and KG).
FALLBACK_RULE = {
    "response_days": 15,
    "day_type": DayType.WORKING,
    "max_extensions": 1,
    "extension_total_months": 2,
    "extension_extra_days": None,
}


def rule_for(country: str, kind: str) -> DeadlineRule:
    """The rule for ``kind`` in ``country``, else the country's rule for "other", else a fallback."""
    rules = {r.kind: r for r in DeadlineRule.objects.filter(country=country, kind__in=[kind, Kind.OTHER])}
    rule = rules.get(kind) or rules.get(Kind.OTHER)
    if rule is None:
        rule = DeadlineRule(country=country, kind=kind, **FALLBACK_RULE)
    return rule


def deadline_from_rule(rule: DeadlineRule, opened_on: date) -> date:
    if rule.day_type == DayType.CALENDAR:
        return workdays.add_calendar_days(rule.country, opened_on, rule.response_days)
    return workdays.add_working_days(rule.country, opened_on, rule.response_days)


def deadline_for(country: str, kind: str, opened_on: date) -> date:
    """The deadline of an obligation of ``kind`` opened on ``opened_on`` in ``country``.

    Working days are counted from the day after opening; a deadline in calendar days that ends on
    a day off moves to the next working day.
    """
    return deadline_from_rule(rule_for(country, kind), opened_on)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def extension_limit(obligation: Obligation, rule: DeadlineRule | None = None) -> date | None:
    """The latest date the deadline may be extended to, or None when no extension is allowed.

    Kazakhstan counts a total term from the opening (``extension_total_months``); Kyrgyzstan
    allows extra days after the original deadline (``extension_extra_days``). When both are set,
    the earlier limit applies. A limit on a day off moves to the next working day.
    """
    rule = rule or rule_for(obligation.country, obligation.kind)
    if rule.max_extensions == 0:
        return None
    limits = []
    if rule.extension_total_months:
        limits.append(add_months(obligation.opened_on, rule.extension_total_months))
    if rule.extension_extra_days:
        limits.append(obligation.original_deadline + timedelta(days=rule.extension_extra_days))
    if not limits:
        return None
    return workdays.next_working_day(obligation.country, min(limits))


def working_days_between(country: str, start: date, end: date) -> int:
    """Working days in ``(start, end]``, negative when ``end`` is before ``start``."""
    if end >= start:
        return workdays.working_days_between(country, start, end)
    return -workdays.working_days_between(country, end, start)


def working_days_left(obligation: Obligation, today: date) -> int:
    """Working days from ``today`` to the deadline: 0 on the deadline itself, negative (at least -1)
    once it has passed, even on a weekend right after it."""
    left = working_days_between(obligation.country, today, obligation.deadline)
    if today > obligation.deadline:
        return min(left, -1)
    return left


def is_working_day(country: str, day: date) -> bool:
    return workdays.is_working_day(country, day)
