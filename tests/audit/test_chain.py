"""The audit trail and the access log are tamper-evident: the database
refuses UPDATE and DELETE, every row is sealed in a hash chain, and
``parcours audit verify`` names the row that was altered or removed."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from parcours.audit import integrity
from parcours.audit.events import Event, Read
from parcours.audit.models import AccessLog, AuditEvent, ChainHead
from parcours.audit.services import log_access, record


@pytest.fixture
def trail(world, make_person):
    person = make_person()
    for _ in range(3):
        record(actor=world.coordinator, event=Event.PERSON_UPDATE, subject=person)
    log_access(user=world.doctor, persons=[person] * 4, what=Read.RECORD, channel="web")
    return person


def _raw(sql, params=()):
    """What someone with the database's password could do: open the gate
    the triggers check, then write."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(integrity.GATE_OPEN)
        cursor.execute(sql, params)
        cursor.execute(integrity.GATE_CLOSE)


def test_rows_written_by_the_services_verify(trail):
    for table in integrity.TABLES:
        result = integrity.verify(table)
        assert result.intact, result.breaks
        assert result.head == ChainHead.of(table).last
    assert integrity.verify("access_log").rows == 4


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET event = 'person.create'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_accesslog SET user_id = user_id",
        "DELETE FROM audit_accesslog",
    ],
)
def test_the_database_refuses_update_and_delete(trail, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() >= 3
    assert AccessLog.objects.count() == 4


def test_an_altered_row_is_named(trail):
    target = AuditEvent.objects.order_by("id")[1]
    _raw("UPDATE audit_auditevent SET subject_id = '999' WHERE id = %s", [target.id])
    result = integrity.verify("audit_event")
    assert not result.intact
    assert [b.row_id for b in result.breaks] == [target.id]
    assert f"row #{target.id} " in result.breaks[0].message


def test_a_removed_row_breaks_the_chain_at_the_next_one(trail):
    rows = list(AccessLog.objects.order_by("id"))
    _raw("DELETE FROM audit_accesslog WHERE id = %s", [rows[1].id])
    result = integrity.verify("access_log")
    assert [b.row_id for b in result.breaks] == [rows[2].id]


def test_rows_removed_at_the_end_are_found(trail):
    last = AccessLog.objects.order_by("-id").first()
    _raw("DELETE FROM audit_accesslog WHERE id = %s", [last.id])
    result = integrity.verify("access_log")
    assert not result.intact
    assert result.breaks[0].row_id is None
    assert f"(#{last.id - 1})" in result.breaks[0].message


def test_a_resealed_forgery_does_not_match_the_head(trail):
    """Rewriting a row and its seal is caught by every later link."""
    rows = list(AuditEvent.objects.order_by("id"))
    _raw("UPDATE audit_auditevent SET chain_hash = %s WHERE id = %s", ["f" * 64, rows[0].id])
    result = integrity.verify("audit_event")
    assert {b.row_id for b in result.breaks} == {rows[0].id, rows[1].id}


def test_the_retention_purge_is_the_one_way_out_and_the_rest_still_verifies(world, make_person):
    person = make_person()
    old = timezone.now() - timedelta(days=400)
    AccessLog.objects.bulk_create(
        [
            AccessLog(user=world.doctor, person=person, what=Read.RECORD, channel="web", at=old)
            for _ in range(3)
        ]
    )
    log_access(user=world.doctor, persons=[person] * 2, what=Read.RECORD, channel="web")
    removed = integrity.purge_access_log(timezone.now() - timedelta(days=365))
    assert removed == 3
    assert AccessLog.objects.count() == 2
    log_access(user=world.doctor, persons=[person], what=Read.RECORD, channel="web")
    assert integrity.verify("access_log").intact
    assert ChainHead.of("access_log").purged_rows == 3


def test_an_old_row_after_a_kept_one_waits(trail, world):
    old = timezone.now() - timedelta(days=400)
    AccessLog.objects.bulk_create(
        [AccessLog(user=world.doctor, person=trail, what=Read.RECORD, channel="web", at=old)]
    )
    assert integrity.purge_access_log(timezone.now() - timedelta(days=365)) == 0
    assert AccessLog.objects.count() == 5


def test_the_purge_keeps_rows_that_are_not_expired(trail):
    assert integrity.purge_access_log(timezone.now() - timedelta(days=365)) == 0
    assert AccessLog.objects.count() == 4
    assert integrity.verify("access_log").intact


def test_verify_command_reports_and_fails_on_tampering(trail, capsys):
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit_event: 3 rows, chain intact" in out or "chain intact" in out
    target = AccessLog.objects.order_by("id").first()
    _raw("UPDATE audit_accesslog SET what = 'other' WHERE id = %s", [target.id])
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1
    assert f"row #{target.id} " in capsys.readouterr().out


def test_purge_command_wants_a_day(trail):
    with pytest.raises(CommandError, match="not a day"):
        call_command("audit", "purge-access-log", "--before", "last year")


def test_the_audit_trail_purge_keeps_the_rest_verifiable(world, make_person):
    old = timezone.now() - timedelta(days=7 * 365)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                event=Event.PERSON_UPDATE, subject_type="people.person", subject_id="1", at=old
            )
            for _ in range(2)
        ]
    )
    person = make_person()
    kept = AuditEvent.objects.count() - 2
    assert integrity.purge_audit_events(timezone.now() - timedelta(days=6 * 365)) == 2
    assert AuditEvent.objects.count() == kept
    record(actor=world.coordinator, event=Event.PERSON_UPDATE, subject=person)
    assert integrity.verify("audit_event").intact


def test_rows_written_in_bulk_verify_and_read_back_as_sealed(trail, world):
    """record_many (imports) seals each row as AuditEvent.save does: shared
    and distinct times, other time zones, nested values, no project."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from parcours.audit.services import record_many

    now = timezone.now()
    paris = datetime(2026, 3, 29, 3, 30, 0, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    rows = [
        {
            "at": at,
            "actor_id": actor,
            "event": str(Event.IMPORT_CREATE),
            "subject_type": "people.person",
            "subject_id": str(trail.pk),
            "project_id": project,
            "changes": {"given_name": [None, "Émile"], "birth_date": [None, "1990-01-31"]},
            "extra": {"batch": n, "version": 1, "list": [1, "é", None]},
        }
        for n, (at, actor, project) in enumerate(
            [
                (now, world.coordinator.pk, world.calais.pk),
                (now, world.coordinator.pk, world.calais.pk),
                (paris, None, None),
                (paris.astimezone(UTC), world.doctor.pk, world.calais.pk),
            ]
        )
    ]
    before = AuditEvent.objects.count()
    record_many(rows)
    assert AuditEvent.objects.count() == before + 4
    result = integrity.verify("audit_event")
    assert result.intact, result.breaks
    stored = list(AuditEvent.objects.order_by("-id")[:4])[::-1]
    assert [e.extra["batch"] for e in stored] == [0, 1, 2, 3]
    assert stored[2].at == paris and stored[2].changes["given_name"] == [None, "Émile"]
