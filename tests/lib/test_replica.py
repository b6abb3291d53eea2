"""The read-replica router, with two database aliases (the test replica is a
mirror of the test database: a second connection, as a real replica is)."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from parcours.lib.replica import replica_reads
from parcours.org.models import Mission

TWO_ALIASES = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _queries(alias: str):
    return CaptureQueriesContext(connections[alias])


@TWO_ALIASES
def test_reads_in_replica_reads_go_to_the_replica_and_writes_stay_on_the_primary(settings):
    settings.PARCOURS_REPLICA = True
    Mission.objects.create(name="France")
    with _queries("replica") as on_replica, _queries("default") as on_primary, replica_reads():
        mission = Mission.objects.get(name="France")
        mission.name = "France (Nord)"
        mission.save()
    assert any("SELECT" in q["sql"] for q in on_replica.captured_queries)
    assert not any("UPDATE" in q["sql"] for q in on_replica.captured_queries)
    assert any("UPDATE" in q["sql"] for q in on_primary.captured_queries)
    assert Mission.objects.get().name == "France (Nord)"


@TWO_ALIASES
def test_without_a_replica_or_outside_the_block_reads_stay_on_the_primary(settings):
    Mission.objects.create(name="France")
    settings.PARCOURS_REPLICA = False
    with _queries("replica") as on_replica, replica_reads():
        assert Mission.objects.count() == 1
    settings.PARCOURS_REPLICA = True
    with _queries("replica") as outside:
        assert Mission.objects.count() == 1
    assert on_replica.captured_queries == []
    assert outside.captured_queries == []
