"""Read paths of the petitions module for pages, the API and open data: N+1-free, a fixed number of
queries whatever the number of petitions or signatures. Counts are read from the derived columns
(``signature_count``, ``RegionCount``), never with ``COUNT(*)`` over signatures on a page.

Nothing here shows who signed except ``public_signers`` (people who chose to show their name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from kenes.obligations.models import Commitment, Kind, Obligation, Response
from kenes.obligations.selectors import commitments_of
from kenes.organizations.models import Membership

from .models import CountWatermark, Petition, RegionCount, Signature
from .rules import MODERATOR_ROLES, staff_moderates

#: How similar (0–1, trigram similarity, title weighted twice the text) a petition must be to be
#: shown as a likely duplicate.
SIMILARITY_THRESHOLD = 0.25
#: On SQLite the similarity is computed in Python over at most this many recent petitions.
SIMILARITY_CANDIDATES = 2000
#: Only the start of the text takes part in the comparison.
TEXT_PREFIX = 1000


def _with_related(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    return qs.select_related("addressee", "territory", "topic")


def _search(query: str) -> Q:
    q = Q()
    for word in query.split()[:10]:
        q &= Q(title__icontains=word) | Q(text__icontains=word) | Q(demand__icontains=word)
    return q


def petition_list(
    *,
    query: str = "",
    state: str | None = None,
    topic: Any = None,
    territory: Any = None,
    level: str | None = None,
    addressee: Any = None,
    answered: bool | None = None,
) -> QuerySet[Petition]:
    """Public petitions (open and closed, not hidden), newest first. ``territory`` takes in the
    unit and every unit below it; ``topic``, ``addressee`` and ``territory`` are objects or ids;
    ``answered`` keeps petitions whose body has (or has not) answered."""
    qs = _with_related(Petition.objects.public())
    if query.strip():
        qs = qs.filter(_search(query.strip()))
    if state in (Petition.State.OPEN, Petition.State.CLOSED):
        qs = qs.filter(state=state)
    if topic:
        qs = qs.filter(topic=topic)
    if level:
        qs = qs.filter(level=level)
    if addressee:
        qs = qs.filter(addressee=addressee)
    if territory is not None and territory != "":
        path = getattr(territory, "path", None)
        if path is None:
            qs = qs.filter(territory__in=_subtree_ids(territory))
        else:
            qs = qs.filter(territory__path__startswith=path)
    if answered is not None:
        answered_ids = (
            Obligation.objects.filter(
                subject_type=ContentType.objects.get_for_model(Petition),
                kind=Kind.PETITION,
                state=Obligation.State.ANSWERED,
            )
            .annotate(petition_id=Cast("subject_id", IntegerField()))
            .values("petition_id")
        )
        qs = qs.filter(pk__in=answered_ids) if answered else qs.exclude(pk__in=answered_ids)
    return qs.order_by("-opens_at", "-pk")


def _subtree_ids(territory_id: Any) -> QuerySet[Any]:
    from kenes.territories.models import Territory

    root = Territory.objects.filter(pk=territory_id).values_list("path", flat=True).first()
    if root is None:
        return Territory.objects.none().values("pk")
    return Territory.objects.filter(path__startswith=root).values("pk")


def petition_get(pk: int) -> Petition:
    """One petition with its author, addressee, territory and topic (one query); 404 if none.
    The caller checks ``petitions.view_petition``."""
    petition = (
        Petition.objects.select_related("author", "addressee", "territory", "topic", "moderated_by")
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise Http404("No such petition.")
    return petition


def my_petitions(user: Any) -> QuerySet[Petition]:
    """Every petition ``user`` started, in any state, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Petition.objects.none()
    return _with_related(Petition.objects.filter(author=user)).order_by("-created_at", "-pk")


def moderation_queue(user: Any = None) -> QuerySet[Petition]:
    """Petitions awaiting moderation, oldest first: all of them (``user`` None, or staff holding
    the moderation permission), else those addressed to bodies ``user`` moderates (not their own)."""
    qs = _with_related(Petition.objects.filter(state=Petition.State.PENDING)).select_related("author")
    if user is not None and not staff_moderates(user):
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        qs = qs.filter(addressee__in=_bodies_moderated_by(user)).exclude(author_id=user.pk)
    return qs.order_by("submitted_at", "pk")


