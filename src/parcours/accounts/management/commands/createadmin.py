"""``parcours createadmin``: the first administrator of a fresh installation.

Creates the user with the ``admin`` role in a project. When no project
exists yet, creates a mission and a project first (from options, or asked
for), so the membership has a project to attach to. Everything goes through
the same audited services as the configuration pages (the actor is the
system: no user yet).

    parcours createadmin --username U [--password P] [--project CODE]
    parcours createadmin --username U --password P --mission France --country FR \\
        --project-name "Calais / Littoral Nord" --project-code CAL --no-input
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parcours.access.policy import Role
from parcours.accounts import manage_services
from parcours.accounts.models import User
from parcours.org import services as org_services
from parcours.org.models import Mission, Project, Status


class Command(BaseCommand):
    help = "Create the first administrator (and, on an empty installation, a mission and project)."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="Sign-in name of the administrator.")
        parser.add_argument(
            "--password",
            help="Initial password (asked twice when left out; avoid it in shell history).",
        )
        parser.add_argument("--first-name", default="", help="First name.")
        parser.add_argument("--last-name", default="", help="Last name.")
        parser.add_argument("--email", default="", help="E-mail address.")
        parser.add_argument(
            "--language", default="fr", choices=["fr", "en"], help="Interface language."
        )
        parser.add_argument(
            "--project",
            metavar="CODE",
            help="Code of the project the admin role attaches to (created if none exists).",
        )
        parser.add_argument("--mission", metavar="NAME", help="Mission to create (e.g. France).")
        parser.add_argument(
            "--country", metavar="CC", help="ISO 3166 code of the mission's country."
        )
        parser.add_argument("--project-name", metavar="NAME", help="Name of the project to create.")
        parser.add_argument(
            "--project-code", metavar="CODE", help="Code of the project to create (2-6 letters)."
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never prompt: fail when a needed option is missing.",
        )

    def handle(self, *args, **options):
        self.interactive = options["interactive"] and sys.stdin.isatty()
        username = self._value(options, "username", "Username")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                f"A user named {username!r} already exists. Give them the admin role from "
                "Configuration › Users, or choose another username."
            )
        password = options["password"] or self._ask_password()
        with transaction.atomic():
            project = self._project(options)
            try:
                user, _generated = manage_services.user_create(
                    actor=None,
                    data={
                        "username": username,
                        "first_name": options["first_name"],
                        "last_name": options["last_name"],
                        "email": options["email"],
                        "language": options["language"],
                    },
                    password=password,
                )
            except ValidationError as error:
                raise CommandError(_describe(error)) from None
            manage_services.membership_grant(
                actor=None, user=user, project=project, role=Role.ADMIN
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created administrator {user.username!r} with the admin role in project "
                f"{project.code} ({project.name})."
            )
        )
        self.stdout.write("Sign in, then open Configuration to add sites, users and roles.")

    # -- helpers ------------------------------------------------------------

    def _value(self, options, key: str, prompt: str, default: str = "") -> str:
        value = (options.get(key) or "").strip()
        while not value:
            if not self.interactive:
                raise CommandError(f"--{key.replace('_', '-')} is required.")
            suffix = f" [{default}]" if default else ""
            value = input(f"{prompt}{suffix}: ").strip() or default
        return value

    def _ask_password(self) -> str:
        if not self.interactive:
            raise CommandError("--password is required with --no-input.")
        while True:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if not first:
                self.stderr.write("The password cannot be empty.")
            elif first != second:
                self.stderr.write("The two passwords differ; try again.")
            else:
                return first

    def _project(self, options) -> Project:
        code = (options.get("project") or options.get("project_code") or "").strip().upper()
        if Project.objects.exists():
            if not code and not self.interactive:
                codes = ", ".join(Project.objects.values_list("code", flat=True))
                raise CommandError(f"--project is required; existing projects: {codes}.")
            while True:
                code = code or input("Project code for the admin role: ").strip().upper()
                project = Project.objects.filter(code=code).first()
                if project is not None:
                    return project
                if not self.interactive:
                    raise CommandError(f"No project with the code {code!r}.")
                self.stderr.write(f"No project with the code {code!r}.")
                code = ""
        return self._create_project(options, code)

    def _create_project(self, options, code: str) -> Project:
        self.stdout.write("No project exists yet: creating a mission and a project.")
        mission_name = self._value(options, "mission", "Mission name (e.g. France)")
        mission = Mission.objects.filter(name__iexact=mission_name).first()
        try:
            if mission is None:
                country = self._value(options, "country", "Country code (ISO 3166, e.g. FR)")
                mission = org_services.mission_create(
                    actor=None,
                    data={"name": mission_name, "country": country.upper(), "status": Status.OPEN},
                )
                self.stdout.write(f"Created mission {mission.name} ({mission.country.code}).")
            project_name = self._value(options, "project_name", "Project name")
            code = code or self._value(
                options, "project_code", "Project code (2-6 capital letters)"
            )
            project = org_services.project_create(
                actor=None,
                data={
                    "mission": mission,
                    "name": project_name,
                    "code": code,
                    "status": Status.OPEN,
                },
            )
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        self.stdout.write(f"Created project {project.name} ({project.code}).")
        return project


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
