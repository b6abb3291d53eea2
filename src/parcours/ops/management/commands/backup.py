"""``parcours backup DEST``: an encrypted, consistent archive of the database
and the uploaded files (see docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.ops import backup


class Command(BaseCommand):
    help = "Write an encrypted backup archive of the database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("dest", help="archive file to write, e.g. parcours-2026-11-30.pcbk")

    def handle(self, *args, dest, **options):
        dest = Path(dest)
        if dest.is_dir():
            raise CommandError(f"{dest} is a folder: give the archive's file name")
        if not dest.parent.is_dir():
            raise CommandError(f"folder {dest.parent} does not exist")
        try:
            manifest = backup.create(dest)
        except backup.RestoreError as error:
            raise CommandError(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith(backup.MEDIA_PREFIX))
        self.stdout.write(
            f"{dest}: {manifest['vendor']} database, {len(manifest['tables'])} tables, "
            f"{rows} rows, {media} uploaded files, {dest.stat().st_size} bytes, encrypted"
        )
