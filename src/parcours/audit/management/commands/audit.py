"""``parcours audit verify``: recompute the hash chains of the audit trail and
the access log; exit 1 and name the first broken rows when they do not hold.

``parcours audit purge-access-log --before YYYY-MM-DD``: the retention purge
of access-log rows older than that day (the only deletion the database
allows; audit events are kept).
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parcours.audit import integrity
from parcours.lib.dates import parse_day


class Command(BaseCommand):
    help = "Verify the audit hash chains, or purge expired access-log rows."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute both hash chains")
        purge = sub.add_parser("purge-access-log", help="remove access-log rows before a day")
        purge.add_argument("--before", required=True, help="day, YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self.verify()
        day = parse_day(options["before"])
        if day is None:
            raise CommandError(f"--before: not a day: {options['before']!r} (YYYY-MM-DD)")
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        removed = integrity.purge_access_log(cutoff)
        self.stdout.write(f"access log: {removed} rows read before {day} removed")

    def verify(self):
        broken = False
        for table in integrity.TABLES:
            result = integrity.verify(table)
            if result.intact:
                self.stdout.write(f"{table}: {result.rows} rows, chain intact, head {result.head}")
                continue
            broken = True
            self.stdout.write(f"{table}: {result.rows} rows, CHAIN BROKEN")
            for found in result.breaks:
                self.stdout.write(f"  {found.message}")
        if broken:
            raise CommandError("the audit trail was tampered with (see above)", returncode=1)
