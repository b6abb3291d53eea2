"""``parcours remind``: e-mail the owners of overdue case tasks, once per
task and due date (safe to run every hour from a scheduler)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.cases.reminders import send_reminders
from parcours.lib.reminders import email_configured


class Command(BaseCommand):
    help = "E-mail the owners of overdue case tasks (once per task and due date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="Address of Parcours for the links, e.g. https://…"
        )

    def handle(self, *args, base_url="", **options):
        if not email_configured():
            raise CommandError(
                "No e-mail host configured (PARCOURS_EMAIL_HOST): the home page already "
                "shows overdue tasks to their owners; nothing sent."
            )
        report = send_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(
            f"{report.due} overdue task(s): {report.sent} reminder(s) sent, "
            f"{report.already} already sent, {report.no_address} owner(s) without an address."
        )
