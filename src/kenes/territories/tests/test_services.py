import csv
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from kenes.audit.models import Event
from kenes.territories.models import Territory
from kenes.territories.services import (
    SAMPLE_DIR,
    TerritoryLoadError,
    default_source_dir,
    territories_load,
    territory_update,
)

SHARED = Path(settings.KENES_DATA_DIR) / "territories"
needs_shared = pytest.mark.skipif(
    not ((SHARED / "kz_kato.csv").is_file() and (SHARED / "kg_soate.csv").is_file()),
    reason=f"the full classifiers are not in {SHARED} (settings.KENES_DATA_DIR/territories)",
)


def _copy_sample(tmp_path: Path) -> Path:
    for name in ("kz_kato.csv", "kg_soate.csv"):
        shutil.copy(SAMPLE_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, code: str, **changes: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        if row["code"] == code:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _line_of(path: Path, code: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{code},"):
            return number
    raise AssertionError(code)


def test_it_loads_the_bundled_sample(sample):
    assert (sample.created, sample.updated, sample.unchanged) == (65, 0, 0)
    assert Territory.objects.filter(country="KZ").count() == 42
    assert Territory.objects.filter(country="KG").count() == 23
    assert Territory.objects.filter(level=1, country="KZ").count() == 20
    assert Territory.objects.filter(level=1, country="KG").count() == 9


def test_it_computes_paths_and_parents(sample):
    village = Territory.objects.select_related("parent__parent__parent").get(code="615230100")
    assert village.path == "/610000000/615200000/615230000/615230100/"
    assert village.level == 4
    assert village.parent.code == "615230000"
    assert village.parent.parent.parent.code == "610000000"
    assert village.parent.parent.parent.parent is None
    ail = Territory.objects.get(code="41708203803020")
    assert ail.path == "/41708000000000/41708203000000/41708203803000/41708203803020/"


def test_it_maps_the_names_and_urban_flags(sample):
    turkistan = Territory.objects.get(code="610000000")
    assert turkistan.name_ru == "Туркестанская область"
    assert turkistan.name_kk == "Түркістан облысы"
    assert turkistan.name_en == "Turkestan"
    assert turkistan.name_ky is None
    assert Territory.objects.rewrite(False).filter(code="610000000").values_list("name", flat=True).get() == (
        "Туркестанская область"
    )
    chui = Territory.objects.get(code="41708000000000")
    assert (chui.name_ky, chui.name_ru, chui.name_en, chui.name_kk) == (
        "Чүй облусу",
        "Чуйская область",
        None,
        None,
    )
    assert Territory.objects.get(code="611000000").urban is True
    assert Territory.objects.get(code="613600000").urban is False
    assert Territory.objects.get(code="611600000").urban is None


def test_it_changes_nothing_on_a_second_run(sample):
    again = territories_load(actor=None, source_dir=SAMPLE_DIR)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 65)
    assert Territory.objects.count() == 65


def test_it_updates_only_changed_rows_and_keeps_other_columns(sample, tmp_path):
    source = _copy_sample(tmp_path)
    Territory.objects.filter(code="615200000").update(population=812345)
    _edit(source / "kz_kato.csv", "615200000", name_en="Sairam district", urban="")
    result = territories_load(actor=None, source_dir=source)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 64)
    sairam = Territory.objects.get(code="615200000")
    assert (sairam.name_en, sairam.urban, sairam.population) == ("Sairam district", None, 812345)


def test_it_moves_a_row_to_a_new_parent(sample, tmp_path):
    source = _copy_sample(tmp_path)
    _edit(source / "kz_kato.csv", "615233000", parent_code="613600000")
    result = territories_load(actor=None, source_dir=source, countries=["KZ"])
    assert result.updated == 1
    moved = Territory.objects.get(code="615233000")
    assert moved.parent.code == "613600000"
    assert moved.path == "/610000000/613600000/615233000/"


def test_it_records_one_audit_event_with_the_counts(sample):
    events = Event.objects.filter(action="territories.territory.loaded")
    assert events.count() == 1
    data = events.get().data
    assert (data["created"], data["updated"], data["unchanged"]) == (65, 0, 0)
    assert data["countries"] == ["KZ", "KG"]


def test_it_loads_one_country_only(db):
    result = territories_load(actor=None, source_dir=SAMPLE_DIR, countries=("KG",))
    assert result.created == 23
    assert not Territory.objects.filter(country="KZ").exists()


@pytest.mark.parametrize(
    ("code", "change", "message"),
    [
        ("615230000", {"parent_code": "615299000"}, "parent 615299000 of code 615230000 is not in the file"),
        ("615233000", {"kind": "county"}, "unknown kind 'county'"),
        ("615233000", {"urban": "yes"}, "urban must be 1, 0 or empty"),
        ("615233000", {"level": "2"}, "has level 2 but its parent 615200000 has level 2"),
        ("615233000", {"name_ru": ""}, "name_ru is empty"),
    ],
)
def test_it_refuses_a_broken_file_and_writes_nothing(db, tmp_path, code, change, message):
    source = _copy_sample(tmp_path)
    _edit(source / "kz_kato.csv", code, **change)
    line = _line_of(source / "kz_kato.csv", code)
    with pytest.raises(TerritoryLoadError) as caught:
        territories_load(actor=None, source_dir=source)
    assert str(caught.value).startswith(f"kz_kato.csv, line {line}: ")
    assert message in str(caught.value)
    assert Territory.objects.count() == 0
    assert not Event.objects.filter(action="territories.territory.loaded").exists()


