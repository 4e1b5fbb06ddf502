"""Reads of territories for pages, the API and other apps' forms. Every list is one query."""

from django.db import connection
from django.db.models import Q

from .models import Territory, TerritoryQuerySet

NAME_FIELDS = ("name_kk", "name_ru", "name_ky", "name_en")


def territory_list(
    *,
    country: str | None = None,
    kind: str | None = None,
    level: int | None = None,
    parent_code: str | None = None,
    within_code: str | None = None,
    q: str | None = None,
) -> TerritoryQuerySet:
    """Territories matching every filter given, in tree order (country, then path).

    ``within_code`` keeps the unit with that code and everything below it (a path-prefix query;
    the unit's path is looked up first). ``q`` matches the start of the code or any part of any of
    the four names, ignoring case.
    """
    qs = Territory.objects.select_related("parent").order_by("country", "path")
    if country:
        qs = qs.filter(country=country)
    if kind:
        qs = qs.filter(kind=kind)
    if level is not None:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if within_code:
        within = Territory.objects.filter(code=within_code).values_list("path", flat=True).first()
        if within is None:
            return qs.none()
        qs = qs.filter(path__startswith=within)
    if q and q.strip():
        qs = qs.filter(_search(q.strip()))
    return qs


def _search(q: str) -> Q:
    # SQLite's LIKE folds the case of ASCII letters only; so that "аксу" finds "Аксу" there too,
    # also look for the usual capitalisations. PostgreSQL's icontains folds every alphabet.
    variants = {q, q.lower(), q.upper(), q.capitalize(), q.title()} if connection.vendor == "sqlite" else {q}
    condition = Q(code__startswith=q)
    for name in NAME_FIELDS:
        for variant in sorted(variants):
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def territory_get(code: str, *, country: str | None = None) -> Territory:
    """The unit with this official code (with its parent). Raises ``Territory.DoesNotExist``."""
    if not code.isascii() or not code.isdigit():  # official codes are digits only
        raise Territory.DoesNotExist(code)
    qs = Territory.objects.select_related("parent").filter(code=code)
    if country:
        qs = qs.filter(country=country)
    territory = qs.order_by("country").first()
    if territory is None:
        raise Territory.DoesNotExist(code)
    return territory


def territory_ancestors(territory: Territory) -> list[Territory]:
    """The units above ``territory``, root first: one query on the codes in its path."""
    codes = territory.ancestor_codes
    if not codes:
        return []
    return list(Territory.objects.filter(country=territory.country, code__in=codes).order_by("level"))


def territory_children(territory: Territory) -> TerritoryQuerySet:
    """The units directly below ``territory``, by code."""
    return Territory.objects.filter(parent=territory).order_by("code")


def territory_subtree(territory: Territory, *, include_self: bool = True) -> TerritoryQuerySet:
    """Everything inside ``territory`` in one indexed path-prefix query."""
    return Territory.objects.subtree(territory, include_self=include_self).order_by("path")


def territory_choices(max_level: int | None = 2) -> TerritoryQuerySet:
    """Units for select boxes: regions followed by their districts (down to ``max_level``)."""
    qs = Territory.objects.order_by("country", "path")
    if max_level is not None:
        qs = qs.filter(level__lte=max_level)
    return qs
