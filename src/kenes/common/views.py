from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET


def message_refusal(request: HttpRequest, exc: ValidationError) -> None:
    """Each message of a service's refusal, as an error shown on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def run_button(
    request: HttpRequest, service: Callable[[], object], success: str, target: str, *args: Any, **kwargs: Any
) -> HttpResponse:
    """A button's POST (no form fields to keep): run its one service, then go to ``target`` (a URL name and
    its arguments) with ``success``, or with the service's refusal."""
    try:
        service()
    except ValidationError as exc:
        message_refusal(request, exc)
    else:
        messages.success(request, success)
    return redirect(target, *args, **kwargs)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "common/home.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
