import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kenes: Django's development server when DEBUG is on, gunicorn otherwise."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("KENES_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("KENES_PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args: Any, host: str, port: str, workers: int, **options: Any) -> None:
        if settings.DEBUG:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        os.execvp(
            sys.executable,
            [sys.executable, "-m", "gunicorn", "kenes.wsgi", "-b", f"{host}:{port}", "-w", str(workers)],
        )
