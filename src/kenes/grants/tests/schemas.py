"""Validation of open-data exports against the official schemas stored in ``data/`` (no network).

The package schemas refer to the item schemas by URL; a ``referencing.Registry`` maps those URLs to
the local files (the 360Giving package schema 1.4.3 still names the 1.4.2 item schema's URL, which
is resolved to the same 1.4.3 file). Each schema is checked with the draft it declares: draft 4 for
OCDS, and 2020-12 for 360Giving, whose ``$schema`` spells the draft's URI with ``http://`` instead of
``https://json-schema.org/draft/2020-12/schema``, so the draft is named explicitly rather than
looked up from ``$schema``.

Formats are asserted, as the standards' own validators do. jsonschema checks "date-time" and "uri"
only with optional packages Kenes does not install, so the two checks are written here: RFC 3339
date-times (an offset or Z is required) and absolute URIs. Without them 360Giving's
``oneOf: [date-time, YYYY-MM-DD]`` would accept neither form of date.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

DATA = Path(__file__).parent / "data"
GIVING_ITEM_URLS = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
)
OCDS_RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return True


@FORMATS.checks("uri")
def is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path)) and not re.search(r"\s", value)


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    giving = DRAFT202012.create_resource(load("360giving/360-giving-schema.json"))
    release = DRAFT4.create_resource(load("ocds/release-schema.json"))
    resources = [(url, giving) for url in GIVING_ITEM_URLS] + [(OCDS_RELEASE_URL, release)]
    return Registry().with_resources(resources)


def errors(
    package: dict[str, Any], schema_name: str, draft: type[Draft4Validator | Draft202012Validator]
) -> list[str]:
    """Every schema violation of ``package``, as "path: message" lines (empty when valid)."""
    validator = draft(load(schema_name), registry=_registry(), format_checker=FORMATS)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:300]}"
        for error in sorted(validator.iter_errors(package), key=lambda e: list(map(str, e.absolute_path)))
    ]


def giving_errors(package: dict[str, Any]) -> list[str]:
    return errors(package, "360giving/360-giving-package-schema.json", Draft202012Validator)


def ocds_errors(package: dict[str, Any]) -> list[str]:
    return errors(package, "ocds/release-package-schema.json", Draft4Validator)
