"""What the e-mail reminders of several modules share (cases' overdue
tasks, network's overdue referrals): the run's counts, and whether an
e-mail host is configured at all."""

from dataclasses import dataclass

from django.conf import settings


@dataclass
class RemindReport:
    due: int = 0
    sent: int = 0
    already: int = 0
    no_address: int = 0


def email_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))
