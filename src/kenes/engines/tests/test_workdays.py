"""Working-day deadlines for KZ and KG, checked against published production calendars.

Pure pytest, no Django database.
"""

import calendar
import json
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenes.engines.workdays import (
    add_calendar_days,
    add_working_days,
    is_working_day,
    load_transfers,
    next_working_day,
    transfer_years,
    working_days_between,
)
from kenes.engines.workdays.transfers import parse_transfers
from kenes.engines.workdays.yearcal import public_holidays

COUNTRIES = ("KZ", "KG")


def working_days_in_month(country: str, year: int, month: int) -> int:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return working_days_between(country, first - timedelta(days=1), last)


def working_days_in_year(country: str, year: int) -> int:
    return working_days_between(country, date(year - 1, 12, 31), date(year, 12, 31))


# --- published production calendars -------------------------------------------------------------

# KZ 2024, five-day week: Balance of working time of the Ministry of Labour and Social Protection
# (https://help.inbuh.kz/6801/): 21 21 17 22 20 19 22 21 21 22 21 21 = 248. The balance was drawn up
# with Kurban ait on Monday 17 June; the Spiritual Administration of Muslims later fixed it on Sunday
# 16 June, a religious holiday is not moved, so June has 20 working days and the year 249
# (Ministry of Labour to Tengrinews: https://new.tengrinews.kz/curious/kak-kazahstantsyi-otdohnut-na-kurban-ayt-537007).
KZ_2024_MONTHS = [21, 21, 17, 22, 20, 20, 22, 21, 21, 22, 21, 21]


def test_it_matches_the_kz_2024_balance_of_working_time_month_by_month():
    assert [working_days_in_month("KZ", 2024, m) for m in range(1, 13)] == KZ_2024_MONTHS
    assert working_days_in_year("KZ", 2024) == 249


def test_it_counts_246_working_days_in_kz_2025():
    # 119 days of rest in 2025 on a five-day week, so 365 - 119 = 246 working days
    # (https://rus.azattyq-ruhy.kz/index.php/society/77649-prazdniki-i-vykhodnye-kak-kazakhstantsy-otdokhnut-v-2025-godu/amp).
    assert working_days_in_year("KZ", 2025) == 246


def test_it_counts_17_working_days_in_kz_march_2025():
    # 14 days off in March 2025 on a five-day week: 8-10 and 21-25 March and the weekends
    # (https://el.kz/ru/do-14-vyhodnyh-dney-kak-kazahstantsy-otdohnut-v-marte_109146).
    assert working_days_in_month("KZ", 2025, 3) == 31 - 14


def test_it_counts_19_working_days_in_kz_january_2026():
    # "Итого за январь: 12 выходных, 19 рабочих дней" (https://alau.kz/novyj-god-2026-utverzhdjon-oficialnyj-kalendar-vyhodnyh/).
    assert working_days_in_month("KZ", 2026, 1) == 19


def test_it_counts_247_working_days_in_kz_2026_after_constitution_day_moved():
    # The Ministry's calendar of December 2025 had 246 working days with Monday 31 August off for
    # Constitution Day (https://alau.kz/kalendar-2026-dlinnye-vyhodnye-perenosy-i-idealnye-dni-dlja-otpuska/);
    # after the new Constitution, 30 August is no longer a holiday from 2026
    # (https://taspanews.kz/novosti-kazakhstana/v-etom-godu-u-kazakhstantsev-ne-budet-odnogo-vykhodnogo-795514517615).
    assert working_days_in_year("KZ", 2026) == 247
    assert is_working_day("KZ", date(2026, 8, 31))


def test_it_gives_kg_state_bodies_15_working_days_in_january_2026():
    # 1-7 January off by the Labour Code, 8-9 January by the Cabinet's resolution, 10-11 a weekend
    # (https://24.kg/english/356146_Cabinet_extends_New_Year_holidays_in_Kyrgyzstan_until_January_12_2026/).
    assert working_days_in_month("KG", 2026, 1) == 15
    assert next_working_day("KG", date(2026, 1, 1)) == date(2026, 1, 12)


