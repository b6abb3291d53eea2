"""What an attacker with a copy of the database sees: never the note.

Each test also plants a marker in a column that is *not* encrypted and
checks the dump shows it, so a dump that missed the data could not pass.
"""

import os
import shutil
import sqlite3
import subprocess
import uuid

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _dump_sqlite(tmp_path) -> bytes:
    raw = connection.connection
    text = "\n".join(raw.iterdump()).encode()
    copy_path = tmp_path / "copy.sqlite3"
    copy = sqlite3.connect(copy_path)
    try:
        raw.backup(copy)
    finally:
        copy.close()
    # The file's own pages, as a stolen laptop disk would hold them.
    return text + b"\n" + copy_path.read_bytes()


def _dump_postgresql() -> bytes:
    params = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    if pg_dump:
        env = {**os.environ}
        if params.get("PASSWORD"):
            env["PGPASSWORD"] = params["PASSWORD"]
        command = [pg_dump, "--no-owner", "--dbname", params["NAME"]]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if params.get(key):
                command += [flag, str(params[key])]
        return subprocess.run(command, env=env, check=True, capture_output=True).stdout  # noqa: S603
    return _select_every_text_column()


def _select_every_text_column() -> bytes:
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')"
        )
        for table, column in cursor.fetchall():
            quoted = f"{connection.ops.quote_name(column)}"
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(str(value) for (value,) in cursor.fetchall())
    return "\n".join(chunks).encode()


def _dump(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        return _dump_sqlite(tmp_path)
    if connection.vendor == "postgresql":
        return _dump_postgresql()
    raise AssertionError(f"no dump method for {connection.vendor}")


def test_planted_note_never_appears_in_the_raw_column_or_a_full_dump(vault, tmp_path):
    secret = f"SECRET-{uuid.uuid4().hex}"
    control = f"CTRL{uuid.uuid4().hex[:20]}"
    probe = vault.objects.create(key_id="planted", canary=f"Elle raconte : {secret}")
    vault.objects.create(key_id=control, canary="")

    table = connection.ops.quote_name(vault._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT canary FROM {table} WHERE id = %s", [probe.pk])  # noqa: S608
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc2:t-old:") and secret not in raw

    dump = _dump(tmp_path)
    assert control.encode() in dump, "the dump did not capture the table"
    assert secret.encode() not in dump
    assert vault.objects.get(pk=probe.pk).canary == f"Elle raconte : {secret}"
