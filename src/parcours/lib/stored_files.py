"""Uploaded files, through Django's storage API only.

The default storage is the local folder ``PARCOURS_MEDIA_ROOT``, or an
S3-compatible bucket with ``PARCOURS_STORAGE=s3`` (settings.py,
docs/scaling.md). Code never builds a path under MEDIA_ROOT itself, so that
the same code runs on both. Files are private: nothing here asks the storage
for a URL; downloads go through the app's checked views, streamed from
``open_file``.

A stored file is named by its storage name (``imports/<hex>.xlsx``). Import
batches written before this module kept an absolute local path; such a name
still works for reading and deleting (``_legacy``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages

SPOOL_BYTES = 8 * 1024 * 1024


class StorageUnavailable(OSError):
    """The storage did not take the file (a bucket unreachable, refused…)."""


def storage():
    return storages["default"]


def _legacy(name: str) -> Path | None:
    return Path(name) if os.path.isabs(name) else None


def save(folder: str, suffix: str, content: bytes | Iterable[bytes]) -> str:
    """Store ``content`` under a random name in ``folder``; its storage name."""
    name = f"{folder}/{uuid.uuid4().hex}{suffix}"
    # Spooled: small files stay in memory, a large import goes to a temporary
    # file rather than being held whole while it is sent to a bucket.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for chunk in [content] if isinstance(content, bytes) else content:
            spool.write(chunk)
        spool.seek(0)
        try:
            return storage().save(name, File(spool, name=name))
        except OSError:
            raise
        except Exception as error:  # a remote backend's own errors (botocore's)
            raise StorageUnavailable(f"{type(error).__name__}: {error}") from error


def exists(name: str) -> bool:
    if not name:
        return False
    legacy = _legacy(name)
    return legacy.is_file() if legacy else storage().exists(name)


def delete(name: str) -> None:
    if not name:
        return
    legacy = _legacy(name)
    if legacy:
        legacy.unlink(missing_ok=True)
    else:
        storage().delete(name)


def open_file(name: str):
    """The stored file, opened for reading (FileNotFoundError when absent)."""
    legacy = _legacy(name)
    if legacy:
        return legacy.open("rb")
    if not storage().exists(name):
        raise FileNotFoundError(name)
    return storage().open(name, "rb")


def copy(name: str, folder: str) -> str:
    """A copy of a stored file under a new random name in ``folder``."""
    with open_file(name) as source:
        return save(folder, Path(name).suffix, iter(lambda: source.read(1 << 20), b""))


def local_path(name: str) -> Path | None:
    """The file's path on this machine when the storage keeps it on disk."""
    legacy = _legacy(name)
    if legacy:
        return legacy
    try:
        return Path(storage().path(name))
    except NotImplementedError:  # a remote storage (S3) has no local path
        return None


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local file holding the stored file, for readers that need a path
    (openpyxl, the CSV sniffer): the file itself when the storage is local,
    else a temporary download removed on exit."""
    path = local_path(name)
    if path is not None:
        if not path.is_file():
            raise FileNotFoundError(name)
        yield path
        return
    handle, temporary = tempfile.mkstemp(prefix="parcours-", suffix=Path(name).suffix)
    try:
        with os.fdopen(handle, "wb") as sink, open_file(name) as source:
            shutil.copyfileobj(source, sink, 1 << 20)
        yield Path(temporary)
    finally:
        os.unlink(temporary)
