"""Consistent, encrypted backups and verified restores.

An archive (``sealed.py`` encrypts it) is a tar stream of:

- ``manifest.json``: when, which Parcours, which database engine, the
  migrations applied, and for every table its row count and a content
  digest, plus the SHA-256 of every other member;
- the database: an SQLite online-backup copy (``database.sqlite3``), or a
  ``pg_dump`` custom-format dump taken in the same snapshot as the digests
  (``database.pgdump``);
- the uploaded files (``media/…``), read through the storage API from the
  local uploads folder or the S3 bucket alike (``media.py``).

Never the encryption keys (they stay in their file, outside the database and
outside the archive).

``restore`` reads and authenticates the whole archive into a staging folder
before it writes anything, refuses a database that is not empty unless
forced (the current content is then kept aside, and the forcing is
recorded), and after loading recomputes every table's digest against the
manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.db import connections

from parcours.ops import media
from parcours.ops.sealed import ArchiveError, OpeningReader, SealingWriter

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
_MOD = 1 << 256


class RestoreError(Exception):
    """Why a restore was refused or failed; nothing was changed unless said."""


# --- digests --------------------------------------------------------------------


def _canonical(value):
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return "b:" + value.hex()
    if isinstance(value, datetime):
        return "t:" + (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date | Decimal):
        return f"{type(value).__name__}:{value}"
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, default=str)
    return value


def table_digests(cursor, tables: Iterable[str]) -> dict[str, dict]:
    """Row count and an order-independent digest (sum of row hashes) per table."""
    result = {}
    for table in sorted(tables):
        # Table names come from the database's own catalog, not from input.
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
        rows, total = 0, 0
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest = hashlib.sha256(repr(tuple(map(_canonical, row))).encode()).digest()
                total = (total + int.from_bytes(digest, "big")) % _MOD
                rows += 1
        result[table] = {"rows": rows, "digest": f"{total:064x}"}
    return result


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [name for (name,) in cursor.fetchall()]


def _postgres_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    return [name for (name,) in cursor.fetchall()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --- database access -------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a backup is read from or restored into."""

    vendor: str  # "sqlite" or "postgresql"
    settings: dict

    @classmethod
    def configured(cls, using: str = "default") -> Database:
        connection = connections[using]
        return cls(connection.vendor, dict(connection.settings_dict))

    @property
    def sqlite_path(self) -> Path:
        name = str(self.settings["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise RestoreError("the database is in memory: there is no file to restore into")
        return Path(name)

    def psycopg(self, **kwargs):
        import psycopg

        return psycopg.connect(
            dbname=self.settings["NAME"],
            user=self.settings.get("USER") or None,
            password=self.settings.get("PASSWORD") or None,
            host=self.settings.get("HOST") or None,
            port=self.settings.get("PORT") or None,
            **kwargs,
        )

    def pg_args(self) -> tuple[list[str], dict]:
        args = ["--dbname", self.settings["NAME"]]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if self.settings.get(key):
                args += [flag, str(self.settings[key])]
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = self.settings["PASSWORD"]
        return args, env


def _version() -> str:
    try:
        return version("parcours")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RestoreError(f"{name} not found: install the PostgreSQL client tools")
    return path


def _migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


# --- backup ------------------------------------------------------------------------


def create(dest: Path, *, using: str = "default", media_root: Path | None = None) -> dict:
    """Write an encrypted archive of the database and the uploaded files (of
    the default storage, or of the folder ``media_root``) to ``dest`` (first
    to ``dest.partial``, renamed when complete). Returns the manifest."""
    database = Database.configured(using)
    storage = media.storage_for(media_root)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="parcours-backup-") as staging:
        staging = Path(staging)
        if database.vendor == "sqlite":
            member = SQLITE_MEMBER
            tables, migrations = _snapshot_sqlite(using, staging / member)
        elif database.vendor == "postgresql":
            member = POSTGRES_MEMBER
            tables, migrations = _snapshot_postgres(database, staging / member)
        else:  # pragma: no cover - settings allow these two only
            raise RestoreError(f"backups of {database.vendor} are not supported")
        uploads = media.local_files(storage, media.names(storage), staging / "media")
        manifest = {
            "format": FORMAT,
            "created": created,
            "parcours": _version(),
            "vendor": database.vendor,
            "migrations": migrations,
            "tables": tables,
            "files": {member: _sha256(staging / member)}
            | {MEDIA_PREFIX + name: _sha256(path) for name, path in uploads.items()},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = dest.with_name(dest.name + ".partial")
        with (
            partial.open("wb") as raw,
            SealingWriter(raw, created=created) as sealed,
            tarfile.open(fileobj=sealed, mode="w|") as tar,
        ):
            tar.add(staging / MANIFEST, arcname=MANIFEST)
            tar.add(staging / member, arcname=member)
            for name, path in uploads.items():
                tar.add(path, arcname=MEDIA_PREFIX + name)
        partial.replace(dest)
    return manifest


def _snapshot_sqlite(using: str, target: Path):
    connection = connections[using]
    if connection.in_atomic_block:
        # SQLite's backup would wait for our own transaction forever.
        raise RestoreError("a backup cannot be taken inside a database transaction")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # SQLite's online backup: a consistent copy
        cursor = copy.cursor()
        return table_digests(cursor, _sqlite_tables(cursor)), _migrations(cursor)
    finally:
        copy.close()


def _snapshot_postgres(database: Database, target: Path):
    args, env = database.pg_args()
    with database.psycopg() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
        cursor = conn.cursor()
        tables = table_digests(cursor, _postgres_tables(cursor))
        migrations = _migrations(cursor)
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", "--file", str(target), *args],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        conn.execute("COMMIT")
    if done.returncode != 0:
        raise RestoreError(f"pg_dump failed: {done.stderr.strip()}")
    return tables, migrations


# --- restore -----------------------------------------------------------------------


def read_archive(archive: Path, staging: Path) -> dict:
    """Decrypt, authenticate and unpack ``archive`` into ``staging``; check
    every member against the manifest. Raises ArchiveError; writes nothing
    elsewhere."""
    try:
        with (
            archive.open("rb") as raw,
            OpeningReader(raw) as reader,
            tarfile.open(fileobj=reader, mode="r|") as tar,
        ):
            for member in tar:
                name = PurePosixPath(member.name)
                if (
                    not member.isfile()
                    or name.is_absolute()
                    or ".." in name.parts
                    or not (
                        member.name in (MANIFEST, SQLITE_MEMBER, POSTGRES_MEMBER)
                        or member.name.startswith(MEDIA_PREFIX)
                    )
                ):
                    raise ArchiveError(f"unexpected member in the archive: {member.name!r}")
                out = staging / name
                out.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, out.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
    except (tarfile.TarError, EOFError) as error:
        raise ArchiveError(f"the archive's content is damaged ({error})") from None
    except FileNotFoundError:
        raise ArchiveError(f"no such file: {archive}") from None
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        raise ArchiveError("the archive has no readable manifest") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"unknown archive format {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        path = staging / name
        if not path.is_file() or _sha256(path) != expected:
            raise ArchiveError(f"{name} does not match the manifest's checksum")
    return manifest


def is_empty(database: Database) -> bool:
    if database.vendor == "sqlite":
        path = database.sqlite_path
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(path) as conn:
            return not _sqlite_tables(conn.cursor())
    with database.psycopg() as conn:
        return not _postgres_tables(conn.cursor())


def restore(
    archive: Path,
    *,
    database: Database | None = None,
    media_root: Path | None = None,
    force: bool = False,
) -> dict:
    """Restore ``archive`` into ``database`` (the configured one by default)
    and the uploaded files into the default storage (or the folder
    ``media_root``). Returns the manifest."""
    database = database or Database.configured()
    storage = media.storage_for(media_root)
    with tempfile.TemporaryDirectory(prefix="parcours-restore-") as staging:
        staging = Path(staging)
        manifest = read_archive(archive, staging)
        if manifest["vendor"] != database.vendor:
            raise RestoreError(
                f"the archive holds a {manifest['vendor']} database; this installation "
                f"uses {database.vendor}"
            )
        if not is_empty(database) and not force:
            raise RestoreError(
                "the database is not empty: restore into an empty database, or pass "
                "--force (the current content is then kept aside, and the forcing recorded)"
            )
        media_files = [n for n in manifest["files"] if n.startswith(MEDIA_PREFIX)]
        present = bool(media_files) and bool(media.names(storage))
        if present and not force:
            raise RestoreError(f"{media.describe(storage)} is not empty (use --force)")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        if database.vendor == "sqlite":
            _load_sqlite(database, staging / SQLITE_MEMBER, stamp)
        else:
            _load_postgres(database, staging / POSTGRES_MEMBER)
        _check_tables(database, manifest)
        if present:
            media.set_aside(storage, stamp)
        for name in media_files:
            media.write(storage, name.removeprefix(MEDIA_PREFIX), staging / name)
    return manifest


def _load_sqlite(database: Database, snapshot: Path, stamp: str) -> None:
    path = database.sqlite_path
    connections.close_all()
    if path.exists():
        # Kept aside, never deleted: a forced restore loses nothing.
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{path}{suffix}")
            if old.exists():
                old.rename(f"{path}.replaced-{stamp}{suffix}")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(snapshot, path)


def _load_postgres(database: Database, dump: Path) -> None:
    args, env = database.pg_args()
    with database.psycopg(autocommit=True) as conn:
        if _postgres_tables(conn.cursor()):
            # Forced: the schema goes (the operator has the archive and was warned).
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RestoreError(f"pg_restore failed: {done.stderr.strip()}")


def _check_tables(database: Database, manifest: dict) -> None:
    if database.vendor == "sqlite":
        with sqlite3.connect(database.sqlite_path) as conn:
            cursor = conn.cursor()
            found = table_digests(cursor, _sqlite_tables(cursor))
    else:
        with database.psycopg() as conn:
            cursor = conn.cursor()
            found = table_digests(cursor, _postgres_tables(cursor))
    if found != manifest["tables"]:
        differing = sorted(
            t
            for t in set(found) | set(manifest["tables"])
            if found.get(t) != manifest["tables"].get(t)
        )
        raise RestoreError(
            "the restored database does not match the manifest in: " + ", ".join(differing[:10])
        )
