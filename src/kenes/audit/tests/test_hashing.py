import datetime

import pytest

from kenes.audit.hashing import canonical_json, hash_time
from kenes.audit.models import Event
from kenes.audit.services import audit_seal_all, audit_verify, event_content_hash, record


def test_it_writes_the_same_value_as_the_same_text():
    assert canonical_json({"b": [1, 2.5], "a": "ü"}) == '{"a":"ü","b":[1,2.5]}'


def test_it_writes_whole_number_floats_as_ints():
    assert canonical_json({"x": 1.0, "y": [1e16, (2.0,)]}) == canonical_json({"x": 1, "y": [10**16, [2]]})


def test_it_writes_times_in_utc_with_microseconds():
    almaty = datetime.timezone(datetime.timedelta(hours=5))
    assert hash_time(datetime.datetime(2026, 1, 2, 8, 0, tzinfo=almaty)) == "2026-01-02T03:00:00.000000+00:00"


@pytest.mark.django_db
def test_it_keeps_an_event_hash_stable_through_the_database():
    """jsonb gives back 1e16 as an int and 1.0 as a float; SQLite keeps the text: both must verify."""
    data = {"big": 1e16, "huge": [2.5e20], "one": 1.0, "tiny": 1e-7, "tenth": 0.1, "text": "қазақ\u2028"}
    event = record(event="tests.numbers.recorded", data=data, before={"n": None}, after={"n": -0.5})
    stored = Event.objects.select_related("subject_type").get(pk=event.pk)
    assert event_content_hash(stored) == event.hash
    assert len(audit_seal_all()) == 1
    assert audit_verify().ok
