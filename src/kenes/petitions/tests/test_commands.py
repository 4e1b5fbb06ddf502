"""``kenes petitions verify-count ID``, ``count`` and ``reconcile``."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kenes.petitions.management.commands.petitions import Command
from kenes.petitions.models import Petition

from .factories import SignatureFactory, audited_signature


def run(*args):
    out = io.StringIO()
    call_command("petitions", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_verify_count_through_the_signing_service(open_petition, make_signer):
    from kenes.petitions.signing import signature_create, signature_withdraw

    people = [make_signer() for _ in range(3)]
    for person in people:
        signature_create(actor=person, petition=open_petition)
    signature_withdraw(actor=people[0], petition=open_petition)

    out = run("verify-count", str(open_petition.pk))

    assert "signature rows that count: 2" in out
    assert "audit log (confirmed − withdrawn): 2" in out
    assert "published count: 2" in out and "OK" in out


def test_verify_count_exits_with_status_1_on_a_mismatch(open_petition, make_signer):
    for _ in range(2):
        audited_signature(open_petition, make_signer())
    run("count", "--now")
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=9)

    with pytest.raises(CommandError, match="MISMATCH"):
        run("verify-count", str(open_petition.pk), "--no-count")
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["kenes", "petitions", "verify-count", str(open_petition.pk), "--no-count"])
    assert exit_.value.code == 1


def test_verify_count_spots_a_signature_missing_from_the_audit_log(open_petition, make_signer):
    audited_signature(open_petition, make_signer())
    SignatureFactory(petition=open_petition, user=make_signer())  # no audit event
    with pytest.raises(CommandError):
        run("verify-count", str(open_petition.pk))


def test_verify_count_of_an_unknown_petition(db):
    with pytest.raises(CommandError, match="No petition"):
        run("verify-count", "999999")


def test_count_and_reconcile(open_petition, make_signer):
    audited_signature(open_petition, make_signer())
    assert "Folded 1 confirmations" in run("count", "--now")
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=4)
    assert "Corrected the counts of 1 petitions" in run("reconcile")
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1