def test_it_gives_kg_the_may_holidays_of_the_new_labour_code():
    # 1-9 May are days off from 2025 (https://24.kg/english/318846__Working_days_no_longer_be_moved_to_Saturdays_in_Kyrgyzstan/).
    for year in (2025, 2026):
        assert not any(is_working_day("KG", date(year, 5, d)) for d in range(1, 10))
    assert next_working_day("KG", date(2025, 5, 1)) == date(2025, 5, 12)  # 10-11 May 2025: a weekend
    assert next_working_day("KG", date(2026, 5, 1)) == date(2026, 5, 11)  # 9 May 2026 is a Saturday
    assert working_days_in_month("KG", 2025, 5) == 15


def test_it_keeps_kg_holidays_on_weekends_unmoved_and_former_holidays_working():
    # Ministry of Labour, March 2026: Orozo ait on 20 March is off; Nooruz on Saturday 21 March is
    # not moved; 8 March on Sunday is not moved; 23 February is a working day
    # (https://24.kg/english/365472_Labor_Ministry_reminds_of_days_off_due_to_Orozo_Ait_and_Nooruz_holidays/,
    # https://mts.kg/obschestvo/18119-v-kyrgyzstane-23-fevralja-rabochij-den-na-8-marta-i-nooruz-perenosa-vyhodnyh-ne-budet.html).
    assert not is_working_day("KG", date(2026, 3, 20))
    assert is_working_day("KG", date(2026, 3, 23))
    assert is_working_day("KG", date(2026, 3, 9))
    assert is_working_day("KG", date(2026, 2, 23))
    assert is_working_day("KG", date(2026, 4, 7))


# --- deadlines across holidays ------------------------------------------------------------------


def test_it_counts_15_kz_working_days_across_nauryz():
    # 20 March (Fri) is day 1; 21-25 March are off (Nauryz 21-23 with 24-25 for the weekend days).
    assert add_working_days("KZ", date(2026, 3, 19), 15) == date(2026, 4, 14)
    assert working_days_between("KZ", date(2026, 3, 19), date(2026, 4, 14)) == 15


def test_it_counts_kz_working_days_across_new_year():
    # 29, 30, 31 December; 1-2 January holidays, 3-4 a weekend; 5 and 6 January.
    assert add_working_days("KZ", date(2025, 12, 26), 5) == date(2026, 1, 6)
    # 7 January (Orthodox Christmas) is off too.
    assert add_working_days("KZ", date(2025, 12, 26), 6) == date(2026, 1, 8)


def test_it_counts_kz_working_days_across_kurban_ait():
    # Kurban ait on Friday 6 June 2025.
    assert add_working_days("KZ", date(2025, 6, 4), 3) == date(2025, 6, 10)
    assert not is_working_day("KZ", date(2025, 6, 6))


def test_it_does_not_move_kurban_ait_that_falls_on_a_sunday():
    assert is_working_day("KZ", date(2024, 6, 17))


def test_it_counts_14_kg_working_days_across_orozo_ait_and_nooruz():
    # Orozo ait Friday 20 March 2026, Nooruz Saturday 21 March (not moved); 7 April works since 2025.
    assert add_working_days("KG", date(2026, 3, 18), 14) == date(2026, 4, 8)


def test_it_counts_kg_working_days_across_new_year_2026():
    assert add_working_days("KG", date(2025, 12, 30), 3) == date(2026, 1, 13)


# --- transfers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "day"),
    [
        ("KZ", date(2024, 5, 4)),  # Saturday for Wednesday 8 May 2024
        ("KZ", date(2025, 1, 5)),  # Sunday for Friday 3 January 2025
        ("KG", date(2024, 1, 27)),
        ("KG", date(2024, 3, 2)),
        ("KG", date(2024, 5, 11)),
        ("KG", date(2025, 1, 11)),  # Saturday for Thursday 2 January 2025
    ],
)
def test_it_treats_a_transfer_weekend_day_as_a_working_day(country, day):
    assert day.weekday() >= 5
    assert is_working_day(country, day)
    assert not is_working_day(country, day + timedelta(days=7))


