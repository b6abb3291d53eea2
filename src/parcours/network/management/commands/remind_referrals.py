"""``parcours remind_referrals``: e-mail the owners of overdue referrals, once
per referral and follow-up date (safe to run every hour from a scheduler)."""

from parcours.lib.reminders import ReminderCommand
from parcours.network.reminders import send_referral_reminders


class Command(ReminderCommand):
    help = "E-mail the owners of overdue referrals (once per referral and follow-up date)."
    overdue = "overdue referral(s)"
    shown = "overdue referrals"

    def send(self, base_url):
        return send_referral_reminders(base_url=base_url)
