import time

import pytest

from kenes.budgeting.models import Ballot, Process, Proposal, Result
from kenes.demo.budgeting import TITLE_EN, demo_budgeting_ensure
from kenes.demo.services import demo_admin_ensure, demo_organizations_ensure
from kenes.obligations.models import Commitment
from kenes.territories.services import default_source_dir, territories_load


@pytest.fixture
def admin(db):
    admin, _password = demo_admin_ensure()
    territories_load(actor=None, source_dir=default_source_dir()[0])
    demo_organizations_ensure(actor=admin)
    return admin


def test_it_loads_a_finished_sample_process_once(admin):
    started = time.perf_counter()
    assert demo_budgeting_ensure(admin=admin) is True
    assert time.perf_counter() - started < 10
    process = Process.objects.get(title_en=TITLE_EN)
    assert process.is_sample and process.territory.code == "615200000"
    assert process.results_published_at is not None and process.counted_at is not None
    result = Result.objects.get(process=process)
    assert result.ballots_counted == Ballot.objects.filter(process=process).count() == 60
    assert 0 < result.total_cost <= process.budget
    funded = Proposal.objects.filter(process=process, status=Proposal.Status.FUNDED).count()
    assert funded and Commitment.objects.count() == funded
    assert Proposal.objects.filter(process=process, status=Proposal.Status.REJECTED).count() == 2
    counts = (
        Process.objects.count(),
        Proposal.objects.count(),
        Ballot.objects.count(),
        Commitment.objects.count(),
    )
    assert demo_budgeting_ensure(admin=admin) is False
    assert counts == (
        Process.objects.count(),
        Proposal.objects.count(),
        Ballot.objects.count(),
        Commitment.objects.count(),
    )


def test_it_skips_without_the_sample_body(db):
    admin, _password = demo_admin_ensure()
    assert demo_budgeting_ensure(admin=admin) is False
    assert not Process.objects.exists()
