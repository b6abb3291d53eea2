"""``parcours grant_role USERNAME PROJECT_CODE ROLE``: give a role from the
server's shell, approval included.

For the first coordinator or medical referent of an installation or of a new
project, when nobody can approve yet (a role that reads clinical content
needs a coordinator's or medical referent's approval in the web pages). Who
runs it already holds the database; the grant is audited as the operator's."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parcours.access.terms import Role
from parcours.accounts import grants
from parcours.accounts.models import Membership, User
from parcours.org.models import Project


class Command(BaseCommand):
    help = "Give a user a role in a project (for the first approvers of a project)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("project_code")
        parser.add_argument("role", choices=[r.value for r in Role])

    def handle(self, *args, username, project_code, role, **options):
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        project = Project.objects.filter(code__iexact=project_code).first()
        if user is None or project is None:
            raise CommandError("No such active user, or no such project code.")
        if Membership.objects.filter(user=user, project=project, role=role).exists():
            self.stdout.write("Already given.")
            return
        try:
            grants.membership_add(
                actor=None, user=user, project=project, role=role, extra={"by": "operator"}
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{user.username} is now {role} in {project.code}.")
