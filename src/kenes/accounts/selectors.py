"""Reads for accounts pages and the API (N+1-free, paginated)."""

from django.core.paginator import Page
from django.db.models import QuerySet

from kenes.common.pagination import PageRequest, paginate
from kenes.territories.models import Territory

from .models import ApiToken, Demographics, IdentityVerification, User


def home_territory_choices() -> QuerySet[Territory]:
    """Regions and their districts/cities (levels 1–2), in tree order."""
    return Territory.objects.filter(level__lte=2).order_by("path")


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get_for_user(*, user: User, pk: int) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(user=user, pk=pk).first()


def verification_list_recent(*, page_request: PageRequest) -> Page[IdentityVerification]:
    qs = IdentityVerification.objects.select_related("user", "verified_by").order_by("-verified_at", "-pk")
    return paginate(qs, page_request)


def verifications_for_user(*, user: User) -> QuerySet[IdentityVerification]:
    return IdentityVerification.objects.filter(user=user, revoked_at__isnull=True).order_by("-verified_at")


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), deleted_at__isnull=True).first()


def demographics_for_user(*, user: User) -> Demographics | None:
    return Demographics.objects.filter(user=user).first()
