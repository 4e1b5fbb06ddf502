"""Signing under load (issue text in bench/README.md, "Petitions"): a production-style server
(gunicorn, DEBUG off) on PostgreSQL, 200 concurrent signers driven by wrk at one petition, each
request with its own personal token (a person signs once), then a check that the stored, the
displayed and the audited counts equal the successful requests; then a bare endpoint on the same
server and database that only INSERTs one row with raw SQL, and the ratio of the two rates.

Needs PostgreSQL at ``KENES_BENCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``; the
database ``kenes_bench`` is dropped and created afresh), Redis at ``KENES_BENCH_REDIS`` (database 5,
the rate-limit counters) and ``wrk``; without them it prints ``petitions.skipped: <reason>``.
Knobs: ``KENES_BENCH_SECONDS`` (60), ``KENES_BENCH_CONNECTIONS`` (200), ``KENES_BENCH_WORKERS``
(``gthread:4x4`` = 4 gthread workers × 4 threads, or ``sync:8``), ``KENES_BENCH_KEEP=1`` keeps the
database afterwards. Runs alone: ``PYTHONPATH=src:. .venv/bin/python bench/petitions_bench.py``.

The same file is the helper the benchmark starts inside the bench database's environment
(``setup``, ``verify``): the parent process's Django points at the test database of bench/run.py.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("KENES_BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("KENES_BENCH_REDIS", "redis://127.0.0.1:6379/5")
DB_NAME = os.environ.get("KENES_BENCH_DB", "kenes_bench")
PORT = int(os.environ.get("KENES_BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("KENES_BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("KENES_BENCH_CONNECTIONS", "200"))
WORKERS = os.environ.get("KENES_BENCH_WORKERS", "gthread:4x4")
WARMUP_SECONDS = 10
WARMUP_TOKENS = 40_000
WRK = shutil.which("wrk") or "/usr/bin/wrk"
BASE = f"http://127.0.0.1:{PORT}"
#: A signer's e-mail address and token key are derived from their number (token i ↔ signer i).
EMAIL = "signer{}@bench.example"
KEY = "kenes-bench-{}"

SIGN_LUA = r"""
-- One unused token per request: thread k of n takes lines k, k+n, k+2n, ... of the token file;
-- the ids of the signatures answered with 201 are written to $KENES_BENCH_OK at the end.
local threads, counter = {}, 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(args[2])
  path = args[3]
  tokens, idx, ok, bad = {}, 0, {}, 0
  local i = 0
  for line in io.lines(args[1]) do
    if i % n == tid - 1 then
      tokens[#tokens + 1] = line
    end
    i = i + 1
  end
end

function request()
  idx = idx + 1
  local key = tokens[idx] or "exhausted"
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json"}, '{"show_name": false}')
end

function response(status, headers, body)
  if status == 201 then
    ok[#ok + 1] = tonumber(body:match('"signature":%s*(%d+)'))
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("KENES_BENCH_OK"), "w")
  local okn, badn = 0, 0
  for _, t in ipairs(threads) do
    for _, id in ipairs(t:get("ok")) do out:write(id, "\n"); okn = okn + 1 end
    badn = badn + t:get("bad")
  end
  out:close()
  io.write(string.format("lua.ok: %d\nlua.bad: %d\n", okn, badn))
  PERCENTILES
end
"""

BARE_LUA = r"""
wrk.method = "POST"
wrk.body = ""

function done(summary, latency, requests)
  PERCENTILES
end
"""

# Exact percentiles of wrk's latency record (microseconds); its --latency table lacks p95.
_PERCENTILES = """for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("lua.p%d_us: %d\\n", p, latency:percentile(p)))
  end"""
SIGN_LUA = SIGN_LUA.replace("PERCENTILES", _PERCENTILES)
BARE_LUA = BARE_LUA.replace("PERCENTILES", _PERCENTILES)


# --- the helper process, inside the bench database's environment -----------------------------------


def _setup_database() -> dict[str, Any]:
    import datetime

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from kenes.accounts.models import User
    from kenes.accounts.tests.factories import UserFactory
    from kenes.organizations.models import Organization, Topic
    from kenes.organizations.tests.factories import OrganizationFactory
    from kenes.petitions.models import Level, Petition, SigningLimit
    from kenes.petitions.tests.factories import TopicFactory
    from kenes.territories.models import Territory
    from kenes.territories.tests.factories import TerritoryFactory

    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()  # Redis database 5: the rate-limit counters and cached limits of earlier runs
    # Every request comes from 127.0.0.1: the per-IP limits would hold back nearly all of them.
    SigningLimit.objects.filter(scope=SigningLimit.Scope.IP).update(is_active=False)
    region = cast(Territory, TerritoryFactory(name="Bench region"))
    district = cast(
        Territory, TerritoryFactory(parent=region, kind=Territory.Kind.DISTRICT, name="Bench district")
    )
    body = cast(
        Organization,
        OrganizationFactory(kind=Organization.Kind.STATE_BODY, territory=region, name="Bench akimat"),
    )
    topic = cast(Topic, TopicFactory(code="bench", name="Bench"))
    author = cast(User, UserFactory(email="author@bench.example", verification_level=2))
    now = timezone.now()
    day = datetime.timedelta(days=1)
    petitions = []
    for title in ("Warm-up petition", "Bench petition"):
        petitions.append(
            Petition.objects.create(
                author=author,
                title=title,
                text="Signed by the benchmark.",
                demand="Nothing: a benchmark.",
                addressee=body,
                territory=region,
                topic=topic,
                language="en",
                level=Level.REGIONAL,
                country="KZ",
                state=Petition.State.OPEN,
                threshold=100_000_000,  # never reached: no obligation, no e-mails during the run
                duration_months=3,
                min_verification_level=1,
                submitted_at=now - 2 * day,
                moderated_at=now - day,
                opens_at=now - day,
                closes_at=now + 90 * day,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, n int, created_at timestamptz DEFAULT now())"
        )
    return {"warmup": petitions[0].pk, "petition": petitions[1].pk, "home": district.pk}


def _create_signers(start: int, count: int, home: int) -> dict[str, Any]:
    """Signers ``start`` … ``start + count - 1`` (verification level 2, home in the bench district)
    with one personal token each, in two set-based INSERTs; the token digest is checked against
    ``token_digest`` so that the SQL and the application agree."""
    from django.db import connection, transaction

    from kenes.accounts.models import ApiToken, User
    from kenes.accounts.services import token_digest

    started = time.perf_counter()
    user_table, token_table = User._meta.db_table, ApiToken._meta.db_table
    email_sql = "'signer' || i || '@bench.example'"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {user_table} (password, is_superuser, email, display_name, language,
                    home_territory_id, verification_level, is_staff, is_active, date_joined)
                SELECT '!', false, {email_sql}, 'Signer ' || i, 'en', %s, 2, false, true, now()
                FROM generate_series(%s, %s) AS i""",
            [home, start, start + count - 1],
        )
        cursor.execute(
            f"""INSERT INTO {token_table} (created_at, updated_at, user_id, name, prefix, key_hash)
                SELECT now(), now(), u.id, 'bench', left('kenes-bench-' || i, 12),
                       encode(sha256(convert_to('kenes-bench-' || i, 'UTF8')), 'hex')
                FROM generate_series(%s, %s) AS i JOIN {user_table} u ON u.email = {email_sql}""",
            [start, start + count - 1],
        )
    assert ApiToken.objects.filter(key_hash=token_digest(KEY.format(start))).exists()
    return {"seconds": time.perf_counter() - started}


