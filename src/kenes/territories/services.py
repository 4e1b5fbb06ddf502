"""Writes to territories: loading the official classifiers (KATO, SOATE) and editing one unit.

The loader reads the CSV files described in ``shared/data/territories/SOURCES.md`` (or the small
bundled sample in ``data/sample/``), validates every row before writing anything, and upserts by
(country, code) with bulk operations in one transaction.
"""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import translation
from django.utils.translation import gettext as _

from kenes.audit import services as audit
from kenes.common.permissions import require_perm

from .models import Country, Territory

SAMPLE_DIR = Path(__file__).resolve().parent / "data" / "sample"
BATCH_SIZE = 500
LANGS = ("kk", "ru", "ky", "en")
# For each country: the file name and the language of its local-name column.
SOURCES: dict[str, tuple[str, str]] = {"KZ": ("kz_kato.csv", "kk"), "KG": ("kg_soate.csv", "ky")}
_URBAN = {"1": True, "0": False, "": None}
_KINDS = frozenset(Territory.Kind.values)


def _max_length(field_name: str) -> int:
    return int(getattr(Territory._meta.get_field(field_name), "max_length", None) or 255)


_CODE_MAX = _max_length("code")
_NAME_MAX = _max_length("name_ru")
_PATH_MAX = _max_length("path")


class TerritoryLoadError(ValueError):
    """A source file cannot be loaded; the message names the file and line. Nothing was written."""


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int
    absent: int  # rows already in the database for these countries but not in the files (left as they are)
    source_dir: str
    countries: tuple[str, ...]
    by_country: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class _Row:
    line: int
    code: str
    parent_code: str
    level: int
    kind: str
    names: dict[str, str | None]
    urban: bool | None
    path: str = ""

    @property
    def base_name(self) -> str:
        """What the base ``name`` column holds: Russian, else the first name found (ru→kk→ky→en)."""
        for lang in ("ru", "kk", "ky", "en"):
            if self.names.get(lang):
                return self.names[lang] or ""
        return ""


def default_source_dir() -> tuple[Path, bool]:
    """The full classifiers in ``KENES_DATA_DIR/territories`` if both files are there, else the sample.

    Returns ``(directory, is_sample)``.
    """
    full = Path(settings.KENES_DATA_DIR) / "territories"
    if all((full / filename).is_file() for filename, _lang in SOURCES.values()):
        return full, False
    return SAMPLE_DIR, True


# --- reading and validating -------------------------------------------------------------------


def _fail(filename: str, line: int, message: str) -> TerritoryLoadError:
    return TerritoryLoadError(f"{filename}, line {line}: {message}")


def _parse_level(filename: str, line: int, value: str) -> int:
    try:
        level = int(value)
    except ValueError:
        raise _fail(filename, line, f"level {value!r} is not a whole number") from None
    if level < 1:
        raise _fail(filename, line, f"level {level} is below 1")
    return level


def _parse_row(filename: str, line: int, raw: dict[str, str | None], local: str) -> _Row:
    values = {key: (value or "").strip() for key, value in raw.items() if key is not None}
    code = values.get("code", "")
    if not code or len(code) > _CODE_MAX:
        raise _fail(filename, line, f"code {code!r} is empty or longer than {_CODE_MAX} characters")
    kind = values.get("kind", "")
    if kind not in _KINDS:
        raise _fail(filename, line, f"unknown kind {kind!r} (expected one of: {', '.join(sorted(_KINDS))})")
    urban = values.get("urban", "")
    if urban not in _URBAN:
        raise _fail(filename, line, f"urban must be 1, 0 or empty, not {urban!r}")
    names = {lang: values.get(f"name_{lang}") or None for lang in (local, "ru", "en")}
    if not names["ru"]:
        raise _fail(filename, line, "name_ru is empty")
    if any(len(name) > _NAME_MAX for name in names.values() if name):
        raise _fail(filename, line, f"a name is longer than {_NAME_MAX} characters")
    return _Row(
        line=line,
        code=code,
        parent_code=values.get("parent_code", ""),
        level=_parse_level(filename, line, values.get("level", "")),
        kind=kind,
        names=names,
        urban=_URBAN[urban],
    )


