"""Read paths: the moderators' queue (one row per content item), an item's history, the public
notice. N+1-free: a queue page costs a fixed number of queries, whatever its size."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db.models import BooleanField, Case, Count, Max, Q, QuerySet, Value, When
from django.http import Http404

from kenes.common.pagination import PageRequest, paginate
from kenes.organizations.models import Organization

from . import registry
from .models import Appeal, Decision, Report
from .rules import MODERATOR_ROLES
from .services import (
    MODERATION_PRIORITY_REPORTERS,
    PRIORITY_MIN_VERIFICATION_LEVEL,
    VISIBILITY_ACTIONS,
    content_filter,
    decision_in_force,
)

QUEUE_STATES = ("open", "decided")


def _open() -> Q:
    return Q(resolved_by_decision__isnull=True)


def queue_rows(*, user: Any, state: str = "open") -> QuerySet[Any]:
    """Reported items the user moderates (staff: all), grouped per item, as dicts with
    ``content_type``, ``object_id``, ``organization_ref``, counts and ``is_priority``.

    ``state="open"``: items with reports no decision has resolved yet, priority first;
    ``"decided"``: items whose reports are all resolved, latest report first."""
    reports = Report.objects.all()
    if not user.is_staff:
        reports = reports.filter(
            organization__memberships__user_id=user.pk,
            organization__memberships__role__in=MODERATOR_ROLES,
        )
    verified = _open() & Q(reporter__verification_level__gte=PRIORITY_MIN_VERIFICATION_LEVEL)
    rows = (
        reports.order_by()
        .values("content_type", "object_id")
        .annotate(
            report_count=Count("pk", distinct=True),
            open_count=Count("pk", filter=_open(), distinct=True),
            verified_reporters=Count("reporter", filter=verified, distinct=True),
            organization_ref=Max("organization_id"),
            last_reported_at=Max("created_at"),
        )
        .annotate(
            is_priority=Case(
                When(verified_reporters__gte=MODERATION_PRIORITY_REPORTERS, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if state == "decided":
        return rows.filter(open_count=0).order_by("-last_reported_at", "content_type", "object_id")
    return rows.filter(open_count__gt=0).order_by(
        "-is_priority", "-last_reported_at", "content_type", "object_id"
    )


@dataclass
class QueueEntry:
    content_type: ContentType
    object_id: str
    content: Any
    title: str
    url: str
    organization: Organization | None
    report_count: int
    open_count: int
    verified_reporters: int
    is_priority: bool
    last_reported_at: datetime.datetime
    decision: Decision | None = None
    has_open_appeal: bool = False
    categories: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def is_hidden(self) -> bool:
        return self.decision is not None and self.decision.action == Decision.Action.HIDE


def _contents(keys: list[tuple[int, str]]) -> dict[tuple[int, str], Any]:
    """The content objects for (content type id, object id) keys: one query per content model."""
    by_type: dict[int, list[str]] = defaultdict(list)
    for type_id, object_id in keys:
        by_type[type_id].append(object_id)
    found: dict[tuple[int, str], Any] = {}
    for type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=object_ids):
            found[(type_id, str(obj.pk))] = obj
    return found


def _decisions_in_force(keys: list[tuple[int, str]]) -> dict[tuple[int, str], Decision]:
    if not keys:
        return {}
    wanted = set(keys)
    decisions = Decision.objects.filter(
        content_type_id__in={k[0] for k in keys},
        object_id__in={k[1] for k in keys},
        action__in=VISIBILITY_ACTIONS,
    ).order_by("-created_at", "-pk")
    latest: dict[tuple[int, str], Decision] = {}
    for decision in decisions:
        key = (decision.content_type_id, decision.object_id)
        if key in wanted and key not in latest:
            latest[key] = decision
    return latest


def _open_appeal_keys(keys: list[tuple[int, str]]) -> set[tuple[int, str]]:
    if not keys:
        return set()
    rows = Appeal.objects.filter(
        state=Appeal.State.OPEN,
        decision__content_type_id__in={k[0] for k in keys},
        decision__object_id__in={k[1] for k in keys},
    ).values_list("decision__content_type_id", "decision__object_id")
    return set(rows) & set(keys)


def hydrate(rows: list[dict[str, Any]]) -> list[QueueEntry]:
    """Queue rows → entries with the content, its title and link, organisation, decision in force
    and whether an appeal is open. A fixed number of queries for any number of rows."""
    keys = [(row["content_type"], row["object_id"]) for row in rows]
    contents = _contents(keys)
    organizations = Organization.objects.in_bulk({row["organization_ref"] for row in rows} - {None})
    decisions = _decisions_in_force(keys)
    appealed = _open_appeal_keys(keys)
    entries = []
    for row, key in zip(rows, keys, strict=True):
        content = contents.get(key)
        entry = registry.get(content) if content is not None else None
        entries.append(
            QueueEntry(
                content_type=ContentType.objects.get_for_id(key[0]),
                object_id=key[1],
                content=content,
                title=entry.title_of(content) if entry else f"#{key[1]}",
                url=entry.url_of(content) if entry else "",
                organization=organizations.get(row["organization_ref"]),
                report_count=row["report_count"],
                open_count=row["open_count"],
                verified_reporters=row["verified_reporters"],
                is_priority=row["is_priority"] and row["open_count"] > 0,
                last_reported_at=row["last_reported_at"],
                decision=decisions.get(key),
                has_open_appeal=key in appealed,
            )
        )
    return entries


def queue_page(*, user: Any, state: str, page_request: PageRequest) -> tuple[Page[Any], list[QueueEntry]]:
    page = paginate(queue_rows(user=user, state=state), page_request)
    return page, hydrate(list(page.object_list))


# --- One item -------------------------------------------------------------------------------------


@dataclass
class ItemHistory:
    content: Any
    title: str
    url: str
    label: str
    organization: Organization | None
    decision: Decision | None  # in force (hide or restore)
    decisions: Sequence[Decision]
    appeals: list[Appeal]
    open_report_count: int


def item_reports(content: Any) -> QuerySet[Report]:
    """An item's reports, open ones first; with the reporter (moderators see who reported)."""
    return (
        Report.objects.filter(content_filter(content))
        .select_related("reporter", "resolved_by_decision")
        .order_by(
            Case(When(resolved_by_decision__isnull=True, then=Value(0)), default=Value(1)),
            "-created_at",
            "-pk",
        )
    )


