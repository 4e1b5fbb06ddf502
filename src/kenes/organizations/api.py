from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from kenes.common.api import PageOut, page_response

from . import selectors
from .models import Organization
from .schemas import OrganizationDetailOut, OrganizationOut

router = Router(tags=["organizations"])


class DirectoryFilters(Schema):
    q: str | None = None
    kind: Organization.Kind | None = None
    sector: str | None = None
    territory: str | None = None
    subtree: bool = True
    status: Organization.Status | None = None
    country: str | None = None
    # Paging is read (and clamped) by page_response; strings here so that nonsense is clamped, not refused.
    page: str | None = None
    per_page: str | None = None


def organization_out(organization: Organization) -> dict[str, Any]:
    territory = organization.territory
    return {
        "id": organization.pk,
        "kind": organization.kind,
        "name": organization.name,
        "names": {code: getattr(organization, f"name_{code}") or "" for code in selectors.NAME_LANGUAGES},
        "status": organization.status,
        "country": organization.country,
        "registration_number": organization.registration_number,
        "territory": {"code": territory.code, "name": territory.name},
        "sectors": [sector.code for sector in organization.sectors.all()],
        "is_sample": organization.is_sample,
    }


@router.get("/", response=PageOut[OrganizationOut], summary="The directory of organisations")
def organization_list(request: HttpRequest, filters: Query[DirectoryFilters]) -> dict[str, Any]:
    """Filter by kind, sector code, territory code (with its subdivisions unless `subtree=false`),
    status, country and a search over the names in every language and the BIN/INN.
    `per_page` is clamped to 1..100."""
    queryset = selectors.organization_directory(
        q=filters.q,
        kind=filters.kind,
        sector=filters.sector,
        territory_code=filters.territory,
        include_subtree=filters.subtree,
        status=filters.status,
        country=filters.country,
    )
    return page_response(request, queryset, organization_out)


@router.get("/{int:organization_id}", response=OrganizationDetailOut, summary="One organisation")
def organization_detail(request: HttpRequest, organization_id: int) -> dict[str, Any]:
    organization = selectors.organization_get(organization_id)
    members = selectors.organization_members(organization)
    return {
        **organization_out(organization),
        "description": organization.description or "",
        "supervising_body_id": organization.supervising_body_id,
        "members": [{"name": m.user.public_name, "role": m.role} for m in members],
        "contacts": {
            "website": organization.website,
            "email": organization.email,
            "phone": organization.phone,
        },
    }
