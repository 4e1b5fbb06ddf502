import importlib

import pytest
from django.apps import apps

from kenes.organizations.models import Sector

sectors_migration = importlib.import_module("kenes.organizations.migrations.0002_sectors")


@pytest.mark.django_db
def test_it_ships_nine_sectors_in_four_languages():
    sectors = list(Sector.objects.all())
    assert len(sectors) == 9
    education = Sector.objects.get(code="education_science_sport_culture")
    assert education.name_ru == "Образование, наука, спорт и культура"
    assert education.name_kk == "Білім беру, ғылым, спорт және мәдениет"
    assert all(s.name_en and s.name_ru and s.name_kk and s.name_ky for s in sectors)
    assert [s.position for s in sectors] == list(range(1, 10))
    raw = Sector.objects.rewrite(False).filter(code="other").values_list("name", flat=True)
    assert list(raw) == ["Другое"]  # the untranslated column holds Russian


@pytest.mark.django_db
def test_it_reverses_and_reapplies_the_sectors_idempotently():
    sectors_migration.delete_sectors(apps, None)
    assert Sector.objects.count() == 0
    sectors_migration.create_sectors(apps, None)
    sectors_migration.create_sectors(apps, None)
    assert Sector.objects.count() == 9
