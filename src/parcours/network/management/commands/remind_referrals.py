"""``parcours remind_referrals``: e-mail the owners of overdue referrals, once
per referral and follow-up date (safe to run every hour from a scheduler)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.lib.reminders import email_configured
from parcours.network.reminders import send_referral_reminders


class Command(BaseCommand):
    help = "E-mail the owners of overdue referrals (once per referral and follow-up date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="Address of Parcours for the links, e.g. https://…"
        )

    def handle(self, *args, base_url="", **options):
        if not email_configured():
            raise CommandError(
                "No e-mail host configured (PARCOURS_EMAIL_HOST): the home page already "
                "shows overdue referrals to their owners; nothing sent."
            )
        report = send_referral_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(
            f"{report.due} overdue referral(s): {report.sent} reminder(s) sent, "
            f"{report.already} already sent, {report.no_address} owner(s) without an address."
        )
