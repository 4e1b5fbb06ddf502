"""The JSON API under /api/v1 (OpenAPI docs at /api/v1/docs). One error format everywhere:

{"error": {"code": "not_found", "message": "…", "details": [...]}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kenes.accounts.api import router as accounts_router
from kenes.appeals.api import router as appeals_router
from kenes.audit.api import router as audit_router
from kenes.budgeting.api import router as budgeting_router
from kenes.grants.api import router as grants_router
from kenes.moderation.api import router as moderation_router
from kenes.notifications.api import router as notifications_router
from kenes.obligations.api import router as obligations_router
from kenes.organizations.api import router as organizations_router
from kenes.petitions.api import router as petitions_router
from kenes.petitions.api_signing import router as petitions_signing_router
from kenes.registry.api import router as registry_router
from kenes.territories.api import router as territories_router

api = NinjaAPI(
    title="Kenes API",
    version="1",
    description="Read and act on Kenes: territories, organisations, the hearing loop. "
    "Authenticate with a session cookie or a personal token (`Authorization: Bearer …`).",
    urls_namespace="api",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: list[Any] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(request, 422, "invalid", "The request is not valid.", list(exc.errors))


@api.exception_handler(DjangoValidationError)
def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error_response(request, 422, "invalid", "The request is not valid.", [details])


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthenticated", "Authentication is required.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", "You may not do this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    import logging

    logging.getLogger("kenes.api").exception("unhandled API error", exc_info=exc)
    return error_response(request, 500, "server_error", "Something went wrong on our side.")


# Signing first: Django tries the API's URL patterns in order, and signing is the hot path (the
# request resolved after some thirty patterns before; bench/README.md, "Petitions").
api.add_router("/petitions", petitions_signing_router)
api.add_router("/territories", territories_router)
api.add_router("/organizations", organizations_router)
api.add_router("/accounts", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/obligations", obligations_router)
api.add_router("/notifications", notifications_router)
api.add_router("/moderation", moderation_router)
api.add_router("/budgeting", budgeting_router)
api.add_router("/petitions", petitions_router)
api.add_router("/appeals", appeals_router)
api.add_router("/grants", grants_router)
api.add_router("/registry", registry_router)
