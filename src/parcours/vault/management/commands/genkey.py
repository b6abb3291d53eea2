from django.core.management.base import BaseCommand, CommandError

from parcours.lib import crypto


class Command(BaseCommand):
    help = (
        "Print a new encryption key as an 'id:key' line for PARCOURS_ENCRYPTION_KEYS "
        "(put it first to make it current; see docs/encryption.md)."
    )
    # Needs no database and must work before the first migrate.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--id", dest="key_id", help="key id (default: today's date + random)")

    def handle(self, *args, key_id=None, **options):
        try:
            self.stdout.write(crypto.generate_key(key_id))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
