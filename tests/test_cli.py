"""The `kenes` command wraps Django's management commands and starts Celery."""

import subprocess
import sys
from pathlib import Path

from kenes.cli import celery_argv

ROOT = Path(__file__).resolve().parent.parent


def test_it_hands_celery_its_subcommand_first():
    assert celery_argv(["worker", "--concurrency=2"]) == ["worker", "--loglevel=INFO", "--concurrency=2"]


def kenes(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kenes.cli", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_it_runs_management_commands():
    result = kenes("audit", "--help")
    assert result.returncode == 0, result.stderr
    assert "verify" in result.stdout and "seal" in result.stdout


def test_the_worker_command_reaches_celery():
    result = kenes("worker", "--help")
    assert result.returncode == 0, result.stderr
    assert "--concurrency" in result.stdout
