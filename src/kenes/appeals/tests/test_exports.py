"""Personal data: the export lists a person's appeals and co-signatures; deletion removes their
co-signatures of appeals still awaiting an answer and keeps the appeals (official records)."""

import pytest

from kenes.accounts.exports import erasers, exporters
from kenes.appeals import services
from kenes.appeals.models import Appeal, Cosigner
from kenes.appeals.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_export_and_erasure(alice, charlie, village, roads, body):
    own = submit(alice, territory=village, topic=roads, addressee=body)
    collective = submit(charlie, territory=village, topic=roads, addressee=body, is_collective=True)
    token = services.appeal_cosign_link(actor=charlie, appeal=collective)
    collective.refresh_from_db()
    services.appeal_cosign(actor=alice, appeal=collective, token=token)

    data = exporters()["appeals"](alice)
    assert [a["number"] for a in data["appeals"]] == [own.number]
    assert data["appeals"][0]["text"] == own.text
    assert [c["number"] for c in data["cosigned"]] == [collective.number]

    from kenes.appeals.exports import erase_appeals

    assert erase_appeals in erasers()
    erase_appeals(alice)
    assert not Cosigner.objects.filter(user=alice).exists()
    assert Appeal.objects.filter(pk=own.pk).exists()
