"""Compute the reference outcomes of the participatory-budgeting engine with pabutools and pabulib-checker.

Run with a Python that has ``pabutools==1.2.3`` and ``pabulib-checker==1.0.8`` installed -- NOT the project's
virtual environment: pabutools pulls in the proprietary ``gurobipy``, which must never be part of what
``make test`` installs.  ``make oracles`` runs::

    $(PABUTOOLS_PYTHON) scripts/pb_oracles.py

Each (instance, rule, mode) is computed in a child process with a wall-clock limit (``--timeout``, default 600
s); runs over the limit are recorded as ``{"timeout": true}``.  After every finished run the parent merges the
result into ``src/kenes/engines/tests/data/pb_oracles.json`` (so partial results survive an interruption),
keeping the entries it did not recompute.  The file maps ``instance -> key -> entry``:

- ``greedy``, ``greedy_cost_ratio``, ``mes_cost``, ``mes_card``, ``phragmen``: pabutools with its exact
  defaults (gmpy2 fractions, lexicographic tie-breaking, resolute, no analytics): ``selected`` (sorted ids),
  ``seconds``, ``settings``; and, when the fast pass ran, ``fast_seconds`` / ``fast_settings`` / ``fast_same``
  (pabutools with float fractions, a multiprofile, analytics off -- its fastest settings), used by
  ``bench/pb_bench.py``.
- ``pabutools_mes_cost_inc1``: pabutools' own iterated MES (``voter_budget_increment=1``, Cost_Sat), fast
  settings only; it is NOT the cities' procedure (it stops at the first exhaustive outcome) and serves as the
  timing reference for ``mes_cost_add1``.
- ``mes_cost_add1``: pabulib-checker 1.0.8's Equal Shares with add-one completion (the cities' procedure).
- ``official``: the file's own ``selected`` column (projects with ``selected`` = 1), when it has one.
- ``parse_pabulib``: the time of pabutools' ``parse_pabulib`` on the file (``seconds``: exact default
  fractions, ``fast_seconds``: float), which the rule timings above leave out; ``bench/pb_bench.py`` prints it
  beside our own load time."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pb"
OUT = ROOT / "src" / "kenes" / "engines" / "tests" / "data" / "pb_oracles.json"
PABUTOOLS_VERSION = "1.2.3"
CHECKER_VERSION = "1.0.8"

EXACT = "pabutools defaults: gmpy2 fractions, lexico_tie_breaking, resoluteness=True, analytics=False"
FAST = "FRACTION='float', profile.as_multiprofile(), resoluteness=True, analytics=False, lexico_tie_breaking"

SAT_BY_VOTE_TYPE = {
    "approval": {"greedy": "Cost_Sat", "greedy_cost_ratio": "Cardinality_Sat"},
    "cumulative": {"greedy": "Additive_Cardinal_Sat", "greedy_cost_ratio": "Cardinality_Sat"},
    "ordinal": {"greedy": "Additive_Borda_Sat", "greedy_cost_ratio": "Cardinality_Sat"},
}
APPROVAL_ONLY = {"mes_cost": "Cost_Sat", "mes_card": "Cardinality_Sat", "phragmen": None}


def read_meta(path: Path) -> dict[str, str]:
    meta: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line == "PROJECTS":
                break
            if ";" in line:
                key, _, value = line.partition(";")
                meta[key.strip()] = value.strip()
    return meta


def official_selected(path: Path) -> list[str] | None:
    section, header, chosen = "", [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = line.rstrip("\n").split(";")
            if row[0].strip() in ("META", "PROJECTS", "VOTES"):
                section, header = row[0].strip(), next(fh).rstrip("\n").split(";")
                if section == "VOTES":
                    break
                continue
            if section == "PROJECTS":
                if "selected" not in header:
                    return None
                cells = dict(zip(header, row, strict=False))
                if cells["selected"].strip() == "1":
                    chosen.append(cells["project_id"].strip())
    return sorted(chosen)


# ---------------------------------------------------------------- child side: one run


def run_pabutools(path: Path, key: str, fast: bool) -> dict[str, object]:
    import pabutools.fractions as pfrac

    if fast:
        pfrac.FRACTION = pfrac.FLOAT_FRAC
    from pabutools.election import parse_pabulib, satisfaction
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

    instance, profile = parse_pabulib(str(path))
    vote_type = instance.meta["vote_type"]
    start = time.perf_counter()
    if fast:
        profile = profile.as_multiprofile()
    if key == "phragmen":
        outcome = sequential_phragmen(instance, profile)
    elif key in APPROVAL_ONLY:
        sat = getattr(satisfaction, APPROVAL_ONLY[key] or "")
        outcome = method_of_equal_shares(instance, profile, sat_class=sat)
    elif key == "pabutools_mes_cost_inc1":
        outcome = method_of_equal_shares(
            instance, profile, sat_class=satisfaction.Cost_Sat, voter_budget_increment=1
        )
    else:
        sat = getattr(satisfaction, SAT_BY_VOTE_TYPE[vote_type][key])
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    seconds = time.perf_counter() - start
    return {"selected": sorted(p.name for p in outcome), "seconds": round(seconds, 4)}


def run_checker(path: Path) -> dict[str, object]:
    from pabulib.checker import Checker
    from pabulib_helpers import parse_pb_lines

    checker = Checker()
    lines = path.read_text(encoding="utf-8").split("\n")
    checker.meta, checker.projects, checker.votes, _, _ = parse_pb_lines(lines)
    start = time.perf_counter()
    winners = checker._compute_equalshares_winners(add1=True)
    seconds = time.perf_counter() - start
    return {"selected": sorted(winners), "seconds": round(seconds, 4)}


def run_parse(path: Path) -> dict[str, object]:
    """pabutools' ``parse_pabulib`` on ``path`` (the step its rule timings leave out), with its exact default
    fractions and with float fractions; each after one untimed parse of the file (imports, file cache)."""
    import pabutools.fractions as pfrac
    from pabutools.election import parse_pabulib

    result: dict[str, object] = {}
    for name, fraction in (("seconds", pfrac.FRACTION), ("fast_seconds", pfrac.FLOAT_FRAC)):
        pfrac.FRACTION = fraction
        parse_pabulib(str(path))
        start = time.perf_counter()
        parse_pabulib(str(path))
        result[name] = round(time.perf_counter() - start, 4)
    return result


def child(path: Path, key: str, mode: str) -> None:
    try:
        if mode == "parse":
            result = run_parse(path)
        elif mode == "checker":
            result = run_checker(path)
        else:
            result = run_pabutools(path, key, fast=mode == "fast")
    except ValueError as error:  # e.g. pabulib-checker: "Equal Shares tie-breaking failed for projects [...]"
        result = {"error": f"{type(error).__name__}: {error}"}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


# ---------------------------------------------------------------- parent side: scheduling and merging


def jobs_for(path: Path, modes: set[str], keys: set[str] | None) -> list[tuple[str, str]]:
    vote_type = read_meta(path)["vote_type"]
    rules = list(SAT_BY_VOTE_TYPE[vote_type])
    if vote_type == "approval":
        rules += list(APPROVAL_ONLY)
    out: list[tuple[str, str]] = []
    for rule in rules:
        if keys is None or rule in keys:
            out += [(rule, m) for m in ("exact", "fast") if m in modes]
    if "parse" in modes and (keys is None or "parse_pabulib" in keys):
        out.append(("parse_pabulib", "parse"))
    if vote_type == "approval":
        if "inc1" in modes and (keys is None or "pabutools_mes_cost_inc1" in keys):
            out.append(("pabutools_mes_cost_inc1", "fast"))
        if "checker" in modes and (keys is None or "mes_cost_add1" in keys):
            out.append(("mes_cost_add1", "checker"))
    return out


def load_out() -> dict[str, dict[str, dict[str, object]]]:
    return json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}


def merge(instance: str, key: str, mode: str, result: dict[str, object]) -> None:
    data = load_out()
    entry = data.setdefault(instance, {}).setdefault(key, {})
    if mode == "parse":
        entry.clear()
        entry.update(result, pabutools=PABUTOOLS_VERSION, settings="parse_pabulib, exact defaults / float")
    elif mode == "checker":
        entry.clear()
        entry.update(
            result,
            tool=f"pabulib-checker {CHECKER_VERSION}",
            settings="Checker._compute_equalshares_winners(add1=True)",
        )
    elif mode == "exact" or key == "pabutools_mes_cost_inc1":
        prefix = "" if mode == "exact" else "fast_"
        for name in ("selected", "seconds", "timeout", "peak_rss_mb"):
            entry.pop(prefix + name, None)
        entry.update({prefix + k: v for k, v in result.items()})
        entry["pabutools"] = PABUTOOLS_VERSION
        entry[prefix + "settings"] = EXACT if mode == "exact" else FAST
    else:
        for name in ("fast_seconds", "fast_timeout", "fast_peak_rss_mb", "fast_same"):
            entry.pop(name, None)
        entry["fast_settings"] = FAST
        if result.get("timeout"):
            entry["fast_timeout"] = True
        else:
            entry["fast_seconds"] = result["seconds"]
            entry["fast_peak_rss_mb"] = result.get("peak_rss_mb")
            if "selected" in entry:
                entry["fast_same"] = entry["selected"] == result["selected"]
    data["_meta"] = {
        "generated": dt.date.today().isoformat(),
        "pabutools": PABUTOOLS_VERSION,
        "pabulib_checker": CHECKER_VERSION,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus",
    }
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(OUT)


def record_official(paths: list[Path]) -> None:
    data = load_out()
    for path in paths:
        chosen = official_selected(path)
        if chosen is not None:
            data.setdefault(path.stem, {})["official"] = {
                "selected": chosen,
                "rule": read_meta(path).get("rule", ""),
            }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def parent(args: argparse.Namespace) -> None:
    paths = sorted(DATA.glob("*.pb"), key=lambda p: p.stat().st_size)
    if args.instances:
        paths = [p for p in paths if any(name in p.stem for name in args.instances)]
    record_official(paths)
    modes = set(args.modes.split(","))
    keys = set(args.keys.split(",")) if args.keys else None
    priority = {"parse": 0, "exact": 0, "checker": 1, "fast": 2}
    queue = [(p, k, m) for p in paths for k, m in jobs_for(p, modes, keys)]
    queue.sort(key=lambda job: 3 if job[1] == "pabutools_mes_cost_inc1" else priority[job[2]])
    running: list[tuple[subprocess.Popen[str], Path, str, str, float]] = []
    while queue or running:
        while queue and len(running) < args.jobs:
            path, key, mode = queue.pop(0)
            cmd = [sys.executable, __file__, "--child", str(path), key, mode]
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            running.append((proc, path, key, mode, time.monotonic()))
            print(f"start {path.stem} {key} {mode}", flush=True)
        time.sleep(0.5)
        for item in list(running):
            proc, path, key, mode, started = item
            elapsed = time.monotonic() - started
            if proc.poll() is None and elapsed < args.timeout:
                continue
            running.remove(item)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
                result: dict[str, object] = {"timeout": True, "limit_seconds": args.timeout}
            elif proc.returncode != 0:
                result = {"error": f"exit status {proc.returncode}"}
            else:
                result = json.loads((proc.stdout.read() if proc.stdout else "").strip().splitlines()[-1])
            merge(path.stem, key, mode, result)
            print(
                f"done  {path.stem} {key} {mode} {elapsed:.1f}s {'TIMEOUT' if 'timeout' in result else ''}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=3, metavar=("PATH", "KEY", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--instances", nargs="*", help="substrings of instance names (default: all)")
    parser.add_argument("--keys", help="comma-separated rule keys (default: all)")
    modes = "exact,checker,fast,inc1,parse"
    parser.add_argument("--modes", default=modes, help=modes)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1], args.child[2])
    else:
        parent(args)


if __name__ == "__main__":
    main()
