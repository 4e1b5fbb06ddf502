"""System checks for misconfiguration that Django's own checks cannot see."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def production_integrations(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        messages.append(
            Warning(
                "Background jobs run inside web requests.",
                hint="Set REDIS_URL and run `kenes worker` and `kenes beat` (see README, Production).",
                id="kenes.W001",
            )
        )
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
        messages.append(
            Warning(
                "E-mail is not delivered: EMAIL_URL points at the console.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587.",
                id="kenes.W002",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        messages.append(
            Warning(
                "The database is SQLite, which is for the demo only.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/kenes.",
                id="kenes.W003",
            )
        )
    return messages


@register()
def languages_complete(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    codes = {code for code, _ in settings.LANGUAGES}
    if codes != {"kk", "ru", "ky", "en"}:
        return [Error("LANGUAGES must be exactly kk, ru, ky and en.", id="kenes.E001")]
    return []
