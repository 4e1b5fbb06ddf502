"""Registries through which other apps take part in a person's data export and account
deletion, without accounts importing them (house style §7). Fill them in your AppConfig.ready()::

    from kenes.accounts.exports import register_eraser, register_exporter

    register_exporter("petitions", lambda user: {"signatures": [...]})
    register_eraser(erase_petition_personal_data)   # fn(user) -> None

An exporter returns JSON-ready data (str, numbers, lists, dicts; dates as ISO strings) about
``user``; it appears under ``apps[<key>]`` in the export. An eraser removes or anonymises what
the app holds about ``user``; it runs inside the deletion's transaction, so it must not send
mail or call out, and it must keep public contributions (they stay attributed to "deleted user").
"""

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]

_exporters: dict[str, Exporter] = {}
_erasers: list[Eraser] = []


def register_exporter(key: str, fn: Exporter) -> None:
    if key in _exporters and _exporters[key] is not fn:
        raise ValueError(f"an exporter is already registered under {key!r}")
    _exporters[key] = fn


def register_eraser(fn: Eraser) -> None:
    if fn not in _erasers:
        _erasers.append(fn)


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def erasers() -> list[Eraser]:
    return list(_erasers)


def unregister_exporter(key: str) -> None:
    """For tests."""
    _exporters.pop(key, None)


def unregister_eraser(fn: Eraser) -> None:
    """For tests."""
    if fn in _erasers:
        _erasers.remove(fn)
