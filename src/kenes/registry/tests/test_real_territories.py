"""The statistics on the real classifiers (KATO for Kazakhstan, SOATE for Kyrgyzstan): NGOs imported
in units at every depth are counted in each region exactly as often as the region's subtree holds
them, and the regions add up to the whole registry."""

import csv
import io
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from kenes.registry import selectors, services
from kenes.registry.models import ImportJob, NGOProfile
from kenes.territories.models import Territory
from kenes.territories.services import territories_load

from .factories import valid_bin

SHARED = Path(settings.KENES_DATA_DIR) / "territories"
pytestmark = [
    pytest.mark.needs_shared_data,
    pytest.mark.skipif(
        not ((SHARED / "kz_kato.csv").is_file() and (SHARED / "kg_soate.csv").is_file()),
        reason=f"the full classifiers are not in {SHARED} (settings.KENES_DATA_DIR/territories)",
    ),
]
ROWS = 3000


def _kg_inn(n: int) -> str:
    return f"{20_000_000_000_000 + n:014d}"


def test_region_counts_on_the_real_classifiers(staff, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    territories_load(actor=None, source_dir=SHARED)
    units = list(Territory.objects.values_list("code", "country", "path"))
    chosen = random.Random(5).choices(units, k=ROWS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["bin", "name", "legal_form", "territory_code"])
    for n, (code, country, _path) in enumerate(chosen):
        number = valid_bin(50_000 + n) if country == "KZ" else _kg_inn(n)
        writer.writerow([number, f"NGO {n}", "public_association", code])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=staff,
            kind="ngos",
            upload=SimpleUploadedFile("real.csv", out.getvalue().encode()),
            dry_run=False,
        )
    job.refresh_from_db()
    assert (job.state, job.good_rows, job.bad_rows) == (ImportJob.State.DONE, ROWS, 0)

    by_region = {bar.key: bar.count for bar in selectors.count_by_territory()}
    assert sum(by_region.values()) == NGOProfile.objects.count() == ROWS
    for region in Territory.objects.roots():
        expected = sum(1 for _code, _country, path in chosen if path.startswith(region.path))
        assert by_region[region.code] == expected, region.code
    region = max(Territory.objects.roots(), key=lambda r: by_region[r.code])
    below = selectors.count_by_territory(region)
    in_region_itself = sum(1 for _c, _k, path in chosen if path == region.path)
    assert sum(bar.count for bar in below) + in_region_itself == by_region[region.code]
