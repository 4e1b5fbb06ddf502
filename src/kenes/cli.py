"""The `kenes` command: Django's management commands plus `serve`, `worker` and `beat`.

kenes demo                 load the demo data (idempotent)
kenes serve                serve the site (runserver in DEBUG, gunicorn otherwise)
kenes audit verify         check the audit log's hash chain
kenes territories load     load the KATO/SOATE classifiers
kenes worker | kenes beat  start Celery against Redis (production)
kenes <any manage.py command>
"""

import os
import sys

CELERY_COMMANDS = {"worker", "beat"}


def celery_argv(args: list[str]) -> list[str]:
    """Arguments for Celery's own command line (it takes no program name)."""
    return [args[0], "--loglevel=INFO", *args[1:]]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenes.settings.dev")
    if args and args[0] in CELERY_COMMANDS:
        from kenes.celery import app

        app.start(celery_argv(args))
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kenes", *args])


if __name__ == "__main__":
    main()
