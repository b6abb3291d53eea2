"""The uploaded files of a backup, read and written through Django's storage
API, so that a backup holds them whether they live in a local folder or in an
S3 bucket (docs/operations.md).

On a local folder the files are added to the archive from where they are; on
a remote storage each object is downloaded into the backup's staging folder
first (the manifest, written before them, carries their checksums).
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages


def storage_for(media_root: Path | None) -> Storage:
    """The storage of the uploaded files: the configured one, or the folder
    ``media_root`` when one is named (tests, a restore into another folder)."""
    return FileSystemStorage(location=media_root) if media_root else storages["default"]


def describe(storage: Storage) -> str:
    if isinstance(storage, FileSystemStorage):
        return f"the uploads folder {storage.location}"
    bucket = getattr(storage, "bucket_name", "")
    return f"the uploads bucket {bucket}".rstrip()


def names(storage: Storage, folder: str = "") -> list[str]:
    """Every stored file's name, sorted (an absent folder has none)."""
    if isinstance(storage, FileSystemStorage) and not Path(storage.location).is_dir():
        return []
    folders, files = storage.listdir(folder)
    found = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        found += names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(found)


def local_files(storage: Storage, wanted: list[str], staging: Path) -> dict[str, Path]:
    """A local path for each stored file: the file itself on a local folder,
    a download into ``staging`` otherwise."""
    found = {}
    for name in wanted:
        try:
            found[name] = Path(storage.path(name))
            continue
        except NotImplementedError:
            pass
        target = staging / PurePosixPath(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        found[name] = target
    return found


def set_aside(storage: Storage, stamp: str) -> None:
    """Before a forced restore: a local uploads folder is renamed, kept whole;
    in a bucket the archive's objects replace those of the same name (the
    bucket's versioning keeps the replaced ones)."""
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        root.rename(root.with_name(f"{root.name}.replaced-{stamp}"))


def write(storage: Storage, name: str, source: Path) -> None:
    with source.open("rb") as handle:
        stored = storage.save(name, File(handle, name=name))
    if stored != name:
        raise OSError(f"{describe(storage)} kept {name} as {stored}")
