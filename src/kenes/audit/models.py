"""The append-only, tamper-evident event log (see docs/audit.md).

Events are plain INSERTs: no lock, no read of a previous row, so hot write paths never wait
on the log. A job later seals pending events into blocks: each block stores the Merkle root
of its events' hashes and the hash of the previous block.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit rows are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit rows are append-only")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit rows are append-only")


class Event(AppendOnlyModel):
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=100)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (subject_type, subject_id) index serves it
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        # Every index costs each INSERT on the hot paths (a petition signature writes one event):
        # one plain index per lookup, none duplicated (no LIKE index on the action either).
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_event_subject"),
            models.Index(fields=["action"], name="audit_event_action"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class Block(AppendOnlyModel):
    number = models.PositiveBigIntegerField(_("number"), unique=True)
    sealed_at = models.DateTimeField(_("sealed at"))
    event_count = models.PositiveIntegerField(_("events"))
    first_event_id = models.BigIntegerField(_("first event"))
    last_event_id = models.BigIntegerField(_("last event"))
    merkle_root = models.CharField(_("Merkle root"), max_length=64)
    prev_hash = models.CharField(_("previous block hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit block")
        verbose_name_plural = _("audit blocks")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"block {self.number}"


class Seal(AppendOnlyModel):
    """Places one event in one block; the leaf hash is the event's hash when it was sealed."""

    event = models.OneToOneField(
        Event, primary_key=True, on_delete=models.PROTECT, related_name="seal", verbose_name=_("event")
    )
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="seals", verbose_name=_("block"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64)

    class Meta:
        verbose_name = _("seal")
        verbose_name_plural = _("seals")

    def __str__(self) -> str:
        return f"event {self.event_id} in block {self.block_id}"
