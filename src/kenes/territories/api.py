"""``/api/v1/territories/``: the administrative units, read-only and public."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from kenes.common.api import PageOut, page_response

from .models import Country, Territory
from .schemas import TerritoryDetailOut, TerritoryOut
from .selectors import territory_ancestors, territory_children, territory_get, territory_list

router = Router(tags=["territories"])


class TerritoryFilters(Schema):
    country: Country | None = Field(None, description="KZ or KG.")
    kind: Territory.Kind | None = None
    level: int | None = Field(None, ge=1, le=10)
    parent: str | None = Field(None, description="Only the units directly below this code.")
    within: str | None = Field(None, description="This code and every unit below it, at any depth.")
    q: str | None = Field(
        None, max_length=100, description="Start of a code, or part of a name in any language."
    )
    page: str | None = Field(None, description="Page number (from 1; clamped).")
    per_page: str | None = Field(None, description="Items per page, 1 to 100 (clamped).")


def territory_out(territory: Territory) -> dict[str, Any]:
    return {
        "code": territory.code,
        "country": territory.country,
        "kind": territory.kind,
        "level": territory.level,
        "parent_code": territory.parent.code if territory.parent else None,
        "name": territory.name,
        "names": {lang: getattr(territory, f"name_{lang}") for lang in ("kk", "ru", "ky", "en")},
        "urban": territory.urban,
        "population": territory.population,
    }


@router.get("/", response=PageOut[TerritoryOut], summary="List territories")
def list_territories(request: HttpRequest, filters: Query[TerritoryFilters]) -> dict[str, Any]:
    """Territories in tree order, filtered; ``name`` is in the request's language (with fallbacks)."""
    qs = territory_list(
        country=filters.country,
        kind=filters.kind,
        level=filters.level,
        parent_code=filters.parent,
        within_code=filters.within,
        q=filters.q,
    )
    return page_response(request, qs, territory_out)


@router.get("/{code}", response=TerritoryDetailOut, summary="One territory")
def get_territory(request: HttpRequest, code: str) -> dict[str, Any]:
    try:
        territory = territory_get(code)
    except Territory.DoesNotExist:
        raise Http404("No such territory.") from None
    return {
        **territory_out(territory),
        "ancestors": [{"code": a.code, "name": a.name} for a in territory_ancestors(territory)],
        "children_count": territory_children(territory).count(),
    }
