"""`kenes pb solve …`: prints the selected ids one per line in the order chosen, explains on demand, and
fails with a message naming the line of a malformed file."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURES = Path(__file__).parents[2] / "engines" / "tests" / "data" / "pb"
SHARED = Path(__file__).parents[4].parent / "shared" / "data" / "pb"


def run(*args: str) -> str:
    out = StringIO()
    call_command("pb", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_selected_ids_one_per_line_in_the_order_chosen():
    assert run("solve", str(FIXTURES / "approval_small.pb"), "--rule", "greedy") == "a\nc\n"
    assert run("solve", str(FIXTURES / "approval_small.pb"), "--rule", "greedy_cost_ratio") == "d\nc\nb\n"
    assert run("solve", str(FIXTURES / "approval_small.pb"), "--rule", "phragmen") == "d\na\n"


def test_it_explains_every_project_with_its_reason():
    lines = run("solve", str(FIXTURES / "approval_small.pb"), "--rule", "phragmen", "--explain").splitlines()
    assert lines[0].split() == ["project", "selected", "reason", "supporters", "cost", "budget_left", "load"]
    assert lines[1].split() == ["d", "yes", "funded", "1", "1", "10", "1"]
    assert lines[2].split() == ["a", "yes", "funded", "4", "6", "9", "1.5"]
    assert lines[3].split()[:3] == ["b", "no", "not_reached"]
    assert lines[4].split() == ["c", "no", "over_budget", "3", "4", "3", "2.16667"]
    assert lines[-1] == "total cost 7 of budget 10; 2 projects"


def test_it_names_the_line_of_a_malformed_file(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;ten\n")
    with pytest.raises(CommandError, match=r"bad\.pb: line 7: cost of project 'a' 'ten' is not a number"):
        run("solve", str(bad), "--rule", "greedy")


def test_it_rejects_an_unknown_rule_and_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="unknown rule 'best'; valid rules: greedy"):
        run("solve", str(FIXTURES / "approval_small.pb"), "--rule", "best")
    with pytest.raises(CommandError, match="Cannot read"):
        run("solve", str(tmp_path / "nowhere.pb"), "--rule", "greedy")


def test_it_solves_a_real_election():
    path = SHARED / "Poland_Warszawa_2020_Wawer.pb"
    if not path.exists():
        pytest.skip(f"{path} is absent (real Pabulib data lives in ../shared/data/pb)")
    lines = run("solve", str(path), "--rule", "greedy").splitlines()
    assert lines[:3] == ["2073", "2051", "953"]  # the three most approved projects, in vote order
    assert len(lines) == 16
