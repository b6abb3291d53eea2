"""The PostgreSQL round trip: pg_dump in the snapshot of the digests,
pg_restore into an empty database, every table's digest checked."""

import shutil
import uuid

import pytest
from django.db import connection

from parcours.ops import backup

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="PostgreSQL client tools missing"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def empty_database():
    source = backup.Database.configured()
    name = f"parcours_restore_{uuid.uuid4().hex[:8]}"
    with source.psycopg(autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield backup.Database("postgresql", {**source.settings, "NAME": name})
    with source.psycopg(autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_round_trip_on_postgresql(tmp_path, world, make_person, empty_database):
    for name in ("Amanuel", "Selam", "عائشة"):
        make_person(given_name=name)
    path = tmp_path / "parcours.pcbk"
    manifest = backup.create(path, media_root=tmp_path / "no-media")
    assert manifest["vendor"] == "postgresql"
    assert manifest["tables"]["people_person"]["rows"] == 3
    backup.restore(path, database=empty_database, media_root=tmp_path / "m")
    with empty_database.psycopg() as conn:
        cursor = conn.cursor()
        assert backup.table_digests(cursor, backup._postgres_tables(cursor)) == manifest["tables"]
        # The append-only triggers came back with the data.
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_%'")
        assert cursor.fetchone()[0] == 4
    # Restoring again into the now full database is refused.
    with pytest.raises(backup.RestoreError, match="not empty"):
        backup.restore(path, database=empty_database, media_root=tmp_path / "m")
