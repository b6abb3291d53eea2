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

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_countries import countries

from parcours.access.terms import Role
from parcours.accounts import services
from parcours.accounts.models import User
from parcours.org import services as org_services
from parcours.org.models import Mission, Project, Status
from parcours.org.validation import PROJECT_CODE_RE


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
        username = self._value(options, "username", "Username", check=_username_problem)
        password = options["password"] or self._ask_password(username)
        plan = self._plan_project(options)
        with transaction.atomic():
            try:
                project, done = self._make_project(plan)
                user, _generated = services.user_create(
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
            services.membership_grant(actor=None, user=user, project=project, role=Role.ADMIN)
        for line in done:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created administrator {user.username!r} with the admin role in project "
                f"{project.code} ({project.name})."
            )
        )
        self.stdout.write("Sign in, then open Configuration to add sites, users and roles.")

    # -- helpers ------------------------------------------------------------

    def _value(self, options, key: str, prompt: str, check=None) -> str:
        """An option's value, else asked for (again while ``check`` returns an error)."""
        value = (options.get(key) or "").strip()
        while True:
            if not value:
                if not self.interactive:
                    raise CommandError(f"--{key.replace('_', '-')} is required.")
                value = input(f"{prompt}: ").strip()
                if not value:
                    continue
            problem = check(value) if check else None
            if problem is None:
                return value
            if not self.interactive:
                raise CommandError(f"--{key.replace('_', '-')}: {problem}")
            self.stderr.write(problem)
            value = ""

    def _ask_password(self, username: str) -> str:
        if not self.interactive:
            raise CommandError("--password is required with --no-input.")
        while True:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first != second:
                self.stderr.write("The two passwords differ; try again.")
                continue
            try:
                validate_password(first, User(username=username))
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return first

    def _plan_project(self, options) -> dict:
        """The existing project to attach to, or what to create: asked before any write."""
        code = (options.get("project") or options.get("project_code") or "").strip().upper()
        if Project.objects.exists():
            if not code and not self.interactive:
                codes = ", ".join(Project.objects.values_list("code", flat=True))
                raise CommandError(f"--project is required; existing projects: {codes}.")
            options = {**options, "project": code}
            code = self._value(
                options, "project", "Project code for the admin role", check=_unknown_project
            ).upper()
            return {"project": Project.objects.get(code=code)}
        self.stdout.write("No project exists yet: a mission and a project will be created.")
        mission_name = self._value(options, "mission", "Mission name (e.g. France)")
        mission = Mission.objects.filter(name__iexact=mission_name).first()
        country = ""
        if mission is None:
            country = self._value(
                options, "country", "Country code (ISO 3166, e.g. FR)", check=_country_problem
            ).upper()
        project_name = self._value(options, "project_name", "Project name")
        code = self._value(
            {**options, "project_code": code},
            "project_code",
            "Project code (2 to 6 capital letters, e.g. CAL)",
            check=_code_problem,
        ).upper()
        return {
            "mission": mission,
            "mission_name": mission_name,
            "country": country,
            "project_name": project_name,
            "code": code,
        }

    def _make_project(self, plan: dict) -> tuple[Project, list[str]]:
        if "project" in plan:
            return plan["project"], []
        done = []
        mission = plan["mission"]
        if mission is None:
            mission = org_services.mission_create(
                actor=None,
                data={
                    "name": plan["mission_name"],
                    "country": plan["country"],
                    "status": Status.OPEN,
                },
            )
            done.append(f"Created mission {mission.name} ({mission.country.code}).")
        project = org_services.project_create(
            actor=None,
            data={
                "mission": mission,
                "name": plan["project_name"],
                "code": plan["code"],
                "status": Status.OPEN,
            },
        )
        done.append(f"Created project {project.name} ({project.code}) in mission {mission.name}.")
        return project, done


def _username_problem(username: str) -> str | None:
    if User.objects.filter(username__iexact=username).exists():
        return (
            f"A user named {username!r} already exists. Give them the admin role from "
            "Configuration > Users and roles, or choose another username."
        )
    return None


def _unknown_project(code: str) -> str | None:
    if not Project.objects.filter(code=code.upper()).exists():
        codes = ", ".join(Project.objects.values_list("code", flat=True))
        return f"No project with the code {code!r}; existing projects: {codes}."
    return None


def _country_problem(code: str) -> str | None:
    return None if countries.name(code.upper()) else f"Unknown country code {code!r}."


def _code_problem(code: str) -> str | None:
    code = code.upper()
    if not PROJECT_CODE_RE.fullmatch(code):
        return "The project code must be 2 to 6 capital letters (A to Z)."
    if Project.objects.filter(code=code).exists():
        return f"The project code {code} is already used."
    return None


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
