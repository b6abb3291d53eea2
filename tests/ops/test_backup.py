"""Backup → restore round trips: every table's rows and content come back,
the uploaded files too; a damaged, truncated or foreign archive is refused
before anything is written; a non-empty database is refused unless forced."""

import sqlite3
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from parcours.lib import crypto
from parcours.ops import backup
from parcours.ops.sealed import ArchiveError
from parcours.people.models import Person

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite round trip (PostgreSQL: test_backup_postgres.py)",
    ),
    # A backup reads committed data, as it does in production.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    (root / "protocols").mkdir(parents=True)
    (root / "protocols" / "pep.pdf").write_bytes(b"%PDF-1.7 protocol PEP " * 100)
    return root


@pytest.fixture
def archive(tmp_path, world, make_person, media):
    for name in ("Amanuel", "Selam", "عائشة"):
        make_person(given_name=name)
    path = tmp_path / "parcours.pcbk"
    manifest = backup.create(path, media_root=media)
    return path, manifest


def _target(tmp_path, name="restored.sqlite3"):
    return backup.Database("sqlite", {"NAME": str(tmp_path / name)})


def test_round_trip_restores_every_table_and_file(tmp_path, archive):
    path, manifest = archive
    assert manifest["tables"]["people_person"]["rows"] == Person.objects.count() == 3
    assert manifest["tables"]["audit_auditevent"]["rows"] > 0
    target = _target(tmp_path)
    restored_media = tmp_path / "restored-media"
    backup.restore(path, database=target, media_root=restored_media)
    with sqlite3.connect(target.sqlite_path) as conn:
        cursor = conn.cursor()
        assert backup.table_digests(cursor, backup._sqlite_tables(cursor)) == manifest["tables"]
        names = {n for (n,) in cursor.execute("SELECT given_name FROM people_person")}
    assert names == {"Amanuel", "Selam", "عائشة"}
    assert (restored_media / "protocols" / "pep.pdf").read_bytes().startswith(b"%PDF-1.7")


def test_the_archive_is_encrypted(archive):
    path, _ = archive
    data = path.read_bytes()
    assert data.startswith(b"PARCOURS-BACKUP-1\n")
    assert b"Amanuel" not in data and "عائشة".encode() not in data
    assert b"SQLite format" not in data and b"manifest" not in data


def test_a_digest_changes_when_one_value_changes(tmp_path, archive):
    path, manifest = archive
    target = _target(tmp_path)
    backup.restore(path, database=target, media_root=tmp_path / "m")
    with sqlite3.connect(target.sqlite_path) as conn:
        conn.execute("UPDATE people_person SET given_name = 'Other' WHERE given_name = 'Selam'")
        cursor = conn.cursor()
        after = backup.table_digests(cursor, ["people_person"])
    assert after["people_person"]["rows"] == 3
    assert after["people_person"]["digest"] != manifest["tables"]["people_person"]["digest"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-40],  # truncated
        lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:],  # one bit flipped
        lambda data: b"PK\x03\x04 not a backup at all",  # another kind of file
        lambda data: data + b"trailing",  # something appended
    ],
    ids=["truncated", "bit-flipped", "foreign-format", "appended"],
)
def test_a_damaged_archive_is_refused_before_anything_is_written(tmp_path, archive, damage):
    path, _ = archive
    broken = tmp_path / "broken.pcbk"
    broken.write_bytes(damage(path.read_bytes()))
    target = _target(tmp_path)
    with pytest.raises(ArchiveError):
        backup.restore(broken, database=target, media_root=tmp_path / "m")
    assert not target.sqlite_path.exists()
    assert not (tmp_path / "m").exists()


def test_an_archive_of_another_installation_is_refused(tmp_path, archive, settings):
    path, _ = archive
    settings.PARCOURS_ENCRYPTION_KEYS = [crypto.generate_key("other")]
    with pytest.raises(ArchiveError, match="key file"):
        backup.restore(path, database=_target(tmp_path), media_root=tmp_path / "m")


def test_a_non_empty_database_is_refused_unless_forced(tmp_path, archive):
    path, manifest = archive
    target = _target(tmp_path)
    with sqlite3.connect(target.sqlite_path) as conn:
        conn.execute("CREATE TABLE notes (text varchar)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    with pytest.raises(backup.RestoreError, match="not empty"):
        backup.restore(path, database=target, media_root=tmp_path / "m")
    backup.restore(path, database=target, media_root=tmp_path / "m", force=True)
    kept = list(tmp_path.glob("restored.sqlite3.replaced-*"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("kept",)]


def test_an_archive_of_the_other_engine_is_refused(tmp_path, archive):
    path, _ = archive
    target = backup.Database("postgresql", {"NAME": "never_used"})
    with pytest.raises(backup.RestoreError, match="sqlite database"):
        backup.restore(path, database=target, media_root=tmp_path / "m")


def test_commands_say_what_they_did_and_refuse_a_live_database(tmp_path, archive):
    path, _ = archive
    out = tmp_path / "second.pcbk"
    call_command("backup", str(out))
    assert out.exists() and not Path(f"{out}.partial").exists()
    # The test database lives in memory: nothing to restore into.
    with pytest.raises(CommandError, match="in memory"):
        call_command("restore", str(out))
    with pytest.raises(CommandError, match="not a Parcours backup"):
        junk = tmp_path / "junk.pcbk"
        junk.write_bytes(uuid.uuid4().bytes * 10)
        call_command("restore", str(junk))
