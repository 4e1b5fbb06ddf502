"""The engine against its two oracles on the real elections in ``../shared/data/pb``.

1. pabutools 1.2.3 (exact defaults). Its outcomes are computed once by ``scripts/pb_oracles.py`` (``make
   oracles``, in a separate environment: pabutools pulls in the proprietary gurobipy) and stored in
   ``data/pb_oracles.json``.
2. The real elections: ``mes_cost_add1`` reproduces Wieliczka 2023's official ``selected`` column and agrees
   with pabulib-checker's Equal Shares with add-one completion (stored in the same file, and run live on our
   own small fixtures); pabulib-checker also validates every shared file and what our ``dump`` writes back."""

from __future__ import annotations

import contextlib
import io
import json
from functools import lru_cache
from pathlib import Path

import pytest

from kenes.engines import pb

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).parents[4].parent / "shared" / "data" / "pb"
FIXTURES = HERE / "data" / "pb"
ORACLES: dict[str, dict[str, dict[str, object]]] = json.loads(
    (HERE / "data" / "pb_oracles.json").read_text(encoding="utf-8")
)
INSTANCES = sorted(name for name in ORACLES if not name.startswith("_"))
PABUTOOLS_RULES = ("greedy", "greedy_cost_ratio", "mes_cost", "mes_card", "phragmen")
CASES = [
    (instance, rule)
    for instance in INSTANCES
    for rule in (*PABUTOOLS_RULES, "mes_cost_add1")
    if rule in ORACLES[instance]
]
# Errors pabulib-checker 1.0.8 reports on the original files themselves (so also on a faithful copy).
KNOWN_CHECKER_ERRORS = {"Poland_Lodz_2023": {"whitespace around list separator"}}


def shared_file(instance: str) -> Path:
    path = SHARED / f"{instance}.pb"
    if not path.exists():
        pytest.skip(f"shared Pabulib data absent: {path}")
    return path


@lru_cache(maxsize=1)
def load_shared(instance: str) -> pb.Election:
    return pb.load(shared_file(instance))


def oracle_entry(instance: str, rule: str) -> dict[str, object]:
    entry = ORACLES[instance][rule]
    if entry.get("timeout"):
        tool = str(entry.get("tool", "pabutools")).split()[0]
        pytest.skip(f"{tool} did not finish {rule} on {instance} within {entry.get('limit_seconds')} s")
    if "selected" not in entry:
        pytest.skip(f"no oracle outcome for {rule} on {instance}: {entry.get('error', 'not computed')}")
    return entry


def difference(ours: set[str], theirs: set[str]) -> str:
    return f"only ours: {sorted(ours - theirs)}; only the oracle's: {sorted(theirs - ours)}"


@pytest.mark.parametrize(("instance", "rule"), CASES, ids=[f"{i}-{r}" for i, r in CASES])
def test_it_selects_the_same_projects_as_the_oracle(instance: str, rule: str) -> None:
    entry = oracle_entry(instance, rule)
    outcome = pb.solve(load_shared(instance), rule)
    ours, theirs = set(outcome.selected), set(entry["selected"])  # type: ignore[call-overload]
    assert ours == theirs, f"{rule} on {instance} ({entry.get('settings')}): {difference(ours, theirs)}"


def test_it_reproduces_the_official_wieliczka_2023_outcome() -> None:
    instance = "Poland_Wieliczka_2023_Green_Budget"
    official = set(ORACLES[instance]["official"]["selected"])  # type: ignore[call-overload]
    outcome = pb.solve(load_shared(instance), "mes_cost_add1")
    assert set(outcome.selected) == official, difference(set(outcome.selected), official)
    assert outcome.total_cost <= outcome.budget


# ---------------------------------------------------------------- pabulib-checker, live


def checker_add1(text: str) -> set[str]:
    from pabulib.checker import Checker
    from pabulib_helpers import parse_pb_lines

    checker = Checker()
    checker.meta, checker.projects, checker.votes, _, _ = parse_pb_lines(text.split("\n"))
    return set(checker._compute_equalshares_winners(add1=True))


def checker_errors(text: str) -> dict[str, dict[object, str]]:
    from pabulib.checker import Checker

    with contextlib.redirect_stdout(io.StringIO()):
        results = Checker().process_files([text])
    (report,) = (value for key, value in results.items() if key not in ("metadata", "summary"))
    return dict(report["results"].get("errors") or {})


def approval_fixtures() -> list[Path]:
    paths = sorted(FIXTURES.glob("*.pb")) if FIXTURES.exists() else []
    return [p for p in paths if "vote_type;approval" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", approval_fixtures(), ids=lambda p: p.stem)
def test_it_agrees_with_pabulib_checker_add1_on_our_fixtures(path: Path) -> None:
    pytest.importorskip("pabulib.checker")
    text = path.read_text(encoding="utf-8")
    try:
        expected = checker_add1(text)
    except ValueError as error:  # the checker refuses ties that lower cost and more approvals do not break
        pytest.skip(f"pabulib-checker cannot decide {path.name}: {error}")
    outcome = pb.solve(pb.loads(text), "mes_cost_add1")
    assert set(outcome.selected) == expected, difference(set(outcome.selected), expected)


@pytest.mark.parametrize("instance", INSTANCES)
def test_it_writes_back_files_that_pabulib_checker_accepts(instance: str) -> None:
    pytest.importorskip("pabulib.checker")
    path = shared_file(instance)
    original = path.read_text(encoding="utf-8")
    written = pb.dump(load_shared(instance))
    expected = KNOWN_CHECKER_ERRORS.get(instance, set())
    assert set(checker_errors(original)) == expected
    if written != original:  # identical text needs no second (slow on Wieliczka) run
        assert set(checker_errors(written)) == expected
