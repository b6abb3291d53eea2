"""``parcours retention [--dry-run] [--today YYYY-MM-DD]``: apply the retention
rules (meant for a daily cron). Persons whose period is over are anonymised
(never deleted; not those under a legal hold); access-log rows and audit
events older than their rules are deleted. Prints the report (JSON)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from parcours.gdpr.services import retention_run


class Command(BaseCommand):
    help = "Apply the retention rules: anonymise, and purge old access-log and audit rows."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report only, change nothing")
        parser.add_argument("--today", help="the date to apply the rules on (tests, catch-up)")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD") from None
        run = retention_run(today=today, dry_run=options["dry_run"])
        report = run.report
        self.stdout.write(
            f"{'Dry run: ' if run.dry_run else ''}{len(report['anonymised'])} anonymised, "
            f"{len(report['held'])} kept under a legal hold, "
            f"{report['access_log_deleted']} access-log rows and {report['audit_deleted']} audit "
            f"events past their period."
        )
        self.stdout.write(json.dumps(report, ensure_ascii=False))