def test_it_refuses_a_duplicate_code(db, tmp_path):
    source = _copy_sample(tmp_path)
    with (source / "kg_soate.csv").open("a", encoding="utf-8") as handle:
        handle.write("41708203805000,41708203000000,3,rural_district,Копия,Копия,,0\n")
    lines = (source / "kg_soate.csv").read_text(encoding="utf-8").count("\n")
    with pytest.raises(
        TerritoryLoadError, match=rf"kg_soate.csv, line {lines}: duplicate code 41708203805000"
    ):
        territories_load(actor=None, source_dir=source)
    assert Territory.objects.count() == 0


def test_it_refuses_a_missing_file_and_an_unknown_country(db, tmp_path):
    with pytest.raises(TerritoryLoadError, match="kz_kato.csv: file not found"):
        territories_load(actor=None, source_dir=tmp_path, countries=("KZ",))
    with pytest.raises(TerritoryLoadError, match="unknown country: UZ"):
        territories_load(actor=None, source_dir=SAMPLE_DIR, countries=("UZ",))


def test_it_requires_the_permission_for_a_user(alice, staff):
    with pytest.raises(PermissionDenied):
        territories_load(actor=alice, source_dir=SAMPLE_DIR)
    assert territories_load(actor=staff, source_dir=SAMPLE_DIR).created == 65
    assert Event.objects.get(action="territories.territory.loaded").actor == staff


def test_it_falls_back_to_the_sample_without_shared_data(settings, tmp_path):
    settings.KENES_DATA_DIR = tmp_path
    assert default_source_dir() == (SAMPLE_DIR, True)
    (tmp_path / "territories").mkdir()
    _copy_sample(tmp_path / "territories")
    assert default_source_dir() == (tmp_path / "territories", False)


def test_it_loads_through_the_command(db, settings, tmp_path, capsys):
    settings.KENES_DATA_DIR = tmp_path
    call_command("territories", "load", "--country", "kg")
    out = capsys.readouterr().out
    assert "the bundled sample" in out
    assert "KG: 23 created, 0 updated, 0 unchanged" in out
    assert Territory.objects.count() == 23


def test_it_reports_a_broken_file_through_the_command(db, tmp_path):
    source = _copy_sample(tmp_path)
    _edit(source / "kg_soate.csv", "41708203805000", kind="oblast")
    with pytest.raises(CommandError, match="Nothing was loaded. kg_soate.csv, line"):
        call_command("territories", "load", "--source", str(source))


def test_it_edits_a_unit_and_moves_its_subtree(sample, staff):
    sairam = Territory.objects.get(code="615200000")
    new_parent = Territory.objects.get(code="620000000")
    territory_update(actor=staff, territory=sairam, data={"parent": new_parent, "name_en": "Sairam"})
    village = Territory.objects.get(code="615230100")
    assert village.path == "/620000000/615200000/615230000/615230100/"
    assert village.level == 4
    assert Territory.objects.get(code="615200000").name_en == "Sairam"
    assert Event.objects.filter(action="territories.territory.updated").count() == 1


def test_it_refuses_to_put_a_unit_under_itself_or_abroad(sample, staff, alice):
    sairam = Territory.objects.get(code="615200000")
    with pytest.raises(ValidationError):
        territory_update(
            actor=staff, territory=sairam, data={"parent": Territory.objects.get(code="615230000")}
        )
    with pytest.raises(ValidationError):
        territory_update(
            actor=staff, territory=sairam, data={"parent": Territory.objects.get(code="41708000000000")}
        )
    with pytest.raises(PermissionDenied):
        territory_update(actor=alice, territory=sairam, data={"name_en": "x"})
    assert Territory.objects.get(code="615230100").path.startswith("/610000000/615200000/")


@pytest.mark.needs_shared_data
@needs_shared
def test_it_loads_the_real_classifiers(db, django_assert_num_queries):
    started = time.monotonic()
    first = territories_load(actor=None, source_dir=SHARED)
    elapsed = time.monotonic() - started
    assert first.by_country["KZ"]["created"] == 15_594
    assert first.by_country["KG"]["created"] == 2_452
    assert Territory.objects.filter(country="KZ", level=1).count() == 20
    assert Territory.objects.filter(country="KG", level=1).count() == 9
    assert elapsed < 30, f"the full load took {elapsed:.1f} s"

    second = territories_load(actor=None, source_dir=SHARED)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 15_594 + 2_452)

    region = Territory.objects.get(country="KZ", level=1, name_ru__contains="Туркестан")
    with django_assert_num_queries(1):
        inside = set(Territory.objects.subtree(region).values_list("code", flat=True))

    children: dict[int | None, list[tuple[int, str]]] = {}
    for pk, parent_id, code in Territory.objects.filter(country="KZ").values_list("pk", "parent_id", "code"):
        children.setdefault(parent_id, []).append((pk, code))
    walked, stack = {region.code}, [region.pk]
    while stack:
        for pk, code in children.get(stack.pop(), []):
            walked.add(code)
            stack.append(pk)
    assert inside == walked
    assert len(inside) > 900
