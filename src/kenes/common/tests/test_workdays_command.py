"""`kenes workdays …`: the command prints bare values a script can use and fails clearly."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kenes.cli import main


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_it_prints_only_the_iso_date_of_a_working_day_deadline():
    assert run("add", "--country", "KZ", "2026-03-19", "15") == "2026-04-14\n"


def test_it_prints_the_number_of_working_days_between_two_dates():
    # 1-9 January 2026 are off for KG state bodies; 12-30 January has 15 working days.
    assert run("between", "--country", "KG", "2026-01-01", "2026-02-01") == "15\n"


def test_it_says_whether_a_day_is_a_working_day():
    assert run("is-working", "--country", "KZ", "2026-03-21") == "no\n"
    assert run("is-working", "--country", "KZ", "2025-01-05") == "yes\n"  # a working Sunday


def test_it_prints_the_next_working_day_and_calendar_day_deadlines():
    assert run("next", "--country", "KG", "2026-01-01") == "2026-01-12\n"
    assert run("add-calendar", "--country", "KZ", "2026-03-11", "10") == "2026-03-26\n"


def test_it_runs_through_the_kenes_entry_point(capsys):
    main(["workdays", "add", "--country", "KG", "2026-03-18", "14"])
    assert capsys.readouterr().out == "2026-04-08\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "--country", "KZ", "19.03.2026", "15"), "Invalid date '19.03.2026': use YYYY-MM-DD"),
        (("add", "--country", "KZ", "2026-03-19", "fifteen"), "Invalid number of days 'fifteen'"),
        (("add", "--country", "KZ", "2026-03-19", "-2"), "days must not be negative"),
        (("add", "--country", "RU", "2026-03-19", "15"), "Unknown country 'RU'"),
        (("between", "--country", "KG", "2026-01-01", "soon"), "Invalid date 'soon'"),
        (("is-working", "--country", "KZ", "1990-01-01"), "outside the supported range"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_it_requires_an_action_and_a_country():
    with pytest.raises(CommandError, match="ACTION"):
        run()
    with pytest.raises(CommandError, match="--country"):
        run("add", "2026-03-19", "15")
