"""What the e-mail reminders of several modules share (cases' overdue
tasks, network's overdue referrals): sending once per item and date, the
run's counts, the e-mail in the owner's language, whether an e-mail host is
configured at all, and the management command that runs them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import translation


@dataclass
class RemindReport:
    due: int = 0
    sent: int = 0
    already: int = 0
    no_address: int = 0


def email_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", ""))


def remind_each(items: Iterable, *, already_sent: Callable, send: Callable) -> RemindReport:
    """One reminder per overdue item, to its ``owner``. Skips the items
    ``already_sent`` and the owners without an address or no longer active;
    ``send(item, owner)`` records the reminder, e-mails and audits in one
    transaction (a reminder row written meanwhile by another run counts as
    already sent). The audit stays with each module: lib may not import it."""
    report = RemindReport()
    for item in items:
        report.due += 1
        if already_sent(item):
            report.already += 1
            continue
        owner = item.owner
        if not owner.email or not owner.is_active:
            report.no_address += 1
            continue
        try:
            with transaction.atomic():
                send(item, owner)
        except IntegrityError:
            report.already += 1
            continue
        report.sent += 1
    return report


def mail_owner(owner, compose: Callable[[], tuple[str, str]]) -> None:
    """E-mails ``owner`` the (subject, body) that ``compose`` writes in the
    owner's language."""
    with translation.override(getattr(owner, "language", "") or "fr"):
        subject, body = compose()
    send_mail(subject, body, None, [owner.email])


class ReminderCommand(BaseCommand):
    """A reminder run from the command line (safe to run every hour)."""

    overdue = ""  # "overdue task(s)": what the report counts
    shown = ""  # "overdue tasks": what the home page already shows

    def send(self, base_url: str) -> RemindReport:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="Address of Parcours for the links, e.g. https://…"
        )

    def handle(self, *args, base_url="", **options):
        if not email_configured():
            raise CommandError(
                "No e-mail host configured (PARCOURS_EMAIL_HOST): the home page already "
                f"shows {self.shown} to their owners; nothing sent."
            )
        report = self.send(base_url.rstrip("/"))
        self.stdout.write(
            f"{report.due} {self.overdue}: {report.sent} reminder(s) sent, "
            f"{report.already} already sent, {report.no_address} owner(s) without an address."
        )
