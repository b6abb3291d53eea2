"""``parcours remind``: e-mail the owners of overdue case tasks, once per
task and due date (safe to run every hour from a scheduler)."""

from parcours.cases.reminders import send_reminders
from parcours.lib.reminders import ReminderCommand


class Command(ReminderCommand):
    help = "E-mail the owners of overdue case tasks (once per task and due date)."
    overdue = "overdue task(s)"
    shown = "overdue tasks"

    def send(self, base_url):
        return send_reminders(base_url=base_url)
