"""The production configuration passes Django's deploy checks, and every response carries
the security headers (RELIABILITY.md §5)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kenes.settings.base",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "kenes.example.org",
    "DATABASE_URL": "postgres://kenes:secret@db.example.org:5432/kenes",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "EMAIL_URL": "smtp+tls://kenes:secret@smtp.example.org:587",
}


# Variables the test settings put in this process's environment: a production process has none.
TEST_ONLY = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "LANGUAGE_CODE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
}


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(PRODUCTION_ENV)
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings():
    result = run_check({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_warns_when_production_runs_jobs_inline_and_mails_to_console():
    result = run_check({"REDIS_URL": "", "EMAIL_URL": "consolemail://"})
    assert result.returncode != 0
    assert "kenes.W001" in result.stderr + result.stdout
    assert "kenes.W002" in result.stderr + result.stdout


def test_it_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env["DJANGO_SETTINGS_MODULE"] = "kenes.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_carries_a_content_security_policy_too(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