def _read_rows(path: Path, local: str) -> list[_Row]:
    filename = path.name
    required = {"code", "parent_code", "level", "kind", f"name_{local}", "name_ru", "name_en", "urban"}
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise _fail(filename, 1, f"missing column(s): {', '.join(sorted(missing))}")
        for raw in reader:
            row = _parse_row(filename, reader.line_num, raw, local)
            if row.code in seen:
                raise _fail(filename, row.line, f"duplicate code {row.code} (first on line {seen[row.code]})")
            seen[row.code] = row.line
            rows.append(row)
    _compute_paths(rows, filename)
    return rows


def _compute_paths(rows: list[_Row], filename: str) -> None:
    """Fill ``row.path`` from the parent chain, parents first; check parents and levels."""
    by_code = {row.code: row for row in rows}
    for row in sorted(rows, key=lambda r: r.level):
        row.path = f"{_parent_path(row, by_code, filename)}{row.code}/"
        if len(row.path) > _PATH_MAX:
            raise _fail(filename, row.line, f"the path of {row.code} is longer than {_PATH_MAX} characters")


def _parent_path(row: _Row, by_code: dict[str, _Row], filename: str) -> str:
    if not row.parent_code:
        if row.level != 1:
            raise _fail(filename, row.line, f"code {row.code} has no parent but level {row.level}")
        return "/"
    parent = by_code.get(row.parent_code)
    if parent is None:
        raise _fail(filename, row.line, f"parent {row.parent_code} of code {row.code} is not in the file")
    if parent.level != row.level - 1:
        problem = f"has level {row.level} but its parent {parent.code} has level {parent.level}"
        raise _fail(filename, row.line, f"code {row.code} {problem}")
    return parent.path


# --- writing -----------------------------------------------------------------------------------


def _values(row: _Row, parent_id: int | None, langs: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "parent_id": parent_id,
        "level": row.level,
        "kind": row.kind,
        "name": row.base_name,
        "urban": row.urban,
        "path": row.path,
    }
    values.update({f"name_{lang}": row.names.get(lang) for lang in langs})
    return values


def _upsert_country(country: str, rows: list[_Row], langs: tuple[str, ...]) -> dict[str, int]:
    """Create new rows level by level (parents get their pk first), then bulk-update changed ones."""
    compared = ("parent_id", "level", "kind", "name", "urban", "path", *(f"name_{lang}" for lang in langs))
    existing = {
        item["code"]: item
        for item in Territory.objects.rewrite(False)
        .filter(country=country)
        .order_by()
        .values("pk", "code", *compared)
    }
    pk_by_code = {code: item["pk"] for code, item in existing.items()}
    to_update: list[Territory] = []
    created = unchanged = 0
    rows = sorted(rows, key=lambda r: (r.level, r.code))
    for level in sorted({row.level for row in rows}):
        new: list[Territory] = []
        for row in (r for r in rows if r.level == level):
            values = _values(row, pk_by_code.get(row.parent_code) if row.parent_code else None, langs)
            current = existing.get(row.code)
            if current is None:
                new.append(Territory(country=country, code=row.code, **values))
            elif any(current[key] != value for key, value in values.items()):
                to_update.append(Territory(pk=current["pk"], country=country, code=row.code, **values))
            else:
                unchanged += 1
        created += len(new)
        _create(country, new, pk_by_code)
    Territory.objects.bulk_update(to_update, fields=list(compared), batch_size=BATCH_SIZE)
    return {
        "created": created,
        "updated": len(to_update),
        "unchanged": unchanged,
        "absent": len(set(existing) - {row.code for row in rows}),
    }


def _create(country: str, new: list[Territory], pk_by_code: dict[str, int]) -> None:
    if not new:
        return
    Territory.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if any(obj.pk is None for obj in new):  # a backend that returns no ids from bulk inserts
        codes = [obj.code for obj in new]
        pk_by_code.update(
            Territory.objects.filter(country=country, code__in=codes).order_by().values_list("code", "pk")
        )
    else:
        pk_by_code.update((obj.code, obj.pk) for obj in new)


