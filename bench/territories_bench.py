"""Subtree queries ("everything in Turkistan region") by materialized path, against the
reference: walking parent links level by level, one query per level."""

import time
from collections.abc import Iterator

from django.conf import settings


def _walk(root_id: int) -> set[int]:
    from kenes.territories.models import Territory

    found = {root_id}
    frontier = [root_id]
    while frontier:
        frontier = list(Territory.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found.update(frontier)
    return found


def _best_of(repeats: int, fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def run() -> Iterator[tuple[str, str]]:
    from kenes.territories import services
    from kenes.territories.models import Territory

    source = settings.KENES_DATA_DIR / "territories"
    if not (source / "kz_kato.csv").exists():
        yield "territories.skipped", f"real classifiers not found at {source}"
        return
    started = time.perf_counter()
    services.territories_load(actor=None, source_dir=source)
    yield "territories.load_seconds", f"{time.perf_counter() - started:.1f}"
    yield "territories.rows", str(Territory.objects.count())
    region = Territory.objects.get(country="KZ", level=1, name_ru__contains="Туркестан")
    path_s, by_path = _best_of(5, lambda: set(Territory.objects.subtree(region).values_list("id", flat=True)))
    walk_s, by_walk = _best_of(5, lambda: _walk(region.pk))
    assert by_path == by_walk, "materialized path and parent walk disagree"
    yield "territories.subtree_rows", str(len(by_path))  # type: ignore[arg-type]
    yield "territories.subtree_by_path_ms", f"{path_s * 1000:.1f}"
    yield "territories.subtree_by_walk_ms", f"{walk_s * 1000:.1f}"
    yield "territories.subtree_speedup", f"{walk_s / path_s:.1f}"
