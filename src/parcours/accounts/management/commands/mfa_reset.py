"""``parcours mfa_reset USERNAME``: forget a user's two-factor devices (lost phone
and recovery codes). Run by the server's operator, not from the web pages, so
that an administrator who resets a password cannot also remove the second
factor that still protects the account. Audited."""

from django.core.management.base import BaseCommand, CommandError

from parcours.accounts import mfa
from parcours.accounts.models import User
from parcours.audit import services as audit
from parcours.audit.events import Event


class Command(BaseCommand):
    help = "Forget a user's two-factor devices: they set it up again at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        mfa.reset(user)
        audit.record(actor=None, event=Event.MFA_RESET, subject=user)
        self.stdout.write(f"Two-factor devices of {user.username} forgotten.")
