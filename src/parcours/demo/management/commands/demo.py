"""``parcours demo``: a working Parcours with invented data, in one command."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from parcours.accounts.models import User
from parcours.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from parcours.demo.organisation import ensure_organisation
from parcours.demo.seed import DEFAULT_SEED, DEMO_PERSONS, seed_demo
from parcours.people.models import Person


class Command(BaseCommand):
    help = (
        "Migrate, seed invented demo data once (reused afterwards), list the demo "
        "accounts and serve the application on 127.0.0.1."
    )
    requires_system_checks = []  # runserver runs them before serving

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--password",
            help=f"password of the demo accounts (default {DEMO_PASSWORD}); "
            "given on an existing demo database, it resets theirs",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="stop after seeding (tests, CI)"
        )
        parser.add_argument(
            "--mfa",
            action="store_true",
            help="two-factor sign-in for the accounts that open records (set up at their "
            "first sign-in); without it the demo runs with PARCOURS_MFA=off",
        )
        parser.add_argument("--persons", type=int, default=DEMO_PERSONS)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, port, password, no_serve, persons, seed, mfa, **options):
        if settings.PRODUCTION:
            # Demo accounts have a published password: never on a real installation.
            raise CommandError("The demo refuses to run with PARCOURS_ENV=production.")
        call_command("migrate", interactive=False, verbosity=0)
        if Person.objects.exists():
            ensure_demo_accounts(ensure_organisation(), password=password)
            self.stdout.write("Demo data already present: reusing it.")
        else:
            self.stdout.write(f"Seeding {persons} invented persons…")
            report = seed_demo(persons=persons, seed=seed, password=password)
            self.stdout.write(
                f"Seeded {report.persons} persons, {report.groups} families and groups, "
                f"{report.exits} exits, {len(report.duplicates)} near-duplicates "
                f"in {report.seconds:.1f} s."
            )
            if report.care:
                care = report.care
                self.stdout.write(
                    f"  of which care records: {care.encounters} encounters, "
                    f"{care.consents} consent decisions, {care.assignments} care-team "
                    f"assignments in {care.seconds:.1f} s."
                )
        self.stdout.write(self._accounts_table(password))
        self.stdout.write(self._mfa_line(mfa))
        if no_serve:
            return
        self.stdout.write(f"\nOpen http://127.0.0.1:{port}/ (Ctrl-C to stop)\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _accounts_table(self, password: str | None) -> str:
        rows = [("username", "name", "role", "projects")]
        for account in DEMO_ACCOUNTS:
            rows.append(
                (
                    account.username,
                    f"{account.first_name} {account.last_name}",
                    account.role.value,
                    ", ".join(account.projects),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["", "Demo accounts:"]
        for index, row in enumerate(rows):
            lines.append(
                "  "
                + "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                lines.append("  " + "  ".join("-" * width for width in widths))
        lines.append("")
        lines.append(f"Password of every demo account: {self._password_line(password)}")
        return "\n".join(lines)

    def _mfa_line(self, asked: bool) -> str:
        if settings.PARCOURS_MFA == "off":
            return "Two-factor authentication: off (run `parcours demo --mfa` to see it)."
        line = (
            f"Two-factor authentication: {settings.PARCOURS_MFA}. The accounts that open "
            "records set up an authenticator app at their first sign-in."
        )
        if not asked:
            line += " (PARCOURS_MFA is set in the environment.)"
        return line

    def _password_line(self, password: str | None) -> str:
        if password:
            return password
        sample = User.objects.filter(username=DEMO_ACCOUNTS[1].username).first()
        if sample is not None and sample.check_password(DEMO_PASSWORD):
            return DEMO_PASSWORD
        return "unchanged (the one given earlier with --password; give --password to reset it)"