def held_signatures(user: Any) -> QuerySet[Signature]:
    """Live signatures held back by the rate limits and not counted, on the petitions ``user``
    moderates (all of them for staff moderators), oldest first."""
    qs = Signature.objects.filter(
        flagged_at__isnull=False, confirmed_at__isnull=True, withdrawn_at__isnull=True
    )
    if not staff_moderates(user):
        qs = qs.filter(petition__addressee__in=_bodies_moderated_by(user)).exclude(
            petition__author_id=user.pk
        )
    return qs.select_related("petition", "user").order_by("created_at", "pk")


def _bodies_moderated_by(user: Any) -> QuerySet[Any]:
    return Membership.objects.filter(user_id=user.pk, role__in=MODERATOR_ROLES).values("organization_id")


def region_counts(petition: Petition) -> list[RegionCount]:
    """Counted signatures by the signers' home region, largest first (signers without a home
    region last, as ``region`` None). One query."""
    rows = list(
        RegionCount.objects.filter(petition=petition, count__gt=0)
        .select_related("region")
        .order_by("-count", "pk")
    )
    return sorted(rows, key=lambda row: row.region_id is None)


def public_signers(petition: Petition) -> QuerySet[Signature]:
    """Counted signatures whose signers chose to show their name, newest first (the caller pages)."""
    return (
        Signature.objects.filter(
            petition=petition,
            show_name=True,
            confirmed_at__isnull=False,
            withdrawn_at__isnull=True,
            user__deleted_at__isnull=True,
        )
        .select_related("user", "region")
        .order_by("-confirmed_at", "-pk")
    )


def counted_until() -> Any:
    """The database time up to which signatures are in the counts (None before the first count)."""
    return CountWatermark.objects.filter(pk=1).values_list("counted_until", flat=True).first()


# --- the answer ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionResponse:
    """The hearing loop for a petition: its obligation (None until the threshold is reached), the
    reasoned response (None until answered) and the commitments with milestones and evidence."""

    obligation: Obligation | None
    response: Response | None
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def is_answered(self) -> bool:
        return self.response is not None


def petition_response(petition: Petition) -> PetitionResponse:
    """The latest obligation of kind petition about ``petition`` (after a redirection: the one at the
    competent body) with its response and commitments; at most four queries."""
    obligation = (
        Obligation.objects.for_subject(petition)
        .filter(kind=Kind.PETITION)
        .select_related("organization", "response", "response__organization")
        .order_by("-pk")
        .first()
    )
    if obligation is None:
        return PetitionResponse(obligation=None, response=None)
    try:
        response: Response | None = obligation.response
    except Response.DoesNotExist:
        response = None
    commitments = commitments_of(obligation) if response is not None else []
    return PetitionResponse(obligation=obligation, response=response, commitments=commitments)


# --- likely duplicates -----------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word (alphanumeric run) lower-cased, padded with two blanks before
    and one after, cut into overlapping three-character pieces."""
    found: set[str] = set()
    for word in _WORD.findall(text.lower().replace("_", " ")):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of the two texts."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _score(title_similarity: float, text_similarity: float) -> float:
    return (2 * title_similarity + text_similarity) / 3


def similar_petitions(
    title: str,
    text: str,
    *,
    exclude_pk: int | None = None,
    limit: int = 5,
    include_pending: bool = False,
) -> list[Petition]:
    """Petitions like the one being written (likely duplicates), most similar first, each with a
    ``similarity`` attribute (0–1). Public ones only, unless ``include_pending`` (for moderators).
    PostgreSQL ranks with pg_trgm in the database; SQLite computes the same measure in Python."""
    states = [Petition.State.OPEN, Petition.State.CLOSED]
    if include_pending:
        states.append(Petition.State.PENDING)
    qs = _with_related(Petition.objects.filter(state__in=states, is_hidden=False))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    title, text = (title or "").strip(), (text or "").strip()[:TEXT_PREFIX]
    if not title and not text:
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models.functions import Left

        ranked = qs.annotate(
            similarity=(
                TrigramSimilarity("title", title) * 2 + TrigramSimilarity(Left("text", TEXT_PREFIX), text)
            )
            / 3
        ).filter(similarity__gte=SIMILARITY_THRESHOLD)
        return list(ranked.order_by("-similarity", "-pk")[:limit])
    candidates = list(qs.order_by("-pk")[:SIMILARITY_CANDIDATES])
    scored: list[Petition] = []
    for petition in candidates:
        score = _score(similarity(petition.title, title), similarity(petition.text[:TEXT_PREFIX], text))
        if score >= SIMILARITY_THRESHOLD:
            petition.similarity = score  # type: ignore[attr-defined]
            scored.append(petition)
    scored.sort(key=lambda p: (-p.similarity, -p.pk))  # type: ignore[attr-defined]
    return scored[:limit]