def test_it_treats_the_bridge_days_as_days_off():
    assert not is_working_day("KZ", date(2024, 5, 8))
    assert not is_working_day("KZ", date(2025, 1, 3))
    assert not is_working_day("KG", date(2026, 1, 8))
    assert not is_working_day("KG", date(2026, 1, 9))


def test_it_counts_a_working_sunday_in_a_deadline():
    # 3 (Fri) and 4 (Sat) January 2025 off, Sunday 5 January works.
    assert add_working_days("KZ", date(2025, 1, 2), 1) == date(2025, 1, 5)
    assert working_days_between("KZ", date(2025, 1, 2), date(2025, 1, 6)) == 2


@pytest.mark.parametrize("country", COUNTRIES)
def test_it_keeps_every_transfer_file_sourced_and_not_redundant(country):
    years = transfer_years(country)
    assert {2024, 2025, 2026} <= set(years)
    for year in years:
        transfers = load_transfers(country, year)
        assert "http" in transfers.source
        package = public_holidays(country, year)
        for day in transfers.working_days:  # would otherwise be off
            assert day.weekday() >= 5 or day in package, (country, day)
        for day in transfers.days_off:  # the package lacks it and it is a weekday
            assert day.weekday() < 5 and day not in package, (country, day)


def test_it_rejects_a_malformed_transfer_file():
    with pytest.raises(ValueError, match="source"):
        parse_transfers({"working_days": []}, 2026, "kz/2026.json")
    with pytest.raises(ValueError, match="not in 2026"):
        parse_transfers({"source": "x", "working_days": ["2025-05-04"]}, 2026, "kz/2026.json")
    with pytest.raises(ValueError, match="not an ISO date"):
        parse_transfers({"source": "x", "days_off": ["4 May"]}, 2026, "kz/2026.json")
    with pytest.raises(ValueError, match="unknown keys"):
        parse_transfers({"source": "x", "workdays": []}, 2026, "kz/2026.json")
    with pytest.raises(ValueError, match="both working and off"):
        parse_transfers(
            {"source": "x", "working_days": ["2026-01-03"], "days_off": ["2026-01-03"]}, 2026, "x"
        )


def test_it_ships_the_data_files_as_valid_json():
    from importlib import resources

    folder = resources.files("kenes.engines.workdays") / "data"
    for country in ("kz", "kg"):
        for entry in (folder / country).iterdir():
            assert json.loads(entry.read_text(encoding="utf-8"))["source"]


# --- calendar-day deadlines and the next working day --------------------------------------------


def test_it_moves_a_calendar_day_deadline_that_ends_on_a_day_off_to_the_next_working_day():
    assert add_calendar_days("KZ", date(2026, 3, 11), 10) == date(2026, 3, 26)  # 21 March, Nauryz
    assert add_calendar_days("KZ", date(2026, 3, 1), 10) == date(2026, 3, 11)  # a working Wednesday
    assert add_calendar_days("KG", date(2026, 4, 24), 10) == date(2026, 5, 11)  # 4 May, May holidays
    assert add_calendar_days("KZ", date(2026, 3, 21), 0) == date(2026, 3, 26)


def test_it_returns_the_day_itself_or_the_next_working_day():
    assert next_working_day("KZ", date(2026, 3, 19)) == date(2026, 3, 19)
    assert next_working_day("KZ", date(2026, 3, 21)) == date(2026, 3, 26)
    assert next_working_day("KZ", date(2026, 12, 31)) == date(2026, 12, 31)


def test_it_adds_zero_working_days_as_the_identity():
    assert add_working_days("KZ", date(2026, 3, 21), 0) == date(2026, 3, 21)


def test_it_counts_from_a_day_off():
    # One working day after Saturday 21 March is the first working day after the holidays.
    assert add_working_days("KZ", date(2026, 3, 21), 1) == date(2026, 3, 26)


