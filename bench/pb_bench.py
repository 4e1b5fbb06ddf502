"""Participatory budgeting: every rule on every shared Pabulib election, against pabutools 1.2.3.

Our time is measured here, in this run (the best of 3 to 50 runs for solves under a second, about half a
second of them, since millisecond timings are noise-prone on a shared machine). It is the time of ``pb.solve``
on an election already loaded: ``pb.load`` reads the file *and* builds the NumPy arrays every rule works on
(``profile.of``, kept on the election), so a solve does not pay for them, just as pabutools' timings leave out
its ``parse_pabulib``. Both preparations are printed beside: ``load_seconds`` (ours, the arrays included;
``matrix_seconds`` is building the arrays alone) and ``pabutools_parse_seconds`` (its quicker of exact and
float fractions, stored by ``scripts/pb_oracles.py``).

pabutools cannot run inside ``make bench``: it pulls in the proprietary gurobipy, which is kept out of the
project's environment. Its times are those ``scripts/pb_oracles.py`` measured on this machine with its exact
defaults and with float fractions + a multiprofile (the quicker of the two is the reference) in
``src/kenes/engines/tests/data/pb_oracles.json``; the reference for ``mes_cost_add1`` and
``mes_cost_add1_greedy`` is pabutools' own iterated Equal Shares (``voter_budget_increment=1``), the nearest
thing it offers. Peak memory of one solve is measured with tracemalloc (NumPy reports its buffers to it), in a
separate run so that tracing does not slow the timed one (the arrays built at load are not part of it). Each
outcome is also compared with the stored oracle.

Yields ``name, value`` pairs like the other benchmarks; needs ``../shared/data/pb`` (else ``pb.skipped``)."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from kenes.engines import pb
from kenes.engines.pb import profile

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "pb"
ORACLES = ROOT / "src" / "kenes" / "engines" / "tests" / "data" / "pb_oracles.json"
REFERENCE_KEY = {
    "mes_cost_add1": "pabutools_mes_cost_inc1",
    "mes_cost_add1_greedy": "pabutools_mes_cost_inc1",
}
REPEAT_BELOW_SECONDS = 1.0
REPEATS = 3
REPEAT_FOR_SECONDS = 0.5  # a solve under REPEAT_BELOW_SECONDS is repeated for about this long (best kept) ...
MAX_REPEATS = 50  # ... at least REPEATS and at most MAX_REPEATS times: millisecond solves are noise-prone


def _timed(election: pb.Election, rule: str) -> tuple[pb.Outcome, float]:
    started = time.perf_counter()
    outcome = pb.solve(election, rule)
    best = time.perf_counter() - started
    if best < REPEAT_BELOW_SECONDS:
        repeats = min(MAX_REPEATS, max(REPEATS, int(REPEAT_FOR_SECONDS / max(best, 1e-6))))
        for _ in range(repeats - 1):
            started = time.perf_counter()
            pb.solve(election, rule)
            best = min(best, time.perf_counter() - started)
    return outcome, best


def _peak_mb(election: pb.Election, rule: str) -> float:
    tracemalloc.start()
    try:
        pb.solve(election, rule)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _reference(entries: dict[str, dict[str, object]], rule: str, ours: float) -> str:
    """pabutools' quickest measured time (float + multiprofile, or exact defaults) divided by ours."""
    entry = entries.get(REFERENCE_KEY.get(rule, rule), {})
    times = [float(t) for k in ("fast_seconds", "seconds") if isinstance(t := entry.get(k), int | float)]
    if rule in REFERENCE_KEY:  # pabutools' iterated MES was only timed with the fast settings
        times = times[:1] if "fast_seconds" in entry else []
    if times:
        return f"{min(times) / ours:.1f}"
    if entry.get("fast_timeout") or entry.get("timeout"):
        limit = float(entry.get("limit_seconds", 600))  # type: ignore[arg-type]
        return f">{limit / ours:.0f} (pabutools timed out)"
    return "n/a (no pabutools timing)"


def _matches(entries: dict[str, dict[str, object]], rule: str, outcome: pb.Outcome) -> str:
    entry = entries.get(rule, {})  # mes_cost_add1: pabulib-checker's outcome; mes_cost_add1_greedy: none
    if "selected" not in entry:
        return "n/a"
    return "yes" if set(outcome.selected) == set(entry["selected"]) else "NO"  # type: ignore[call-overload]


def _instance(path: Path, entries: dict[str, dict[str, object]]) -> Iterator[tuple[str, str]]:
    started = time.perf_counter()
    election = pb.load(path)
    yield f"pb.{path.stem}.load_seconds", f"{time.perf_counter() - started:.3f}"
    started = time.perf_counter()
    profile.build(election)
    yield f"pb.{path.stem}.matrix_seconds", f"{time.perf_counter() - started:.3f}"
    parse = entries.get("parse_pabulib", {})
    parsed = [float(t) for key in ("fast_seconds", "seconds") if isinstance(t := parse.get(key), int | float)]
    if parsed:
        yield f"pb.{path.stem}.pabutools_parse_seconds", f"{min(parsed):.3f}"
    for rule in pb.RULES:
        try:
            outcome, seconds = _timed(election, rule)
        except ValueError as error:  # a rule that does not apply to this ballot type
            yield f"pb.{path.stem}.{rule}.skipped", str(error)
            continue
        yield f"pb.{path.stem}.{rule}.seconds", f"{seconds:.4f}"
        yield f"pb.{path.stem}.{rule}.speedup", _reference(entries, rule, seconds)
        yield f"pb.{path.stem}.{rule}.peak_mb", f"{_peak_mb(election, rule):.1f}"
        yield f"pb.{path.stem}.{rule}.matches_oracle", _matches(entries, rule, outcome)


def run() -> Iterator[tuple[str, str]]:
    if not DATA.is_dir():
        yield "pb.skipped", f"no Pabulib data at {DATA}"
        return
    oracles = json.loads(ORACLES.read_text(encoding="utf-8")) if ORACLES.exists() else {}
    generated = oracles.get("_meta", {}).get("generated", "never")
    yield "pb.reference", f"pabutools 1.2.3 timings from scripts/pb_oracles.py ({generated})"
    for path in sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size):
        yield from _instance(path, oracles.get(path.stem, {}))


if __name__ == "__main__":
    for name, value in run():
        print(f"{name}: {value}", flush=True)
