"""`make bench`: run every benchmark and print one `name: value` line per figure.

Each benchmark gets a fresh throw-away database: SQLite by default, PostgreSQL when
DATABASE_URL points at one (as in production). Figures are compared with a reference
implementation measured in the same run (a bare INSERT, a recursive walk, …).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenes.settings.test")


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench import audit_bench, pb_bench, petitions_bench, territories_bench, workdays_bench

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"bench.database: {connection.vendor}")
    started = time.perf_counter()
    try:
        for module in (audit_bench, territories_bench, workdays_bench, pb_bench, petitions_bench):
            for name, value in module.run():
                print(f"{name}: {value}", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"bench.total_seconds: {time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
