"""Open data: petitions, their status, responses and counts per territory (no personal data).

Nothing here names a signer or an author, or holds an e-mail address. Every file is built in a
fixed number of queries whatever the number of petitions. CSV cells a spreadsheet would read as a
formula are prefixed with an apostrophe (CSV injection). Counts change only when the counting job
runs, so ``<id>/count.json`` is cacheable for the counting interval.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from kenes.common.csvsafe import csv_response
from kenes.common.formats import iso_or_none
from kenes.obligations.models import Kind, Obligation, Response

from .models import Petition, RegionCount
from .selectors import counted_until

PETITION_FIELDS = [
    "id",
    "title",
    "state",
    "level",
    "country",
    "language",
    "addressee_id",
    "addressee",
    "territory_code",
    "territory",
    "topic",
    "threshold",
    "signatures",
    "counted_at",
    "opens_at",
    "closes_at",
    "threshold_reached_at",
    "obligation_id",
    "response_decision",
    "response_date",
    "response_on_time",
    "is_sample",
]
TERRITORY_FIELDS = ["petition_id", "petition_state", "territory_code", "territory", "signatures"]


def _answered_on(obligation: Obligation | None) -> str | None:
    if obligation is None or obligation.answered_at is None:
        return None
    return timezone.localdate(obligation.answered_at).isoformat()


def _responses() -> dict[str, tuple[Obligation, Response | None]]:
    """The latest petition obligation per petition id (as text), with its response: one query."""
    latest: dict[str, tuple[Obligation, Response | None]] = {}
    obligations = (
        Obligation.objects.filter(
            subject_type=ContentType.objects.get_for_model(Petition), kind=Kind.PETITION
        )
        .select_related("response")
        .order_by("pk")
    )
    for obligation in obligations:
        try:
            response: Response | None = obligation.response
        except Response.DoesNotExist:
            response = None
        latest[obligation.subject_id] = (obligation, response)
    return latest


def petition_rows() -> Iterator[dict[str, Any]]:
    """One dict per public petition, newest first (two queries)."""
    responses = _responses()
    petitions = (
        Petition.objects.public()
        .select_related("addressee", "territory", "topic")
        .order_by("-opens_at", "-pk")
    )
    for petition in petitions.iterator(chunk_size=1000):
        obligation, response = responses.get(str(petition.pk), (None, None))
        yield {
            "id": petition.pk,
            "title": petition.title,
            "state": petition.state,
            "level": petition.level,
            "country": petition.country,
            "language": petition.language,
            "addressee_id": petition.addressee_id,
            "addressee": petition.addressee.name,
            "territory_code": petition.territory.code,
            "territory": petition.territory.name,
            "topic": petition.topic.code,
            "threshold": petition.threshold,
            "signatures": petition.signature_count,
            "counted_at": iso_or_none(petition.counted_at),
            "opens_at": iso_or_none(petition.opens_at),
            "closes_at": iso_or_none(petition.closes_at),
            "threshold_reached_at": iso_or_none(petition.threshold_reached_at),
            "obligation_id": obligation.pk if obligation else None,
            "response_decision": response.decision if response else None,
            "response_date": _answered_on(obligation) if response else None,
            "response_on_time": response.on_time if response else None,
            "is_sample": petition.is_sample,
        }


def territory_rows() -> Iterator[dict[str, Any]]:
    """Counted signatures per public petition and signers' home region (one query)."""
    rows = (
        RegionCount.objects.filter(
            count__gt=0,
            petition__state__in=[Petition.State.OPEN, Petition.State.CLOSED],
            petition__is_hidden=False,
        )
        .select_related("region", "petition")
        .order_by("petition_id", "region__code")
    )
    for row in rows.iterator(chunk_size=2000):
        yield {
            "petition_id": row.petition_id,
            "petition_state": row.petition.state,
            "territory_code": row.region.code if row.region else "",
            "territory": row.region.name if row.region else "",
            "signatures": row.count,
        }


@require_GET
def petitions_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(petition_rows(), PETITION_FIELDS, "petitions.csv")


@require_GET
def petitions_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"generated_at": timezone.now().isoformat(), "petitions": list(petition_rows())},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def territories_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(territory_rows(), TERRITORY_FIELDS, "petition-signatures-by-territory.csv")


@require_GET
def count_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The published count of one public petition; cacheable for the counting interval."""
    petition = (
        Petition.objects.public()
        .filter(pk=pk)
        .values("pk", "signature_count", "threshold", "counted_at", "threshold_reached_at", "state")
        .first()
    )
    if petition is None:
        raise Http404("No such petition.")
    until = counted_until()
    response = JsonResponse(
        {
            "id": petition["pk"],
            "state": petition["state"],
            "signatures": petition["signature_count"],
            "threshold": petition["threshold"],
            "counted_at": iso_or_none(petition["counted_at"]),
            "threshold_reached_at": iso_or_none(petition["threshold_reached_at"]),
            "counted_until": iso_or_none(until),
        }
    )
    patch_cache_control(response, public=True, max_age=settings.PETITIONS_COUNT_INTERVAL_SECONDS)
    return response


urlpatterns: list[URLPattern] = [
    path("open-data/petitions.csv", petitions_csv, name="opendata_petitions_csv"),
    path("open-data/petitions.json", petitions_json, name="opendata_petitions_json"),
    path("open-data/territories.csv", territories_csv, name="opendata_territories_csv"),
    path("<int:pk>/count.json", count_json, name="count_json"),
]