#: Decisions shown on an item page (the newest); older ones stay in the admin and the audit log.
ITEM_DECISIONS_SHOWN = 50


def item_history(content: Any) -> ItemHistory:
    entry = registry.entry_for(content)
    organization = entry.organization(content)
    decisions = list(
        Decision.objects.filter(content_filter(content))
        .select_related("moderator")
        .annotate(report_count=Count("resolved_reports"))
        .order_by("-created_at", "-pk")[:ITEM_DECISIONS_SHOWN]
    )
    appeals = list(
        Appeal.objects.filter(decision__in=[d.pk for d in decisions])
        .select_related("author", "resolved_by", "decision", "decision__moderator")
        .order_by("-created_at", "-pk")
    )
    in_force = next((d for d in decisions if d.action in VISIBILITY_ACTIONS), None)
    return ItemHistory(
        content=content,
        title=entry.title_of(content),
        url=entry.url_of(content),
        label=registry.label_of(content),
        organization=organization,
        decision=in_force,
        decisions=decisions,
        appeals=appeals,
        open_report_count=Report.objects.filter(
            content_filter(content), resolved_by_decision__isnull=True
        ).count(),
    )


# --- For the author and the public ---------------------------------------------------------------


def hidden_notice(content: Any) -> Decision | None:
    """The hide decision in force for ``content``, for the public notice (None if not hidden)."""
    if content is None or not registry.is_registered(content):
        return None
    decision = decision_in_force(content)
    return decision if decision is not None and decision.action == Decision.Action.HIDE else None


def appeal_of(decision: Decision) -> Appeal | None:
    return (
        Appeal.objects.filter(decision=decision).select_related("resolved_by").order_by("-created_at").first()
    )


def decision_get(pk: int) -> Decision:
    decision = Decision.objects.select_related("content_type", "moderator").filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


def appeal_get(pk: int) -> Appeal:
    appeal = (
        Appeal.objects.select_related("decision", "decision__content_type", "author").filter(pk=pk).first()
    )
    if appeal is None:
        raise Http404("No such appeal.")
    return appeal


def report_of(content: Any, user: Any) -> Report | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Report.objects.filter(content_filter(content), reporter_id=user.pk).first()
