"""``parcours restore ARCHIVE [--force]``: restore a backup into an empty
database, then check every table against the archive's manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.audit.events import Event
from parcours.audit.models import AuditEvent
from parcours.ops import backup
from parcours.ops.sealed import ArchiveError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and verify it."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over a database that is not empty (its file or schema is "
            "replaced; on SQLite the old file is kept aside); recorded in the audit trail",
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup.restore(Path(archive), force=force)
        except (ArchiveError, backup.RestoreError) as error:
            raise CommandError(f"restore refused: {error}") from None
        # In the restored database's own trail, after its digests were checked.
        AuditEvent.objects.create(
            event=Event.SYSTEM_RESTORE,
            subject_type="ops.backup",
            subject_id=manifest["created"][:40],
            extra={"archive": Path(archive).name, "forced": force, "made": manifest["created"]},
        )
        self.stdout.write(
            f"restored the backup of {manifest['created']}: {len(manifest['tables'])} tables "
            "match the manifest" + (" (forced over a database that was not empty)" if force else "")
        )
