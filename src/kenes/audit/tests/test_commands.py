import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from kenes.audit.management.commands.audit import Command
from kenes.audit.models import Block, Event

from .factories import record_events, tamper

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_seals_pending_events_and_says_how_many(settings):
    settings.KENES_AUDIT_SEAL_BATCH = 2
    record_events(3)
    out, _ = run("seal")
    assert "Sealed 3 events into 2 blocks" in out
    assert Block.objects.count() == 2
    assert "Nothing to seal" in run("seal")[0]


def test_it_reports_a_clean_log():
    record_events(2)
    run("seal")
    record_events(1)
    out, err = run("verify")
    assert "Audit log OK: 1 blocks, 3 events checked (1 pending)." in out
    assert err == ""


def test_it_fails_and_names_the_first_problem_when_broken():
    events = record_events(2)
    run("seal")
    tamper(f'UPDATE "{Event._meta.db_table}" SET action = %s WHERE id = %s', ["tests.forged", events[0].pk])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=f"Block 1: event {events[0].pk} does not match"):
        call_command("audit", "verify", stdout=out, stderr=err)
    assert "Audit log BROKEN" in out.getvalue()
    assert f"event {events[0].pk}" in err.getvalue()


def test_it_exits_with_status_1_when_broken_and_0_when_clean(capsys, monkeypatch):
    # run_from_argv closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    events = record_events(1)
    run("seal")
    Command().run_from_argv(["kenes", "audit", "verify"])  # no SystemExit: status 0
    tamper(f'UPDATE "{Event._meta.db_table}" SET action = %s WHERE id = %s', ["tests.forged", events[0].pk])
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["kenes", "audit", "verify"])
    assert exited.value.code == 1
    assert "first problem" in capsys.readouterr().err


def test_it_requires_a_subcommand():
    with pytest.raises(CommandError):
        call_command("audit")
