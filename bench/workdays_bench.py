"""Working-day deadlines: 100,000 `add_working_days` calls against the reference, a day-by-day
walk that asks the `holidays` package about every day (plus the same transfers data).

Pure Python, no database. Yields `name, value` pairs like the other benchmarks.
"""

import random
import time
from collections.abc import Iterator
from datetime import date, timedelta

import holidays

from kenes.engines.workdays import add_working_days, load_transfers

CALLS = 100_000
NAIVE_CALLS = 5_000


def _cases(count: int, seed: int = 20260319) -> list[tuple[str, date, int]]:
    rng = random.Random(seed)
    first = date(2024, 1, 1).toordinal()
    return [
        (rng.choice(("KZ", "KG")), date.fromordinal(first + rng.randrange(3 * 365)), rng.randint(1, 30))
        for _ in range(count)
    ]


def _naive_add(package: holidays.HolidayBase, country: str, start: date, days: int) -> date:
    day, found = start, 0
    while found < days:
        day += timedelta(days=1)
        transfers = load_transfers(country, day.year)
        off = day.weekday() >= 5 or day in package or day in transfers.days_off
        found += day in transfers.working_days or not off
    return day


def run() -> Iterator[tuple[str, str]]:
    cases = _cases(CALLS)
    add_working_days("KZ", date(2024, 1, 1), 800)  # warm the per-year caches once
    add_working_days("KG", date(2024, 1, 1), 800)
    started = time.perf_counter()
    results = [add_working_days(country, start, days) for country, start, days in cases]
    fast_s = time.perf_counter() - started

    packages = {c: holidays.country_holidays(c, years=range(2024, 2029)) for c in ("KZ", "KG")}
    started = time.perf_counter()
    naive = [_naive_add(packages[c], c, start, days) for c, start, days in cases[:NAIVE_CALLS]]
    naive_s = time.perf_counter() - started
    assert naive == results[:NAIVE_CALLS], "workdays engine and the day-by-day walk disagree"

    fast_rate, naive_rate = CALLS / fast_s, NAIVE_CALLS / naive_s
    yield "workdays.calls", str(CALLS)
    yield "workdays.add_seconds", f"{fast_s:.3f}"
    yield "workdays.add_per_s", f"{fast_rate:.0f}"
    yield "workdays.naive_add_per_s", f"{naive_rate:.0f}"
    yield "workdays.speedup", f"{fast_rate / naive_rate:.1f}"


if __name__ == "__main__":
    for name, value in run():
        print(f"{name}: {value}")