def test_it_crosses_several_years():
    assert add_working_days("KZ", date(2024, 1, 1), 249 + 246 + 247) == date(2026, 12, 31)
    assert working_days_between("KZ", date(2023, 12, 31), date(2026, 12, 31)) == 249 + 246 + 247


def test_it_counts_zero_between_a_day_and_an_earlier_one():
    assert working_days_between("KG", date(2026, 3, 5), date(2026, 3, 5)) == 0
    assert working_days_between("KG", date(2026, 3, 5), date(2026, 3, 1)) == 0


def test_it_accepts_lower_case_country_codes():
    assert add_working_days("kz", date(2026, 3, 19), 15) == date(2026, 4, 14)


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["RU", "", "Kazakhstan", None])
def test_it_rejects_an_unknown_country(country):
    with pytest.raises(ValueError, match="Unknown country"):
        add_working_days(country, date(2026, 1, 5), 1)
    with pytest.raises(ValueError, match="Unknown country"):
        is_working_day(country, date(2026, 1, 5))


def test_it_rejects_negative_days():
    with pytest.raises(ValueError, match="negative"):
        add_working_days("KZ", date(2026, 1, 5), -1)
    with pytest.raises(ValueError, match="negative"):
        add_calendar_days("KG", date(2026, 1, 5), -3)


def test_it_rejects_a_datetime_or_a_non_integer_day_count():
    with pytest.raises(TypeError, match="local date"):
        add_working_days("KZ", datetime(2026, 1, 5, 12, 0), 1)
    with pytest.raises(TypeError, match="int"):
        add_working_days("KZ", date(2026, 1, 5), 1.5)  # type: ignore[arg-type]


def test_it_rejects_years_outside_the_supported_range():
    with pytest.raises(ValueError, match="supported range"):
        is_working_day("KZ", date(1999, 12, 31))
    with pytest.raises(ValueError, match="supported range"):
        add_working_days("KZ", date(2099, 12, 1), 100)


# --- properties ---------------------------------------------------------------------------------

countries = st.sampled_from(COUNTRIES)
days_in_range = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=0, max_value=400)


@settings(max_examples=300, deadline=None)
@given(countries, days_in_range, st.integers(min_value=1, max_value=400))
def test_it_never_lands_on_a_non_working_day(country, start, days):
    assert is_working_day(country, add_working_days(country, start, days))


@settings(max_examples=300, deadline=None)
@given(countries, days_in_range, days_in_range, counts)
def test_it_is_monotonic_in_the_start_day(country, first, second, days):
    early, late = sorted((first, second))
    assert add_working_days(country, early, days) <= add_working_days(country, late, days)


@settings(max_examples=300, deadline=None)
@given(countries, days_in_range, counts)
def test_it_counts_back_exactly_the_days_it_added(country, start, days):
    assert working_days_between(country, start, add_working_days(country, start, days)) == days


@settings(max_examples=200, deadline=None)
@given(countries, days_in_range, st.integers(min_value=1, max_value=60))
def test_it_agrees_with_a_day_by_day_walk_over_the_holidays_package(country, start, days):
    package = holidays.country_holidays(country, years=range(2022, 2030))
    day, found = start, 0
    while found < days:
        day += timedelta(days=1)
        transfers = load_transfers(country, day.year)
        off = day.weekday() >= 5 or day in package or day in transfers.days_off
        found += day in transfers.working_days or not off
    assert add_working_days(country, start, days) == day


@settings(max_examples=200, deadline=None)
@given(countries, days_in_range, st.integers(min_value=0, max_value=120))
def test_it_ends_calendar_day_deadlines_on_a_working_day_no_earlier_than_the_plain_sum(country, start, days):
    end = add_calendar_days(country, start, days)
    assert is_working_day(country, end)
    assert end >= start + timedelta(days=days)
    assert working_days_between(country, start + timedelta(days=days), end) <= 1
