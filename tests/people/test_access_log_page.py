"""The access log across persons: paged, filtered, exported as CSV for the
data-protection officer; only for who audits access (404 otherwise)."""

import csv
import io

from parcours.audit.models import AccessLog, AuditEvent


def _read(world, person, user, what="record", n=1):
    AccessLog.objects.bulk_create(
        [AccessLog(user=user, person=person, what=what, channel="web") for _ in range(n)]
    )


def test_paged_and_filtered_by_who_what_and_person(world, make_person, login):
    amanuel = make_person()
    other = make_person(given_name="Yonas", family_name="Kidane")
    _read(world, amanuel, world.doctor, n=60)
    _read(world, other, world.reception, what="identity-summary", n=3)
    client = login(world.coordinator)
    page = client.get("/people/access-log/").content.decode()
    assert "63 entries" in page and "Older" in page
    code = other.enrolments.get().code
    page = client.get("/people/access-log/", {"code": code}).content.decode()
    assert "3 entries" in page
    page = client.get("/people/access-log/", {"who": "doctor", "what": "record"}).content.decode()
    assert "60 entries" in page
    page = client.get("/people/access-log/", {"since": "2999-01-01"}).content.decode()
    assert "0 entries" in page
    assert client.get("/people/access-log/", {"since": "nonsense"}).status_code == 200


def test_csv_export_is_audited_and_filtered(world, make_person, login):
    person = make_person()
    _read(world, person, world.doctor, n=2)
    _read(world, person, world.psychologist, n=1)
    response = login(world.referent).get("/people/access-log/export.csv", {"who": "doctor"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3 and {r[1] for r in rows[1:]} == {"doctor"}
    assert AuditEvent.objects.filter(event="access_log.export", actor=world.referent).exists()


def test_only_who_audits_access_sees_it(world, login):
    for name in ("doctor", "reception", "admin", "meal", "nobody"):
        client = login(world.users[name])
        assert client.get("/people/access-log/").status_code == 404, name
        assert client.get("/people/access-log/export.csv").status_code == 404, name
