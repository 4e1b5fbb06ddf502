import pytest

from kenes.territories.services import SAMPLE_DIR, LoadResult, territories_load


@pytest.fixture
def sample(db) -> LoadResult:
    """The bundled sample (65 units: both countries' top level, Turkistan and Chui regions in part)."""
    return territories_load(actor=None, source_dir=SAMPLE_DIR, actor_label="test")
