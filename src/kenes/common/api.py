"""Helpers shared by every app's API: one page format for every list."""

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema

from .pagination import PageRequest, paginate

T = TypeVar("T")


class PageOut(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    per_page: int
    pages: int


def page_response(
    request: HttpRequest, queryset: QuerySet[Any], transform: Callable[[Any], Any] | None = None
) -> dict[str, Any]:
    """Paginate ``queryset`` with the request's ``page``/``per_page`` (clamped to 1..100)."""
    page = paginate(queryset, PageRequest.from_params(request.GET))
    items = [transform(obj) for obj in page.object_list] if transform else list(page.object_list)
    return {
        "items": items,
        "count": page.paginator.count,
        "page": page.number,
        "per_page": page.paginator.per_page,
        "pages": page.paginator.num_pages,
    }
