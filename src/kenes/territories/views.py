"""Public pages: the list of territories with filters, and one territory with its units."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kenes.common.pagination import PageRequest, paginate

from .forms import TerritoryFilterForm
from .models import Territory
from .selectors import territory_ancestors, territory_children, territory_get, territory_list

NAME_LANGUAGES = ("kk", "ru", "ky", "en")


@require_safe
def territory_list_view(request: HttpRequest) -> HttpResponse:
    form = TerritoryFilterForm(request.GET)
    form.is_valid()
    page = paginate(territory_list(**form.filters()), PageRequest.from_params(request.GET))
    return render(
        request,
        "territories/territory_list.html",
        {"form": form, "page": page, "is_default": form.is_default()},
    )


@require_safe
def territory_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    try:
        territory = territory_get(code)
    except Territory.DoesNotExist:
        raise Http404("No such territory.") from None
    children = paginate(territory_children(territory), PageRequest.from_params(request.GET))
    labels = dict(settings.LANGUAGES)
    names = [
        {"code": lang, "label": labels.get(lang, lang), "value": getattr(territory, f"name_{lang}")}
        for lang in NAME_LANGUAGES
    ]
    return render(
        request,
        "territories/territory_detail.html",
        {
            "territory": territory,
            "ancestors": territory_ancestors(territory),
            "children": children,
            "names": names,
        },
    )