def _settle(sql: str, params: list[Any]) -> None:
    """Wait until the server has finished the requests wrk left in flight: the count stops moving."""
    from django.db import connection

    last, steady_since, deadline = -1, time.monotonic(), time.monotonic() + 60
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (now,) = cursor.fetchone()
        if now != last:
            last, steady_since = now, time.monotonic()
        elif time.monotonic() - steady_since >= 2:
            return
        time.sleep(0.25)


def _verify(petition_id: int, ok_file: str) -> dict[str, Any]:
    from django.db import connection

    from kenes.petitions.counting import petition_verify_count, signatures_count
    from kenes.petitions.models import Petition, Signature

    _settle(f"SELECT COUNT(*) FROM {Signature._meta.db_table} WHERE petition_id = %s", [petition_id])
    _settle("SELECT COUNT(*) FROM bench_bare", [])
    signatures_count(lag_seconds=0)
    petition = Petition.objects.get(pk=petition_id)
    check = petition_verify_count(petition)
    ok_ids = [int(line) for line in Path(ok_file).read_text().split()]
    table = Signature._meta.db_table
    counted = "petition_id = %s AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT user_id) FROM {table} WHERE {counted}", [petition_id]
        )
        rows, people = cursor.fetchone()
        # Acknowledged (201) signatures that are not counted rows: lost.
        cursor.execute(
            f"""SELECT COUNT(*) FROM unnest(%s::bigint[]) AS ok(id)
                WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.id = ok.id AND {counted})""",
            [ok_ids, petition_id],
        )
        (lost,) = cursor.fetchone()
        # Counted rows nobody got a 201 for: requests in flight when wrk stopped.
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {counted} AND NOT (id = ANY(%s::bigint[]))",
            [petition_id, ok_ids],
        )
        (unacknowledged,) = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE petition_id = %s AND flagged_at IS NOT NULL", [petition_id]
        )
        (flagged,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM bench_bare")
        (bare_rows,) = cursor.fetchone()
    return {
        "successes": len(ok_ids),
        "distinct_successes": len(set(ok_ids)),
        "rows": rows,
        "people": people,
        "lost": lost,
        "unacknowledged": unacknowledged,
        "flagged": flagged,
        "stored": check.stored,
        "audited": check.audited,
        "verify_rows": check.rows,
        "bare_rows": bare_rows,
    }


def _helper(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "setup":
        result = _setup_database()
    elif command == "signers":
        result = _create_signers(int(argv[1]), int(argv[2]), int(argv[3]))
    elif command == "verify":
        result = _verify(int(argv[1]), argv[2])
    else:
        raise SystemExit(f"unknown command {command}")
    print("RESULT " + json.dumps(result))


# --- the benchmark ----------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kenes.settings.base",
        DEBUG="false",
        SECRET_KEY="bench-secret-key-not-for-production-0123456789-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"{PG}/{DB_NAME}",
        REDIS_URL=REDIS,
        CELERY_TASK_ALWAYS_EAGER="true",
        SECURE_SSL_REDIRECT="false",
        KENES_BENCH_ENDPOINTS="true",
        LANGUAGE_CODE="en",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


def _call(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], env=_env(), cwd=ROOT, capture_output=True, text=True, check=False
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    raise RuntimeError(f"bench helper {args[0]} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def _admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def _gunicorn_command() -> list[str]:
    kind, _, size = WORKERS.partition(":")
    args = [str(Path(sys.executable).parent / "gunicorn"), "kenes.wsgi:application"]
    args += ["--bind", f"127.0.0.1:{PORT}", "--backlog", "2048", "--log-level", "warning"]
    if kind == "gthread":
        workers, _, threads = size.partition("x")
        args += ["--worker-class", "gthread", "--workers", workers or "4", "--threads", threads or "4"]
    else:
        args += ["--worker-class", "sync", "--workers", size or "8"]
    return args


def _wait_ready(server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start")
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes (0 for those gone or not visible)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [pid, *(int(p) for p in out.stdout.split())]


class _PostgresCpu:
    """CPU seconds of the PostgreSQL processes over a run, sampled every half second from a thread:
    backends come and go (Django reconnects after CONN_MAX_AGE), so a before/after difference of
    the processes alive at either end would miss most of the work. None when not visible."""

    def __init__(self) -> None:
        import threading

        self.visible = _postgres_pids() is not None
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self, initial: bool) -> None:
        out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True, check=False)
        for pid in (int(p) for p in out.stdout.split()):
            used = _cpu_seconds([pid])
            self.first.setdefault(pid, used if initial else 0.0)
            self.last[pid] = used

    def _loop(self) -> None:
        while not self.stop.wait(0.5):
            self._sample(False)

    def __enter__(self) -> _PostgresCpu:
        if self.visible:
            self._sample(True)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.visible:
            self.thread.join()
            self._sample(False)

    @property
    def seconds(self) -> float | None:
        if not self.visible:
            return None
        return sum(max(0.0, self.last[pid] - first) for pid, first in self.first.items())


def _postgres_pids() -> list[int] | None:
    """Every visible PostgreSQL process, or None when the server's backends are not in this
    process namespace (a server in another container: its CPU is not ours to see)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        (backend,) = conn.execute("SELECT pg_backend_pid()").fetchone() or (0,)
    if not Path(f"/proc/{backend}").exists():
        return None
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def _cpu_snapshot(gunicorn: list[int]) -> tuple[float, float]:
    return _cpu_seconds(gunicorn), _machine_cpu()


def _machine_cpu() -> float:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    idle = int(fields[3]) + int(fields[4])
    return (sum(int(f) for f in fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _duration_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk(url: str, script: str, seconds: int, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    command = [WRK, "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-s", script, url]
    if args:
        command += ["--", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=False).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if total is None:
        raise RuntimeError(f"wrk output not understood:\n{out}")
    result: dict[str, Any] = {"requests": int(total.group(1)), "output": out}
    result["seconds"] = _duration_ms(total.group(2) + total.group(3)) / 1000
    for pct in ("50", "95", "99"):
        found = re.search(rf"^lua\.p{pct}_us: (\d+)", out, re.M)
        result[f"p{pct}"] = int(found.group(1)) / 1000 if found else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(int(g) for g in errors.groups()) if errors else 0
    result["wrk_cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result


def _sign_run(petition: int, first: int, count: int, seconds: int, tmp: Path, tag: str) -> dict[str, Any]:
    tokens = tmp / f"tokens-{tag}.txt"
    with tokens.open("w") as f:
        for i in range(first, first + count):
            f.write(KEY.format(i) + "\n")
    ok_file = tmp / f"ok-{tag}.txt"
    env = dict(os.environ, KENES_BENCH_OK=str(ok_file))
    path = f"/api/v1/petitions/{petition}/signatures"
    result = _wrk(BASE + path, str(tmp / "sign.lua"), seconds, [str(tokens), "2", path], env)
    ok = re.search(r"lua\.ok: (\d+)", result["output"])
    result["ok"] = int(ok.group(1)) if ok else 0
    result["ok_file"] = str(ok_file)
    return result


def _skip(reason: str) -> Iterator[tuple[str, str]]:
    yield "petitions.skipped", reason


def run() -> Iterator[tuple[str, str]]:
    if not Path(WRK).exists():
        yield from _skip("wrk is not installed (apt-get install wrk)")
        return
    try:
        _admin_sql(
            f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)",
            f"CREATE DATABASE {DB_NAME}",
        )
    except Exception as exc:  # noqa: BLE001 - any failure to reach PostgreSQL skips the benchmark
        yield from _skip(f"PostgreSQL unreachable at {PG} ({type(exc).__name__})")
        return
    tmp = Path(tempfile.mkdtemp(prefix="kenes-bench-"))
    (tmp / "sign.lua").write_text(SIGN_LUA)
    (tmp / "bare.lua").write_text(BARE_LUA)
    server = None
    try:
        ids = _call("setup")
        home = str(ids["home"])
        made = _call("signers", "0", str(WARMUP_TOKENS), home)
        yield "petitions.signers_per_s_created", f"{WARMUP_TOKENS / made['seconds']:.0f}"
        server = subprocess.Popen(_gunicorn_command(), env=_env(), cwd=ROOT, start_new_session=True)
        _wait_ready(server)
        yield "petitions.server", WORKERS

        # Warm-up (another petition, its own tokens): measures the rate, to create enough signers.
        warm = _sign_run(ids["warmup"], 0, WARMUP_TOKENS, WARMUP_SECONDS, tmp, "warmup")
        rate = warm["ok"] / warm["seconds"]
        yield "petitions.warmup_per_s", f"{rate:.0f}"
        # Half as many again: the run may go faster than the warm-up, and wrk's two threads each take
        # every other token, so the quicker thread must not run out (a 401/403 is no signature).
        needed = math.ceil(max(rate, 200) * (1.5 * SECONDS + 10))
        first = WARMUP_TOKENS
        made = _call("signers", str(first), str(needed), home)
        yield "petitions.signers", str(needed)

        gunicorn_pids = _children(server.pid)
        cpu0 = _cpu_snapshot(gunicorn_pids)
        with _PostgresCpu() as pg_sign:
            main = _sign_run(ids["petition"], first, needed, SECONDS, tmp, "main")
        cpu1 = _cpu_snapshot(gunicorn_pids)
        check = _call("verify", str(ids["petition"]), main["ok_file"])
        with urllib.request.urlopen(f"{BASE}/en/petitions/{ids['petition']}/count.json", timeout=10) as resp:
            displayed = int(json.loads(resp.read())["signatures"])

        bare0 = _cpu_snapshot(gunicorn_pids)
        with _PostgresCpu() as pg_bare:
            bare = _wrk(BASE + "/bench/bare", str(tmp / "bare.lua"), SECONDS, [], dict(os.environ))
        bare1 = _cpu_snapshot(gunicorn_pids)
        bare_check = _call("verify", str(ids["petition"]), main["ok_file"])
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        lines = [line for line in str(exc).splitlines() if line.strip()]
        yield from _skip(" / ".join(lines[:1] + lines[-1:]))
        return
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
        if os.environ.get("KENES_BENCH_KEEP") != "1":
            with contextlib.suppress(Exception):  # best effort
                _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")

    per_s = main["ok"] / main["seconds"]
    bare_ok = bare["requests"] - bare["non2xx"]
    bare_per_s = bare_ok / bare["seconds"]
    yield "petitions.signatures_per_s", f"{per_s:.0f}"
    yield "petitions.bare_per_s", f"{bare_per_s:.0f}"
    yield "petitions.ratio_to_bare", f"{per_s / bare_per_s:.2f}" if bare_per_s else "nan"
    yield "petitions.p50_ms", f"{main['p50']:.1f}"
    yield "petitions.p95_ms", f"{main['p95']:.1f}"
    yield "petitions.p99_ms", f"{main['p99']:.1f}"
    yield "petitions.bare_p99_ms", f"{bare['p99']:.1f}"
    yield "petitions.requests", str(main["requests"])
    yield "petitions.successes", str(check["successes"])
    yield "petitions.refused", str(main["non2xx"])
    yield "petitions.socket_errors", str(main["socket_errors"])
    yield "petitions.lost", str(check["lost"])
    yield "petitions.duplicated", str(check["rows"] - check["people"])
    yield "petitions.unacknowledged", str(check["unacknowledged"])
    yield "petitions.held_back", str(check["flagged"])
    yield "petitions.rows", str(check["rows"])
    yield "petitions.stored", str(check["stored"])
    yield "petitions.displayed", str(displayed)
    yield "petitions.audited", str(check["audited"])
    agree = (
        check["rows"]
        == check["stored"]
        == displayed
        == check["audited"]
        == (check["successes"] + check["unacknowledged"])
    )
    yield "petitions.counts_agree", "yes" if agree else "no"
    # Rows the bare endpoint stored beyond its 2xx answers: requests in flight when wrk stopped.
    yield "petitions.bare_unacknowledged", str(bare_check["bare_rows"] - bare_ok)
    for label, before, after, wrk_cpu, db in (
        ("sign", cpu0, cpu1, main["wrk_cpu"], pg_sign.seconds),
        ("bare", bare0, bare1, bare["wrk_cpu"], pg_bare.seconds),
    ):
        # CPU seconds over the run, of 2 cores × its duration: the rest is other work on the machine.
        machine = after[1] - before[1]
        app = after[0] - before[0]
        rest = machine - app - wrk_cpu - (db or 0)
        db_text = "n/a (not in this process namespace)" if db is None else f"{db:.0f}"
        yield (
            f"petitions.{label}_cpu_s",
            f"gunicorn {app:.0f}, wrk {wrk_cpu:.0f}, postgres {db_text}, rest {rest:.0f}; {machine:.0f} busy",
        )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _helper(sys.argv[1:])
    else:
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        for name, value in run():
            print(f"{name}: {value}", flush=True)