def territories_load(
    *,
    actor: Any,
    source_dir: Path,
    countries: Sequence[str] = ("KZ", "KG"),
    actor_label: str = "",
) -> LoadResult:
    """Load the classifiers from ``source_dir`` (``kz_kato.csv``, ``kg_soate.csv``).

    ``actor`` is None for the command line (say who in ``actor_label``, e.g. "cli"); a user must
    hold ``territories.load_territories``. Idempotent: a second run creates and updates nothing.
    Raises :class:`TerritoryLoadError` (naming the file and line) before anything is written.
    """
    if actor is not None:
        require_perm(actor, "territories.load_territories")
    countries = tuple(dict.fromkeys(c.upper() for c in countries))
    unknown = [c for c in countries if c not in Country.values]
    if unknown:
        raise TerritoryLoadError(f"unknown country: {', '.join(unknown)} (expected KZ or KG)")
    parsed: dict[str, tuple[list[_Row], tuple[str, ...]]] = {}
    for country in countries:
        filename, local = SOURCES[country]
        path = Path(source_dir) / filename
        if not path.is_file():
            raise TerritoryLoadError(f"{path}: file not found")
        parsed[country] = (_read_rows(path, local), (local, "ru", "en"))

    by_country: dict[str, dict[str, int]] = {}
    # The base `name` column is written through modeltranslation's descriptor: Russian first.
    with translation.override("ru"), transaction.atomic():
        for country, (rows, langs) in parsed.items():
            by_country[country] = _upsert_country(country, rows, langs)
        totals = {
            key: sum(counts[key] for counts in by_country.values())
            for key in ("created", "updated", "unchanged", "absent")
        }
        audit.record(
            event="territories.territory.loaded",
            actor=actor,
            actor_label=actor_label,
            data={
                "source": str(source_dir),
                "countries": list(countries),
                **totals,
                "by_country": by_country,
            },
        )
    return LoadResult(**totals, source_dir=str(source_dir), countries=countries, by_country=by_country)


# --- editing one unit (admin) --------------------------------------------------------------------

EDITABLE_FIELDS = ("parent", "kind", "urban", "population", *(f"name_{lang}" for lang in LANGS))


def territory_update(*, actor: Any, territory: Territory, data: dict[str, Any]) -> Territory:
    """Change one unit's names, kind, urban flag, population or parent.

    A new parent moves the whole subtree: every path and level below is rewritten in one UPDATE.
    """
    require_perm(actor, "territories.change_territory", territory)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with translation.override("ru"), transaction.atomic():
        fresh = Territory.objects.select_for_update().get(pk=territory.pk)
        before = {key: _plain(getattr(fresh, key)) for key in data}
        old_path, old_level = fresh.path, fresh.level
        for key, value in data.items():
            setattr(fresh, key, value)
        validate_parent(fresh, fresh.parent)
        fresh.level = fresh.parent.level + 1 if fresh.parent else 1
        fresh.path = f"{fresh.parent.path if fresh.parent else '/'}{fresh.code}/"
        fresh.full_clean(exclude=["path"])
        changed = [*data, "name", "level", "path"]
        fresh.save(update_fields=[key for key in dict.fromkeys(changed)])
        if fresh.path != old_path:
            Territory.objects.filter(path__startswith=old_path).exclude(pk=fresh.pk).update(
                path=Concat(Value(fresh.path), Substr("path", len(old_path) + 1)),
                level=F("level") + (fresh.level - old_level),
            )
        audit.record(
            event="territories.territory.updated",
            actor=actor,
            obj=fresh,
            before=before,
            after={key: _plain(getattr(fresh, key)) for key in data},
        )
    return fresh


def _plain(value: Any) -> Any:
    return value.code if isinstance(value, Territory) else value


def validate_parent(territory: Territory, parent: Territory | None) -> None:
    """Raise ValidationError unless ``parent`` may hold ``territory`` (same country, not inside it)."""
    if parent is None:
        return
    if parent.country != territory.country:
        raise ValidationError({"parent": _("The parent must be in the same country.")})
    if parent.path.startswith(territory.path):
        raise ValidationError(
            {"parent": _("A unit cannot be placed under itself or under one of its own units.")}
        )
