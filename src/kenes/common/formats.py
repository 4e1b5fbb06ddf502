"""Small value formats shared by exports, open data and the API."""

from __future__ import annotations

from typing import Any


def iso_or_none(value: Any) -> str | None:
    """A date or datetime as ISO 8601 text, None as None (for JSON)."""
    return value.isoformat() if value is not None else None
