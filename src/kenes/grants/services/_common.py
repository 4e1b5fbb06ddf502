"""Helpers shared by the grants services: audit, notices, locking."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from kenes.audit import services as audit
from kenes.organizations.models import Membership

EMAIL_TEMPLATES = "grants/email/"
OFFICIAL_ROLES = (Membership.Role.OFFICER, Membership.Role.HEAD)
APPLICANT_ROLES = (Membership.Role.OFFICER, Membership.Role.HEAD)


def record(event: str, actor: Any, obj: models.Model, **data: Any) -> None:
    audit.record(
        event=f"grants.{event}",
        actor=actor,
        obj=obj,
        data=data,
        actor_label="" if getattr(actor, "pk", None) else "system",
    )


def notify(
    people: Iterable[Any],
    name: str,
    *,
    subject: models.Model,
    url: str,
    dedupe_key: str | None,
    **context: Any,
) -> None:
    """Send notice ``name`` (templates ``grants/email/<name>_subject.txt`` and ``_body.txt``)."""
    from kenes.notifications.services import notify as send

    send(
        recipients=[p for p in people if p is not None],
        event=f"grants.{name}",
        template=f"{EMAIL_TEMPLATES}{name}",
        context=context,
        subject=subject,
        url=url,
        dedupe_key=dedupe_key,
    )


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal about one field that keeps its code (``ValidationError({field: message}, code=…)``
    would lose it)."""
    return ValidationError({field: ValidationError(message, code=code)})
