"""Public pages of the audit log: no login, nothing personal."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kenes.common.pagination import PageRequest, paginate

from .selectors import audit_counts, block_events_public, block_get_public, block_list_public


@require_GET
def blocks(request: HttpRequest) -> HttpResponse:
    page = paginate(block_list_public(), PageRequest.from_params(request.GET))
    return render(request, "audit/blocks.html", {"counts": audit_counts(), "page": page})


@require_GET
def block(request: HttpRequest, number: int) -> HttpResponse:
    the_block = block_get_public(number=number)
    page = paginate(block_events_public(block=the_block), PageRequest.from_params(request.GET))
    return render(request, "audit/block.html", {"audit_block": the_block, "page": page})
