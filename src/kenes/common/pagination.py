"""Pagination shared by pages and the API: page sizes are clamped, never trusted."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def clamp_int(value: Any, *, default: int, low: int, high: int) -> int:
    """Parse ``value`` as an int within [low, high]; anything else gives ``default``."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_params(cls, params: Any) -> "PageRequest":
        return cls(
            page=clamp_int(params.get("page"), default=1, low=1, high=1_000_000),
            per_page=clamp_int(
                params.get("per_page"),
                default=settings.KENES_PAGE_SIZE,
                low=1,
                high=settings.KENES_MAX_PAGE_SIZE,
            ),
        )


def paginate(queryset: QuerySet[Any], request: PageRequest) -> Page[Any]:
    """Return the requested page; a page past the end gives the last page."""
    paginator = Paginator(queryset, request.per_page)
    return paginator.get_page(request.page)
