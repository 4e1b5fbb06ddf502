"""Pabulib I/O: real and hand-made files load, write back to an equal election (byte for byte where the
original used minimal quoting), and malformed files fail with the line and the problem. No Django."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from kenes.engines import pb
from kenes.engines.pb import profile

FIXTURES = Path(__file__).parent / "data" / "pb"
SHARED = Path(__file__).parents[4].parent / "shared" / "data" / "pb"
SHARED_FILES = [
    "France_Toulouse_2022.pb",
    "Hungary_Budapest_2024.pb",
    "Poland_Katowice_2023.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Lodz_2023.pb",
    "Poland_Warszawa_2020_Wawer.pb",
    "Poland_Warszawa_2026.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
]

HEAD = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost;name\na;4;A\nb;6;B\n"


def shared(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (real Pabulib data lives in ../shared/data/pb)")
    return path


@pytest.mark.parametrize("name", ["approval_small.pb", "cumulative_small.pb", "ordinal_small.pb"])
def test_it_writes_a_fixture_back_byte_for_byte(name):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    election = pb.loads(text)
    assert pb.dump(election) == text
    assert pb.loads(pb.dump(election)) == election


@pytest.mark.parametrize("name", SHARED_FILES)
def test_it_round_trips_every_shared_file(name):
    path = shared(name)
    raw = path.read_bytes().decode("utf-8-sig")
    election = pb.load(path)
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = pb.dump(election, newline=newline, final_newline=raw.endswith(newline))
    assert pb.loads(text) == election
    # Byte-identical except Wieliczka, whose original mixes CRLF and LF line endings.
    assert (text == raw) is (name != "Poland_Wieliczka_2023_Green_Budget.pb")


def test_it_reads_the_sections_columns_and_quoted_names():
    election = pb.load(FIXTURES / "approval_small.pb")
    assert election.vote_type == "approval"
    assert election.budget == 10
    assert election.voter_count == 6
    assert list(election.projects) == ["a", "b", "c", "d", "e"]
    assert election.projects["b"].fields["name"] == "Library; new wing"
    assert election.projects["c"].fields["name"] == 'The "Green" square'
    assert election.projects["e"].fields["name"] == ""
    assert election.project_columns == ["project_id", "cost", "votes", "name", "selected"]
    assert election.votes[2] == pb.Vote("v3", ("a", "c"), None, {"voter_id": "v3", "vote": "a,c"})


def test_it_keeps_points_aligned_and_empty_trailing_fields_of_cumulative_votes():
    election = pb.load(FIXTURES / "cumulative_small.pb")
    assert election.votes[0].projects == ("x", "y")
    assert election.votes[0].points == (2, 1)
    assert election.votes[1].fields["age"] == ""
    assert election.vote_columns == ["voter_id", "vote", "points", "age"]


def test_it_keeps_an_ordinal_ballot_as_a_ranking_best_first():
    election = pb.load(FIXTURES / "ordinal_small.pb")
    assert election.votes[1].projects == ("q", "p")


def test_it_reads_crlf_a_byte_order_mark_and_whole_costs_written_with_decimals():
    text = "\ufeff" + (HEAD.replace("a;4;A", "a;4.0;A") + "VOTES\nvoter_id;vote\n1;a,b\n2;\n").replace(
        "\n", "\r\n"
    )
    election = pb.loads(text)
    assert election.projects["a"].cost == 4
    assert election.votes[1].projects == ()
    assert pb.dump(election, newline="\r\n") == text.removeprefix("\ufeff")


def test_it_keeps_a_decimal_budget_exact_and_floors_it_for_feasibility():
    election = pb.loads(HEAD.replace("budget;10", "budget;10.75") + "VOTES\nvoter_id;vote\n1;a\n")
    assert election.budget_exact == Fraction(43, 4)
    assert election.budget == 10


def test_it_saves_to_a_file(tmp_path):
    election = pb.load(FIXTURES / "cumulative_small.pb")
    pb.save(election, tmp_path / "out.pb")
    assert pb.load(tmp_path / "out.pb") == election


def test_it_writes_an_election_built_in_code():
    election = pb.Election(
        meta={"budget": "5", "vote_type": "cumulative"},
        projects={"a": pb.Project("a", 3), "b": pb.Project("b", 2)},
        votes=[pb.Vote("1", ("b", "a"), (2, 1))],
        project_columns=[],
        vote_columns=[],
    )
    text = pb.dump(election)
    assert "project_id;cost\na;3\nb;2\n" in text
    assert text.endswith("voter_id;vote;points\n1;b,a;2,1\n")
    again = pb.loads(text)
    assert again.votes[0].points == (2, 1)
    assert again.projects["a"].cost == 3


BAD = [
    ("PROJECTS\nproject_id;cost\n", 1, "section PROJECTS found where META was expected"),
    (HEAD, 8, "missing section VOTES"),
    ("META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n", 2, "META has no 'budget'"),
    ("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n", 2, "META has no 'vote_type'"),
    ("META\nkey;value\nbudget;10\nvote_type;pairwise\nPROJECTS\n", 2, "unknown vote_type 'pairwise'"),
    ("META\nkey;value\nbudget;ten\nvote_type;approval\nPROJECTS\n", 2, "budget 'ten' is not a number"),
    ("META\nkey;value\nbudget;10;11\n", 3, "META row 'budget' has 3 columns instead of 2"),
    ("META\nkey;value\nbudget;1\nbudget;2\n", 4, "META key 'budget' appears twice"),
    (HEAD.replace("b;6;B", "b;six;B"), 8, "cost of project 'b' 'six' is not a number"),
    (HEAD.replace("b;6;B", "b;6.5;B"), 8, "cost of project 'b' '6.5' is not a whole number"),
    (HEAD.replace("b;6;B", "b;-6;B"), 8, "cost of project 'b' is negative"),
    (HEAD.replace("b;6;B", "a;6;B"), 8, "project 'a' appears twice"),
    (HEAD.replace("b;6;B", "b;6"), 8, "PROJECTS row has 2 columns but the header has 3"),
    (HEAD.replace("project_id;cost;name", "id;cost;name"), 6, "PROJECTS header must start with 'project_id'"),
    (HEAD + "VOTES\nvoter_id;vote\n1;a,z\n", 11, "vote of voter '1' names unknown project 'z'"),
    (HEAD + "VOTES\nvoter_id;vote\n1;a\n2;b;x\n", 12, "VOTES row has 3 columns but the header has 2"),
    (HEAD + "VOTES\nvoter_id;vote\n1;a\n1;b\n", 12, "voter '1' appears twice"),
    (HEAD + "VOTES\nvoter_id;vote\n1;a,a\n", 11, "names a project twice"),
    (HEAD + "VOTES\nvoter_id;vote\n1;a\nMETA\n", 12, "section META appears twice"),
    (HEAD.replace("approval", "cumulative") + "VOTES\nvoter_id;vote\n", 10, "need a 'points' column"),
    (
        HEAD.replace("approval", "cumulative") + "VOTES\nvoter_id;vote;points\n1;a,b;1\n",
        11,
        "2 projects but 1 points",
    ),
    (
        HEAD.replace("approval", "cumulative") + "VOTES\nvoter_id;vote;points\n1;a;x\n",
        11,
        "points of voter '1'",
    ),
    ("hello;world\n", 1, "data before the META section"),
]


@pytest.mark.parametrize(("text", "line", "problem"), BAD)
def test_it_names_the_line_and_the_problem_of_a_malformed_file(text, line, problem):
    with pytest.raises(pb.PbFormatError) as caught:
        pb.loads(text)
    assert caught.value.line == line
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


def test_it_builds_the_matrix_with_supporters_per_project_and_points_per_vote_type():
    matrix = profile.build(pb.load(FIXTURES / "approval_small.pb"))
    assert matrix.project_ids == ("a", "b", "c", "d", "e")
    assert matrix.approvals.tolist() == [4, 3, 3, 1, 0]
    assert matrix.supporters_of(2).tolist() == [2, 3, 4]  # v3, v4, v5 approve c
    assert matrix.dense()[4].tolist() == [False, False, True, True, False]
    ordinal = profile.build(pb.load(FIXTURES / "ordinal_small.pb"))
    assert ordinal.total_points.tolist() == [2, 2, 1]  # Borda len - position - 1
    cumulative = profile.build(pb.load(FIXTURES / "cumulative_small.pb"))
    assert cumulative.total_points.tolist() == [3, 4, 5]
    assert profile.cost_utility(cumulative).dtype == np.int64


def test_it_loads_the_largest_shared_file():
    """Every one of Łódź 2022's 90,494 ballots is read (load time is reported by `make bench`)."""
    election = pb.load(shared("Poland_Lodz_2022.pb"))
    matrix = profile.build(election)
    assert election.voter_count == 90_494
    assert len(matrix.project_ids) == len(election.projects)
