"""Request guards that apply to every page and API call."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNullBytesMiddleware:
    """Refuse a NUL byte anywhere in the path or the query string with a clear 400.

    PostgreSQL cannot store or compare text containing NUL, so such a value would otherwise
    reach the database and fail there as a server error (RELIABILITY B3). Form fields already
    refuse NUL (Django's ProhibitNullCharactersValidator); this covers paths and filters.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in [vs[0], *vs[1]]):
            message = _("The address contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                error = {"code": "invalid", "message": message, "details": []}
                return JsonResponse({"error": error}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
