"""Each chain has its own head: a page view's access-log row does not wait
for a write that recorded an audit event and has not committed yet (under
load, every page view queued behind every write). PostgreSQL only: SQLite
has one writer at a time whatever the rows."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from parcours.audit import integrity
from parcours.audit.events import Event, Read
from parcours.audit.services import log_access, record

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]


def test_a_page_view_does_not_wait_for_a_write_to_commit(world, make_person):
    person = make_person()
    holding, release = threading.Event(), threading.Event()

    def write_slowly():
        try:
            with transaction.atomic():
                record(actor=world.coordinator, event=Event.PERSON_UPDATE, subject=person)
                holding.set()  # the audit trail's head is locked until commit
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=write_slowly)
    writer.start()
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        try:
            # Would raise "canceling statement due to lock timeout" if it waited.
            log_access(user=world.doctor, persons=[person], what=Read.RECORD, channel="web")
        except OperationalError as error:  # pragma: no cover - the failure this test is for
            pytest.fail(f"the access-log append waited for the write: {error}")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    finally:
        release.set()
        writer.join()
    assert integrity.verify("audit_event").intact
    assert integrity.verify("access_log").intact
